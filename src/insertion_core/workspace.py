"""The service layer: a programme store, its plugins, and the lifecycle in transactions.

:class:`Workspace` is what an embedding developer calls. Each method runs in
one unit of work (read-only for the methods that only read, so reports never
wait for an import); the events a change caused reach the ``on_event`` hook only
after the transaction committed, and a failing plugin there never undoes the
data (its failure is kept in :attr:`Workspace.event_failures` and logged).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal

import pluggy

from . import changes, clock, worklists
from .audit import AuditLine, check_actor, default_actor, read_journal
from .batch import Batch
from .domain.identifiers import refuse_nir
from .domain.journey import Journey
from .domain.model import AttendanceRecord, Exit, FollowUpContact, Participant, PersonalData
from .domain.programme import Programme
from .domain.situations import SituationFamilies
from .errors import NotFoundError, StorageError
from .hooks import EventFailure, Hooks
from .plugins import get_plugin_manager
from .programme_file import check_programme, read_programme_text
from .storage import Storage

if TYPE_CHECKING:
    from .domain import lifecycle
    from .domain.events import Event
    from .domain.standing import ParticipantStatus
    from .outcomes import AtRisk, DueCheckin, Report
    from .participants import ParticipantSummary, ParticipantView
    from .staff import AtRiskCall, DueCall

__all__ = ["DB_ENV", "DEFAULT_DB", "Batch", "Workspace", "default_url"]

DB_ENV = "INSERTION_DB"
DEFAULT_DB = "sqlite:///insertion.db"


def default_url() -> str:
    """The database URL from ``INSERTION_DB``, else ``sqlite:///insertion.db``.

    :raises StorageError: ``INSERTION_DB`` is set but empty (a mistake, not a
        request for the default).
    """
    url = os.environ.get(DB_ENV)
    if url is None:
        return DEFAULT_DB
    if not url.strip():
        raise StorageError(
            f"{DB_ENV} is set but empty: give a database URL, or unset it for {DEFAULT_DB}"
        )
    return url


class Workspace:
    """Programmes, participants and their journeys, behind one storage and one plugin manager."""

    def __init__(
        self,
        storage: Storage,
        plugin_manager: pluggy.PluginManager | None = None,
        *,
        actor: str | None = None,
    ) -> None:
        self.storage = storage
        self.pm = plugin_manager if plugin_manager is not None else get_plugin_manager()
        self.hooks = Hooks(self.pm)
        self.event_failures: list[EventFailure] = []
        self._families: frozenset[str] | None = None
        self._actor = None if actor is None else check_actor(actor)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        plugin_manager: pluggy.PluginManager | None = None,
        initialise: bool = False,
        actor: str | None = None,
    ) -> Workspace:
        """Open the storage at ``url`` (default: :func:`default_url`) through the storage plugins.

        :param initialise: create or upgrade the schema first.
        :param actor: who the changes made through this workspace are recorded as, in the
            audit journal; by default ``INSERTION_ACTOR``, else the operating system's user.
        :raises StorageError: ``url`` is empty, or no plugin opens it.
        :raises IdentifierError: ``actor`` is empty, too long or holds control characters.
        """
        if url is not None and not url.strip():
            raise StorageError("the database URL is empty")
        checked = None if actor is None else check_actor(actor)
        pm = plugin_manager if plugin_manager is not None else get_plugin_manager()
        storage = Hooks(pm).storage(default_url() if url is None else url)
        workspace = cls(storage, pm, actor=checked)
        if initialise:
            storage.initialise()
        return workspace

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the storage's connections."""
        self.storage.close()

    @property
    def actor(self) -> str:
        """Who the changes are recorded as: the actor given, else :func:`~.audit.default_actor`.

        :raises IdentifierError: none was given and ``INSERTION_ACTOR`` is set but unusable.
        """
        return self._actor if self._actor is not None else default_actor()

    def acting_as(self, actor: str) -> Workspace:
        """This workspace, writing as ``actor`` (a web front end's account, for one request).

        The view shares the storage, plugins and :attr:`event_failures`; closing
        either closes the storage of both, so close the workspace it came from.

        :raises IdentifierError: ``actor`` is empty, too long or holds control characters.
        """
        view = copy.copy(self)
        view._actor = check_actor(actor)
        return view

    def initialise(self) -> None:
        """Create or upgrade the storage's schema."""
        self.storage.initialise()

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """A transaction: committed when the block ends without error, then its events emitted.

        Whatever it changes is recorded in the audit journal with :meth:`Batch.record`,
        in the same transaction, as :attr:`actor`.
        """
        actor = self.actor
        with self.storage.unit_of_work() as uow:
            batch = Batch(uow, actor)
            yield batch
            uow.commit()
        self.emit(batch.events)

    def emit(self, events: list[Event]) -> None:
        """Hand committed events to the ``on_event`` plugins."""
        if events:
            self.event_failures.extend(self.hooks.emit(events, self))

    # Programmes

    @property
    def situation_families(self) -> frozenset[str]:
        """Situation families declared by plugins (the built-in ones included)."""
        if self._families is None:
            self._families = self.hooks.situation_families()
        return self._families

    def families_for(self, programme: Programme) -> SituationFamilies:
        """The families a programme's data may use: the plugins' and the programme's own."""
        own: frozenset[str] = frozenset(programme.outcomes.families)
        return SituationFamilies(self.situation_families | own)

    def parse_programme(self, text: str, source: str = "<programme>") -> Programme:
        """Check programme TOML, knowing the families, indicator sets and channels plugins declare.

        :raises ConfigError: listing every problem of the file, one per line:
            the programme's own, a target on an indicator no registered set has,
            and those of its ``[notify.<channel>]`` tables (the
            ``validate_notifier_settings`` hook).
        """
        return check_programme(text, source, self.hooks, self.situation_families)

    def load_programme(self, path: str | Path) -> Programme:
        """Add or update the programme a TOML file describes."""
        return self.save_programme(read_programme_text(path), str(path))

    def save_programme(self, text: str, source: str = "<programme>") -> Programme:
        """Add or update a programme from its TOML text."""
        programme = self.parse_programme(text, source)
        with self.batch() as batch:
            batch.uow.programmes.save(programme, text)
            batch.record("programme.save", programme.id)
        return programme

    def programme(self, programme_id: str) -> Programme:
        """The stored programme; :class:`NotFoundError` lists the known ids when it is missing."""
        with self.storage.unit_of_work(read_only=True) as uow:
            programme = uow.programmes.get(programme_id)
            if programme is None:
                known = ", ".join(uow.programmes.ids()) or "none yet"
                raise NotFoundError(
                    f"no programme {programme_id!r} (known programmes: {known}); "
                    "load it with 'insertion programme load FILE.toml'"
                )
            return programme

    def programme_ids(self) -> list[str]:
        """Every stored programme's id."""
        with self.storage.unit_of_work(read_only=True) as uow:
            return uow.programmes.ids()

    # Journeys

    def journey(self, programme_id: str, participant_id: str) -> Journey:
        """The participant's journey; :class:`NotFoundError` when they are not enrolled."""
        with self.storage.unit_of_work(read_only=True) as uow:
            return changes.existing_journey(uow, programme_id, participant_id)

    def journeys(self, programme_id: str) -> Iterator[Journey]:
        """Every journey of the programme, streamed in participant id order."""
        with self.storage.unit_of_work(read_only=True) as uow:
            yield from uow.journeys.iter(programme_id)

    def enrol(
        self, programme_id: str, participant: Participant, personal: PersonalData | None = None
    ) -> lifecycle.Transition:
        """Enrol a new participant, checking the eligibility rules of the programme and plugins.

        :raises IdentifierError: an id, the cohort, the QPV code or the counsellor holds a
            social security number, an e-mail address or a phone number, or a personal
            field holds a social security number (the value is not shown).
        """
        return changes.enrol(self, programme_id, participant, personal)

    def start_next_phase(
        self, programme_id: str, participant_id: str, on: dt.date
    ) -> lifecycle.Transition:
        """Move a participant into the programme's next phase on ``on``."""
        from .domain import lifecycle  # loaded by the commands that change journeys

        return changes.change(
            self,
            programme_id,
            participant_id,
            "participant.phase",
            lambda p, j: lifecycle.start_next_phase(p, j, on),
        )

    def record_exit(
        self, programme_id: str, participant_id: str, exit_: Exit
    ) -> lifecycle.Transition:
        """Record a participant's exit."""
        from .domain import lifecycle  # loaded by the commands that change journeys

        return changes.change(
            self,
            programme_id,
            participant_id,
            "participant.exit",
            lambda p, j: lifecycle.record_exit(p, j, exit_),
        )

    def record_followup(
        self, programme_id: str, participant_id: str, contact: FollowUpContact
    ) -> lifecycle.Transition:
        """Record a follow-up contact after the exit (a note holding a NIR is refused)."""
        refuse_nir(contact.note, "note")
        from .domain import lifecycle  # loaded by the commands that change journeys

        return changes.change(
            self,
            programme_id,
            participant_id,
            "participant.followup",
            lambda p, j: lifecycle.record_followup(p, j, contact),
        )

    def record_attendance(
        self, programme_id: str, participant_id: str, record: AttendanceRecord
    ) -> lifecycle.Transition:
        """Record attendance on a programme day (a reason holding a NIR is refused)."""
        refuse_nir(record.reason, "absence reason")
        from .domain import lifecycle  # loaded by the commands that change journeys

        return changes.change(
            self,
            programme_id,
            participant_id,
            "participant.attendance",
            lambda p, j: lifecycle.record_attendance(p, j, record),
        )

    # Audit trail

    def audit_trail(
        self,
        programme_id: str,
        *,
        participant_id: str | None = None,
        since: dt.datetime | None = None,
    ) -> list[AuditLine]:
        """The programme's audit journal, oldest first: who changed what, and when.

        :param participant_id: only the entries about this participant (none once forgotten).
        :param since: only entries recorded at or after this time (timezone-aware).
        :raises NotFoundError: no such programme.
        """
        self.programme(programme_id)
        with self.storage.unit_of_work(read_only=True) as uow:
            return read_journal(uow, programme_id, participant_id=participant_id, since=since)

    # Reports and follow-up

    def _as_of(self, programme: Programme, as_of: dt.date | None) -> dt.date:
        return clock.today_in(programme.timezone) if as_of is None else as_of

    def report(
        self,
        programme_id: str,
        *,
        as_of: dt.date | None = None,
        basis: Literal["entry", "exit"] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        sets: Sequence[str] | None = None,
        by: Sequence[str] = (),
        min_cell: int | None = None,
        audience: Literal["internal", "public"] | None = None,
    ) -> Report:
        """The programme's outcome report (docs/indicators.md); defaults come from its ``[reporting]``.

        ``as_of`` defaults to today in the programme's timezone; the period to
        the whole history up to ``as_of``. A ``public`` audience applies
        disclosure control with k = ``min_cell`` (the programme's by default).
        """
        programme = self.programme(programme_id)
        from .outcome_report import build_report  # the outcome engine, for reports only

        return build_report(
            self.storage,
            self.hooks,
            programme,
            self._as_of(programme, as_of),
            basis=basis,
            start=start,
            end=end,
            sets=sets,
            by=by,
            min_cell=min_cell,
            audience=audience,
        )

    def due_checkins(
        self,
        programme_id: str,
        *,
        as_of: dt.date | None = None,
        overdue_only: bool = False,
        counsellor: str | None = None,
    ) -> list[DueCheckin]:
        """Check-ins due or overdue on ``as_of``, by due date then participant."""
        programme = self.programme(programme_id)
        day = self._as_of(programme, as_of)
        return worklists.find_due_checkins(
            self, programme, day, overdue_only=overdue_only, counsellor=counsellor
        )

    def at_risk(self, programme_id: str, *, as_of: dt.date | None = None) -> list[AtRisk]:
        """Participants in the programme flagged at risk by their recent unexcused absences."""
        programme = self.programme(programme_id)
        return worklists.find_at_risk(self, programme, self._as_of(programme, as_of))

    # Staff lists (personal data shown to staff; never in reports, exports or notices)

    def due_calls(
        self,
        programme_id: str,
        *,
        as_of: dt.date | None = None,
        overdue_only: bool = False,
        counsellor: str | None = None,
        names: bool = True,
    ) -> list[DueCall]:
        """The check-ins due (as :meth:`due_checkins`), each with whom to call and the last contact.

        :param names: False leaves the personal data out (a list that leaves the office).
        """
        programme = self.programme(programme_id)
        day = self._as_of(programme, as_of)
        return worklists.due_calls(
            self, programme, day, overdue_only=overdue_only, counsellor=counsellor, names=names
        )

    def at_risk_calls(
        self,
        programme_id: str,
        *,
        as_of: dt.date | None = None,
        counsellor: str | None = None,
        names: bool = True,
    ) -> list[AtRiskCall]:
        """The participants at risk (as :meth:`at_risk`), each with whom to call."""
        programme = self.programme(programme_id)
        day = self._as_of(programme, as_of)
        return worklists.at_risk_calls(self, programme, day, counsellor=counsellor, names=names)

    def participants(
        self,
        programme_id: str,
        *,
        as_of: dt.date | None = None,
        cohort: str | None = None,
        counsellor: str | None = None,
        status: ParticipantStatus | str | None = None,
        phase: str | None = None,
        names: bool = True,
    ) -> list[ParticipantSummary]:
        """The programme's participants matching every filter given, by participant id.

        :param status: ``planned``, ``in_programme``, ``in_followup`` or ``closed`` on ``as_of``.
        :param phase: the phase they are in on ``as_of``.
        :param names: False leaves the personal data out.
        """
        from .domain.standing import ParticipantStatus
        from .participants import list_participants

        programme = self.programme(programme_id)
        return list_participants(
            self,
            programme,
            self._as_of(programme, as_of),
            cohort=cohort,
            counsellor=counsellor,
            status=None if status is None else ParticipantStatus(status),
            phase=phase,
            names=names,
        )

    def participant_view(
        self, programme_id: str, participant_id: str, *, as_of: dt.date | None = None
    ) -> ParticipantView:
        """One participant whole: identity, contact details, phases, exit, contacts, check-ins,
        attendance and eligibility warnings. :class:`NotFoundError` when not enrolled."""
        from .participants import view_participant

        programme = self.programme(programme_id)
        journey = self.journey(programme_id, participant_id)
        return view_participant(self, programme, journey, self._as_of(programme, as_of))

    def render_report(self, report: Report, format_name: str) -> str | bytes:
        """The report written in a format of the ``register_report_formats`` plugins.

        Text for most formats; bytes for a binary one such as ``xlsx``.

        :raises NotFoundError: no plugin provides ``format_name`` (the message lists those that do).
        """
        from .outcome_report import render_report

        return render_report(self.hooks, report, format_name)
