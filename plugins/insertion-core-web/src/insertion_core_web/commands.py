"""``insertion serve`` and ``insertion users``: the web pages and the accounts that sign in.

Every ``insertion`` command builds these, so this module imports only click and
the command line's own helpers; the server, the database and the accounts are
imported when a command of this plugin runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import sys

import click

from insertion_core.cli.app import CliState, pass_state
from insertion_core.cli.options import ISO_DATE

from .roles import ROLES

__all__ = ["SECRET_ENV", "serve_command", "users_group"]

#: The key that signs session cookies; without it a random one is made at each start.
SECRET_ENV = "INSERTION_WEB_SECRET"
MIN_SECRET = 32


def session_secret() -> str:
    """The signing key from :data:`SECRET_ENV`, else a new random one (sessions end on restart)."""
    from .accounts import AccountError

    secret = os.environ.get(SECRET_ENV)
    if secret is None:
        return secrets.token_urlsafe(32)
    if len(secret) < MIN_SECRET:
        raise AccountError(f"{SECRET_ENV} is too short: at least {MIN_SECRET} characters")
    return secret


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db", "url", default=None, metavar="URL", help="Database URL (else insertion's --db)."
)
@click.option(
    "--programme",
    "programme_id",
    default=None,
    metavar="ID",
    help="The programme to serve; needed when the database holds several.",
)
@click.option(
    "--as-of",
    type=ISO_DATE,
    default=None,
    help="Show the lists as on this day (a demo or a training); default today.",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Served by a TLS reverse proxy: trust its X-Forwarded-* headers, Secure cookies.",
)
@click.option(
    "--ssl-certfile",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Serve HTTPS directly with this certificate (and --ssl-keyfile).",
)
@click.option("--ssl-keyfile", type=click.Path(exists=True, dir_okay=False), default=None)
@pass_state
def serve_command(
    state: CliState,
    host: str,
    port: int,
    url: str | None,
    programme_id: str | None,
    as_of: dt.date | None,
    behind_proxy: bool,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
) -> None:
    """Serve the counsellors' pages: calls to make, journeys, contacts, reports.

    Binds 127.0.0.1 unless --host says otherwise; open it to a site's network
    only behind a TLS reverse proxy (docs/deploy.md).
    """
    import uvicorn

    from .app import create_app
    from .site import Site

    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise click.UsageError("give both --ssl-certfile and --ssl-keyfile, or neither")
    site = Site.open(url or state.url, state.pm, programme_id, as_of)
    try:
        app = create_app(
            site,
            secret_key=session_secret(),
            secure_cookies=behind_proxy or ssl_certfile is not None,
        )
        logging.getLogger("insertion_core_web").setLevel(logging.INFO)
        scheme = "https" if ssl_certfile else "http"
        click.echo(f"Serving {site.programme.id} on {scheme}://{host}:{port} (Ctrl-C stops)")
        uvicorn.run(
            app,
            host=host,
            port=port,
            proxy_headers=behind_proxy,
            # whose X-Forwarded-* headers count: FORWARDED_ALLOW_IPS, else 127.0.0.1 only
            forwarded_allow_ips=None,
            ssl_certfile=ssl_certfile,
            ssl_keyfile=ssl_keyfile,
            server_header=False,
            log_config=_log_config(),
        )
    finally:
        site.close()


def _log_config() -> dict[str, object]:
    """uvicorn's logging, with this plugin's messages beside its own (on standard error)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = {**LOGGING_CONFIG}
    loggers = dict(LOGGING_CONFIG["loggers"])
    loggers["insertion_core_web"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["loggers"] = loggers
    return config


@click.group("users")
def users_group() -> None:
    """Accounts of the web pages (insertion serve)."""


@users_group.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="counsellor: their own caseload (NAME is their identifier in the data); "
    "director: everyone, and the reports.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking.",
)
@click.option(
    "--replace", is_flag=True, help="Change the password and role of an existing account."
)
@pass_state
def add_command(state: CliState, name: str, role: str, password_stdin: bool, replace: bool) -> None:
    """Add an account; its password is stored hashed (scrypt), never in clear."""
    from .accounts import Accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    account = Accounts.of(state.workspace()).add(name, role, password, replace=replace)
    click.echo(f"Account {account.name} ({account.role}) {'saved' if replace else 'added'}.")


@users_group.command("list")
@pass_state
def list_command(state: CliState) -> None:
    """List the accounts and their roles."""
    from .accounts import Accounts

    accounts = Accounts.of(state.workspace()).all()
    if not accounts:
        click.echo("No account yet.")
    for account in accounts:
        click.echo(f"{account.name}\t{account.role}")
