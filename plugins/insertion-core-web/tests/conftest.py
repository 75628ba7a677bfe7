"""Fixtures: a fresh copy of the filled database per test, the served site, a client.

The data and the helpers are in ``web_testing.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from insertion_core_web.app import create_app
from insertion_core_web.site import Site
from insertion_core_web.throttle import LoginThrottle
from starlette.testclient import TestClient
from web_testing import AS_OF, SECRET, fill, plugin_manager


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The filled database, made once (hashing the passwords takes a moment)."""
    path = tmp_path_factory.mktemp("template") / "essai.db"
    fill(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(template_db: Path, tmp_path: Path) -> str:
    """A fresh copy of the filled database for one test."""
    copy = tmp_path / "essai.db"
    copy.write_bytes(template_db.read_bytes())
    return f"sqlite:///{copy}"


@pytest.fixture
def site(db_url: str) -> Iterator[Site]:
    site = Site.open(db_url, plugin_manager(), as_of=AS_OF)
    yield site
    site.close()


@pytest.fixture
def throttle() -> LoginThrottle:
    return LoginThrottle()


@pytest.fixture
def client(site: Site, throttle: LoginThrottle) -> Iterator[TestClient]:
    app = create_app(site, secret_key=SECRET, throttle=throttle)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield client
