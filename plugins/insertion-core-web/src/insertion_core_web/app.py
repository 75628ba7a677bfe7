"""The ASGI application: routes at stable paths, sessions, security headers, errors as pages.

Paths (scripts and tests rely on them): ``/login``, ``/logout`` (POST), ``/``,
``/at-risk``, ``/participants/ID``, ``POST /participants/ID/contacts``,
``/reports/latest`` and ``/reports/latest/public``.
"""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .pages import at_risk_page, due_page, participant_page, record_contact, report_page
from .rendering import render
from .security import NotSignedIn, checked_form, signed_in, site_of, start_session
from .site import Site
from .throttle import LoginThrottle

__all__ = ["SESSION_COOKIE", "SESSION_HOURS", "create_app"]

log = logging.getLogger("insertion_core_web")

SESSION_COOKIE = "insertion_session"
#: A session lasts a working day; then the counsellor signs in again.
SESSION_HOURS = 10

#: Every answer: no caching of pages with personal data, no scripts, no framing.
SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
]


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def login_page(request: Request) -> Response:
    """``GET /login``: the sign-in form (the signed-in go to their list)."""
    try:
        await signed_in(request)
    except NotSignedIn:
        return render(request, "login.html", None)
    return RedirectResponse("/", 303)


async def login(request: Request) -> Response:
    """``POST /login``: check the password, slowed down after repeated failures."""
    form = await checked_form(request)
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    site = site_of(request)
    throttle: LoginThrottle = request.app.state.throttle
    address = request.client.host if request.client else "-"
    wait = throttle.wait(name, address)
    if wait > 0:
        log.warning("sign-in refused from %s: too many failures", address)
        message = site.words["login.throttled"].format(minutes=int(wait // 60) + 1)
        return render(request, "login.html", None, status_code=429, message=message, name=name)
    account = await run_in_threadpool(site.accounts.check, name, password)
    if account is None:
        throttle.failed(name, address)
        known = await run_in_threadpool(site.accounts.get, name)
        # A name that is no account may be a password typed in the wrong field: not logged.
        who = f"account {known.name}" if known is not None else "an unknown account"
        log.warning("failed sign-in for %s from %s", who, address)
        message = site.words["login.failed"]
        return render(request, "login.html", None, status_code=401, message=message, name=name)
    throttle.succeeded(name)
    start_session(request, account)
    log.info("account %s signed in from %s", account.name, address)
    return RedirectResponse("/", 303)


async def logout(request: Request) -> Response:
    """``POST /logout``: end the session."""
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", 303)


async def _to_login(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", 303)


async def _error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    try:
        account = await signed_in(request)
    except NotSignedIn:
        account = None
    key = exc.detail if exc.detail in ("forbidden", "csrf", "not_found", "too_large") else None
    if key is None and exc.status_code == 404:
        key = "not_found"
    message = site_of(request).words[f"error.{key}"] if key else exc.detail
    return render(request, "error.html", account, status_code=exc.status_code, message=message)


def create_app(
    site: Site,
    *,
    secret_key: str,
    secure_cookies: bool = False,
    throttle: LoginThrottle | None = None,
) -> Starlette:
    """The application serving ``site``.

    :param secret_key: signs the session cookies; sessions end when it changes.
    :param secure_cookies: mark the cookie ``Secure`` (served over TLS, or behind a TLS proxy).
    """
    app = Starlette(
        routes=[
            Route("/login", login_page, methods=["GET"], name="login"),
            Route("/login", login, methods=["POST"]),
            Route("/logout", logout, methods=["POST"], name="logout"),
            Route("/", due_page, methods=["GET"], name="due"),
            Route("/at-risk", at_risk_page, methods=["GET"], name="at_risk"),
            Route(
                "/participants/{participant_id}",
                participant_page,
                methods=["GET"],
                name="participant",
            ),
            Route(
                "/participants/{participant_id}/contacts",
                record_contact,
                methods=["POST"],
                name="contacts",
            ),
            Route("/reports/latest", report_page, methods=["GET"], name="report"),
            Route("/reports/latest/{audience}", report_page, methods=["GET"]),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=secret_key,
                session_cookie=SESSION_COOKIE,
                max_age=SESSION_HOURS * 3600,
                same_site="lax",
                https_only=secure_cookies,
            ),
        ],
        exception_handlers={NotSignedIn: _to_login, HTTPException: _error_page},
    )
    app.state.site = site
    app.state.throttle = throttle if throttle is not None else LoginThrottle()
    return app
