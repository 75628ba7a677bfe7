"""A counsellor's morning in a real browser: ``insertion serve`` on a loopback port, driven by
headless Chromium (Debian's chromium and chromium-driver) through selenium.

Skipped on a machine without them, except under CI (``CI=true``) where ``.ci/run``
installs both and a missing one fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_testing import AS_OF, PASSWORDS, PEOPLE

selenium = pytest.importorskip("selenium")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

NOTE = "Embauchée en CDI chez Boulangerie Lemoine"


def programs() -> tuple[str, str]:
    """Chromium and its driver; skipped without them, except under CI."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    if os.environ.get("CI") == "true":
        pytest.fail("chromium or chromedriver is missing; .ci/run installs chromium-driver")
    pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium-driver)")


class Server:
    """``insertion serve`` in a subprocess, its output (the server's whole log) in a file."""

    def __init__(self, db_url: str, log: Path) -> None:
        insertion = Path(sys.executable).with_name("insertion")
        self.log = log
        env = {**os.environ, "INSERTION_WEB_SECRET": "k" * 40, "PYTHONUNBUFFERED": "1"}
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    str(insertion),
                    "--db",
                    db_url,
                    "serve",
                    "--port",
                    "0",
                    "--as-of",
                    AS_OF.isoformat(),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self.url = self._wait_for_address()

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", self.text())
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                pytest.fail(f"insertion serve stopped:\n{self.text()}")
            time.sleep(0.2)
        pytest.fail(f"insertion serve did not start:\n{self.text()}")

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> str:
        """Stop the server as Ctrl-C would; its whole log."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.text()


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(db_url, tmp_path / "server.log")
    yield running
    running.stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    chromium, chromedriver = programs()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",  # as root in CI
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def shown(browser: WebDriver, css: str) -> WebElement:
    """The element once the page that has it is loaded (a click does not wait for the next page)."""
    found: WebElement = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )
    return found


def sign_in(browser: WebDriver, server: Server, name: str) -> None:
    browser.get(server.url + "/login")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Connexion"
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORDS[name])
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    shown(browser, "span.who")


def due_rows(browser: WebDriver) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.call")
    return [row.get_attribute("data-participant") or "" for row in rows]


def test_a_counsellor_finds_a_due_check_in_and_records_the_contact(
    browser: WebDriver, server: Server
) -> None:
    sign_in(browser, server, "cip-1")
    assert browser.current_url == server.url + "/"
    assert due_rows(browser) == ["P-001"]
    row = browser.find_element(By.CSS_SELECTOR, "tr.call[data-participant='P-001']")
    assert "Alice Martin" in row.text
    assert "06 11 22 33 44" in row.text
    assert "à faire" in row.text

    row.find_element(By.LINK_TEXT, "P-001").click()
    assert shown(browser, "form[action$='/contacts']")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Participant P-001 — Alice Martin"
    Select(browser.find_element(By.ID, "situation")).select_by_visible_text("emploi")
    Select(browser.find_element(By.ID, "contract")).select_by_visible_text("CDI")
    Select(browser.find_element(By.ID, "channel")).select_by_visible_text("téléphone")
    browser.find_element(By.ID, "note").send_keys(NOTE)
    browser.find_element(By.CSS_SELECTOR, "form[action$='/contacts'] button").click()

    assert "Contact du 15/06/2026 enregistré." in shown(browser, ".notice").text
    [contact] = browser.find_elements(By.CSS_SELECTOR, "tr.contact")
    assert "15/06/2026" in contact.text and NOTE in contact.text

    browser.find_element(By.LINK_TEXT, "Appels à faire").click()
    assert shown(browser, "main h1").text == "Points de suivi à faire et en retard au 15/06/2026"
    assert due_rows(browser) == []
    assert "Aucun point de suivi à faire." in browser.page_source

    log = server.stop()
    assert "account cip-1 recorded a contact for participant P-001" in log
    assert '"POST /participants/P-001/contacts HTTP/1.1" 303' in log
    for person in PEOPLE.values():
        for personal in (person.first_name, person.last_name, person.phone, person.email):
            if personal:
                assert personal not in log, personal
    assert NOTE not in log and "Boulangerie" not in log
    for password in PASSWORDS.values():
        assert password not in log


def test_a_counsellor_is_refused_another_counsellor_s_participant(
    browser: WebDriver, server: Server
) -> None:
    sign_in(browser, server, "cip-1")
    browser.get(server.url + "/participants/P-002")
    assert (
        "Cette page ne vous est pas ouverte." in browser.find_element(By.CLASS_NAME, "alert").text
    )
    assert "Bruno" not in browser.page_source
    assert "account cip-1 refused participant P-002" in server.stop()


def test_a_form_sent_without_its_csrf_token_is_refused(browser: WebDriver, server: Server) -> None:
    sign_in(browser, server, "cip-1")
    browser.get(server.url + "/participants/P-001")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/contacts']")
    Select(form.find_element(By.ID, "situation")).select_by_visible_text("formation")
    # What a page of another site would send: the same fields, without the token.
    browser.execute_script("arguments[0].querySelector('input[name=csrf_token]').remove()", form)
    form.find_element(By.TAG_NAME, "button").click()
    assert "Ce formulaire a expiré" in shown(browser, ".alert").text
    browser.get(server.url + "/participants/P-001")
    assert browser.find_elements(By.CSS_SELECTOR, "tr.contact") == []
    assert '"POST /participants/P-001/contacts HTTP/1.1" 403' in server.stop()
