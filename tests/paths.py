"""Where the tests' data files live: inside the repository, so that a clone tests on its own."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_SITE = DATA / "sample-site"
"""The sample site (tests/data/sample-site/README.md): its files and independently counted figures."""
