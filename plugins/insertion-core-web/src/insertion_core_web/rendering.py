"""Templates rendered in the programme's language, with the words and helpers every page uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .accounts import Account
from .security import CSRF_FIELD, csrf_token, site_of

__all__ = ["render"]

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("insertion_core_web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    request: Request,
    template: str,
    account: Account | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page ``template`` for ``account`` (None on the login page)."""
    site = site_of(request)
    words = site.words

    def t(key: str, **values: Any) -> str:
        return words.get(key, key).format(**values)

    def code(kind: str, value: object) -> str:
        """A code of the data in words (``situation.employment`` → emploi), else the code."""
        if value is None:
            return ""
        text = str(getattr(value, "value", value))
        return words.get(f"{kind}.{text}", text)

    def day(value: dt.date | None) -> str:
        if value is None:
            return ""
        return value.strftime("%d/%m/%Y") if words["lang"] == "fr" else value.isoformat()

    html = _ENVIRONMENT.get_template(template).render(
        request=request,
        account=account,
        programme=site.programme,
        today=site.today(),
        t=t,
        code=code,
        day=day,
        csrf_field=CSRF_FIELD,
        csrf_token=csrf_token(request),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
