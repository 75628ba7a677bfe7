"""Who is signed in, and the checks every request passes: session, CSRF token, role.

The session is a signed cookie (Starlette's ``SessionMiddleware``, itsdangerous)
holding the account's name and the CSRF token; the account's role is read from
the database on each request, so a changed role or a removed account takes
effect at once.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .accounts import Account
from .site import Site

__all__ = [
    "CSRF_FIELD",
    "MAX_FORM_BYTES",
    "NotSignedIn",
    "checked_form",
    "csrf_token",
    "signed_in",
    "site_of",
    "start_session",
]

#: The hidden field every form carries.
CSRF_FIELD = "csrf_token"
#: The largest form body read: a contact with a long note in any script fits well within.
MAX_FORM_BYTES = 64 * 1024


class NotSignedIn(Exception):
    """The request has no valid session: the login page answers it."""


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login page makes it)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: Request, account: Account) -> None:
    """A new session for ``account``: nothing kept from before (no session fixation)."""
    request.session.clear()
    request.session["account"] = account.name
    request.session["csrf"] = secrets.token_urlsafe(32)


async def signed_in(request: Request) -> Account:
    """The account of the request's session.

    :raises NotSignedIn: no session, or its account no longer exists.
    """
    name = request.session.get("account")
    if not isinstance(name, str):
        raise NotSignedIn
    account = await run_in_threadpool(site_of(request).accounts.get, name)
    if account is None:
        request.session.clear()
        raise NotSignedIn
    return account


async def checked_form(request: Request) -> FormData:
    """The posted form, when it carries the session's CSRF token; 403 otherwise.

    A body without a length, or longer than :data:`MAX_FORM_BYTES`, is refused
    (413) before it is read.
    """
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_FORM_BYTES:
        raise HTTPException(413, "too_large")
    form = await request.form(max_files=0, max_fields=50)
    sent: Any = form.get(CSRF_FIELD)
    expected = request.session.get("csrf")
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not secrets.compare_digest(sent.encode(), expected.encode())
    ):
        raise HTTPException(403, "csrf")
    return form
