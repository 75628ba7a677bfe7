"""``make demo`` by hand: every command it prints runs as printed, in a real shell."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "examples" / "gonesse" / "demo.py"
#: The console script that ``pip install`` put beside this Python (``.venv/bin/insertion``).
INSERTION = str(Path(os.path.abspath(sys.executable)).parent / "insertion")


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``command`` as a user types it, in ``cwd``: its output and errors as a terminal shows them.

    No database is chosen by the environment, and Python writes unbuffered so
    that the two streams interleave in the order they were written.
    """
    env = {k: v for k, v in os.environ.items() if k != "INSERTION_DB"}
    env["PYTHONUNBUFFERED"] = "1"
    return subprocess.run(
        ["sh", "-c", command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )


def printed_steps(stdout: str) -> list[tuple[str, str]]:
    """The demo's ``$ command`` lines, each with the output printed under it."""
    steps: list[tuple[str, list[str]]] = []
    for line in stdout.splitlines():
        if line.startswith("The HTML report is in "):  # the demo's closing words
            break
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return [(command, "\n".join(lines).strip()) for command, lines in steps]


def without_timestamp(text: str) -> str:
    """``text`` without the report's production line (its timestamp differs between runs)."""
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("Produit le "))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The demo, run as ``make demo`` runs it, into ``work/`` of an empty folder."""
    folder = tmp_path_factory.mktemp("by-hand")
    done = shell(shlex.join([sys.executable, str(DEMO), "work"]), folder)
    assert done.returncode == 0, done.stdout
    return folder, done


def test_the_demo_prints_no_warning(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, done = demo
    assert "warning" not in done.stdout.lower()
    (imported,) = [out for command, out in printed_steps(done.stdout) if " import " in command]
    assert imported.splitlines() == [
        f"{kind}: {n} added, 0 updated, 0 unchanged"
        for kind, n in [
            ("participants", 229),
            ("cohorts", 22),
            ("phases", 616),
            ("exits", 215),
            ("followups", 589),
            ("attendance", 785),
        ]
    ]


def test_every_printed_command_runs_as_printed(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, done = demo
    steps = printed_steps(done.stdout)
    programs = [shlex.split(command)[0] for command, _ in steps]
    assert programs[0] == sys.executable  # generate.py, with this environment's Python
    assert set(programs[1:]) == {INSERTION}  # then the real console script, never in-process
    assert len(steps) == 12  # generate, then the eleven insertion commands of demo.steps()
    for command, shown in steps:
        typed = shell(command, folder)
        assert typed.returncode == 0, f"{command}\n{typed.stdout}"
        if " import " in command:  # the same data again: nothing new, nothing refused
            assert "participants: 0 added, 0 updated, 229 unchanged" in typed.stdout
        else:
            assert without_timestamp(typed.stdout.strip()) == without_timestamp(shown), command


def test_the_typed_report_shows_both_halves_of_each_published_share(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, done = demo
    (report,) = [c for c, _ in printed_steps(done.stdout) if "--set key_figures,gonesse" in c]
    out = shell(report, folder).stdout
    for label, figure in {
        "Formation": "70,0 %  140/200",
        "dont numérique (formation)": "55,0 %   77/140",
        "dont autre secteur (formation)": "45,0 %   63/140",
        "Accès à l'emploi": "20,0 %   40/200",
        "dont numérique (accès à l'emploi)": "65,0 %    26/40",
        "dont autre secteur (accès à l'emploi)": "35,0 %    14/40",
    }.items():
        (line,) = [ln for ln in out.splitlines() if ln.startswith(label + "  ")]
        assert figure in line, line


def test_the_web_page_hint_adds_an_account_as_printed(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """The closing lines name the web plugin's two commands; the first runs as printed."""
    folder, done = demo
    hint = done.stdout.split("The counsellors' web page", 1)[1].splitlines()
    add, serve = hint[1].strip(), hint[2].strip()
    assert shlex.split(serve)[-5:] == ["serve", "--programme", "gonesse", "--as-of", "2026-11-25"]
    typed = shell(f"echo motdepasse-assez-long | {add} --password-stdin", folder)
    assert typed.returncode == 0, typed.stdout
    assert "Account cip-1 (counsellor) added." in typed.stdout
