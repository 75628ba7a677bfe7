"""A notice: one thing a counsellor should be told, with an id stable across runs.

A notice names the participant only by their pseudonymous reference (the
programme's participant id) and the counsellor by their own label. Personal
data is attached only for a channel whose configuration says
``include_names = true``.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re

import attrs

from ..domain.model import PersonalData

__all__ = ["Notice", "NoticeKind", "is_about", "key_prefixes"]


class NoticeKind(enum.StrEnum):
    """What the notice is about."""

    CHECKIN_DUE = "checkin_due"
    CHECKIN_OVERDUE = "checkin_overdue"
    AT_RISK = "at_risk"


_TEXTS = {
    "en": {
        NoticeKind.CHECKIN_DUE: (
            "Check-in due: {ref} ({months}-month check-in, due {due})",
            "The {months}-month follow-up check-in of participant {ref} is due on {due}.",
        ),
        NoticeKind.CHECKIN_OVERDUE: (
            "Check-in overdue: {ref} ({months}-month check-in, due {due})",
            "The {months}-month follow-up check-in of participant {ref} was due on {due} "
            "and no contact is recorded yet.",
        ),
        NoticeKind.AT_RISK: (
            "At risk: {ref}",
            "Participant {ref} has repeated unexcused absences (as of {due}).",
        ),
    },
    "fr": {
        NoticeKind.CHECKIN_DUE: (
            "Point d'étape à faire : {ref} (point à {months} mois, prévu le {due})",
            "Le point d'étape à {months} mois du participant {ref} est prévu le {due}.",
        ),
        NoticeKind.CHECKIN_OVERDUE: (
            "Point d'étape en retard : {ref} (point à {months} mois, prévu le {due})",
            "Le point d'étape à {months} mois du participant {ref} était prévu le {due} "
            "et aucun contact n'est encore enregistré.",
        ),
        NoticeKind.AT_RISK: (
            "Risque de décrochage : {ref}",
            "Le participant {ref} cumule des absences non justifiées (au {due}).",
        ),
    },
}


@attrs.frozen
class Notice:
    """A reminder or alert about one participant, for their counsellor."""

    programme_id: str
    kind: NoticeKind
    participant_ref: str
    on: dt.date
    """The check-in's due date, or for an alert the Monday of the week it is raised in."""
    counsellor: str | None = None
    checkpoint_months: int | None = None
    locale: str = "en"
    personal: PersonalData | None = attrs.field(default=None, repr=False)

    @property
    def key(self) -> str:
        """What the notice is about, the same on every run: programme, kind, participant, date."""
        parts = [self.programme_id, self.kind.value, self.participant_ref, self.on.isoformat()]
        if self.checkpoint_months is not None:
            parts.append(str(self.checkpoint_months))
        return "/".join(parts)

    def id_for(self, channel: str) -> str:
        """The notice's stable id on one channel: the e-mail Message-ID or webhook idempotency key."""
        return hashlib.sha256(f"{self.key}|{channel}".encode()).hexdigest()[:32]

    @property
    def subject(self) -> str:
        """One line, in the programme's language."""
        return self._texts()[0]

    @property
    def body(self) -> str:
        """A few lines, in the programme's language; names only when a channel allowed them."""
        text = self._texts()[1]
        if self.personal is not None and not self.personal.is_empty():
            name = " ".join(p for p in (self.personal.first_name, self.personal.last_name) if p)
            label = "Nom" if self.locale == "fr" else "Name"
            text += f"\n{label}: {name}"
        return text

    def _texts(self) -> tuple[str, str]:
        subject, body = _TEXTS.get(self.locale, _TEXTS["en"])[self.kind]
        values = {"ref": self.participant_ref, "months": self.checkpoint_months, "due": self.on}
        return subject.format(**values), body.format(**values)


#: What follows the participant in a key: the day, then the checkpoint's months if any.
_KEY_TAIL = re.compile(r"\d{4}-\d{2}-\d{2}(?:/\d+)?")


def key_prefixes(programme_id: str, participant_ref: str) -> tuple[str, ...]:
    """How the :attr:`Notice.key` of every notice about one participant starts, one per kind."""
    return tuple(f"{programme_id}/{kind.value}/{participant_ref}/" for kind in NoticeKind)


def is_about(key: str, programme_id: str, participant_ref: str) -> bool:
    """Whether a notice key names this participant (and not one whose id merely starts alike)."""
    return any(
        key.startswith(prefix) and _KEY_TAIL.fullmatch(key[len(prefix) :]) is not None
        for prefix in key_prefixes(programme_id, participant_ref)
    )
