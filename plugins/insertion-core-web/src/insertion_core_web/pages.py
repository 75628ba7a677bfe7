"""The pages: the calls to make, the participants at risk, a journey, its contact form, reports.

Each handler reads through the signed-in account's workspace, in a worker
thread (the storage is synchronous), and renders a template. A counsellor sees
the participants whose counsellor they are; a director sees everyone and the
internal report.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from insertion_core import InsertionError, NotFoundError
from insertion_core.domain.codes import Channel, Contract
from insertion_core.errors import ContactBeforeExitError
from insertion_core.participants import ParticipantView
from insertion_core.staff import DueCall

from .accounts import Account
from .contact_form import ContactForm, read_contact
from .rendering import render
from .security import checked_form, signed_in, site_of

__all__ = ["at_risk_page", "due_page", "participant_page", "record_contact", "report_page"]

log = logging.getLogger("insertion_core_web")


def _caseload(account: Account) -> str | None:
    """The counsellor filter of the lists: the account's own name, none for a director."""
    return None if account.is_director else account.name


def _by_counsellor(calls: list[Any], counsellor: Any) -> list[tuple[str | None, list[Any]]]:
    groups: defaultdict[str | None, list[Any]] = defaultdict(list)
    for call in calls:
        groups[counsellor(call)].append(call)
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or ""))


async def due_page(request: Request) -> Response:
    """``/``: the check-ins due and overdue, by counsellor, with whom to call."""
    account = await signed_in(request)
    site = site_of(request)
    workspace = site.workspace(account)
    calls: list[DueCall] = await run_in_threadpool(
        workspace.due_calls, site.programme.id, as_of=site.today(), counsellor=_caseload(account)
    )
    groups = _by_counsellor(calls, lambda call: call.checkin.counsellor)
    return render(request, "due.html", account, groups=groups)


async def at_risk_page(request: Request) -> Response:
    """``/at-risk``: participants in the programme with repeated unexcused absences lately."""
    account = await signed_in(request)
    site = site_of(request)
    workspace = site.workspace(account)
    calls = await run_in_threadpool(
        workspace.at_risk_calls,
        site.programme.id,
        as_of=site.today(),
        counsellor=_caseload(account),
    )
    groups = _by_counsellor(calls, lambda call: call.risk.counsellor)
    return render(request, "at_risk.html", account, groups=groups, policy=site.programme.attendance)


async def _view(request: Request, account: Account, participant_id: str) -> ParticipantView:
    """The participant's journey when the account may see it: 404 unknown, 403 someone else's."""
    site = site_of(request)
    try:
        view: ParticipantView = await run_in_threadpool(
            site.workspace(account).participant_view,
            site.programme.id,
            participant_id,
            as_of=site.today(),
        )
    except NotFoundError:
        raise HTTPException(404, "not_found") from None
    if not account.may_see(view.journey.participant.counsellor):
        log.warning("account %s refused participant %s", account.name, participant_id)
        raise HTTPException(403, "forbidden")
    return view


def _journey(
    request: Request,
    account: Account,
    view: ParticipantView,
    form: ContactForm | None = None,
    status_code: int = 200,
) -> Response:
    site = site_of(request)
    families = sorted(site.workspace(account).families_for(site.programme).names)
    flash = request.session.pop("recorded", None)
    recorded = dt.date.fromisoformat(flash) if isinstance(flash, str) else None
    return render(
        request,
        "participant.html",
        account,
        status_code=status_code,
        view=view,
        form=form,
        families=families,
        contracts=[c.value for c in Contract],
        channels=[c.value for c in Channel],
        recorded=recorded,
    )


async def participant_page(request: Request) -> Response:
    """``/participants/ID``: one journey, and the form to record a contact after the exit."""
    account = await signed_in(request)
    view = await _view(request, account, request.path_params["participant_id"])
    return _journey(request, account, view)


async def record_contact(request: Request) -> Response:
    """``POST /participants/ID/contacts``: record a follow-up contact, or say why not in place."""
    account = await signed_in(request)
    form_data = await checked_form(request)
    participant_id = request.path_params["participant_id"]
    view = await _view(request, account, participant_id)
    site = site_of(request)
    workspace = site.workspace(account)
    fields = {k: v for k, v in form_data.items() if isinstance(v, str)}
    form = read_contact(fields, workspace.families_for(site.programme), site.today())
    if form.contact is not None:
        try:
            await run_in_threadpool(
                workspace.record_followup, site.programme.id, participant_id, form.contact
            )
        except ContactBeforeExitError as error:
            form = ContactForm(form.values, {"contact_date": str(error)}, None)
        except InsertionError as error:  # a change by someone else meanwhile, say: not a field's
            form = ContactForm(form.values, {"form": str(error)}, None)
    if form.contact is None:
        return _journey(request, account, view, form, status_code=400)
    log.info("account %s recorded a contact for participant %s", account.name, participant_id)
    request.session["recorded"] = form.contact.contact_date.isoformat()  # shown once, next page
    # a path, not an absolute URL: right behind a proxy whatever scheme and host it serves
    page = request.app.url_path_for("participant", participant_id=participant_id)
    return RedirectResponse(str(page), 303)


async def report_page(request: Request) -> Response:
    """``/reports/latest`` (internal, directors only) and ``/reports/latest/public``."""
    account = await signed_in(request)
    audience = request.path_params.get("audience", "internal")
    if audience not in ("internal", "public"):
        raise HTTPException(404, "not_found")
    if audience == "internal" and not account.is_director:
        raise HTTPException(403, "forbidden")
    site = site_of(request)
    workspace = site.workspace(account)

    def write() -> str | bytes:
        report = workspace.report(site.programme.id, as_of=site.today(), audience=audience)
        return workspace.render_report(report, "html")

    page = await run_in_threadpool(write)
    return HTMLResponse(page)
