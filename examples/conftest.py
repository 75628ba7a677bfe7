"""The example sites' tests run on the fixtures of ``insertion_core.testing``, like any site's.

Their database is the built-in ``memory://`` storage. Until that storage is
merged, they fall back on the test storage of ``tests/fakes.py`` (URL
``test-memory://examples``), so the examples are tested either way.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from insertion_core.plugins import PluginManager
from insertion_core.testing import register_plugin

ROOT = Path(__file__).resolve().parents[1]
HAS_MEMORY_STORAGE = importlib.util.find_spec("insertion_core.default_plugins.memory") is not None


@pytest.fixture
def insertion_db_url() -> str:
    return "memory://" if HAS_MEMORY_STORAGE else "test-memory://examples"


@pytest.fixture
def insertion_plugin_manager(insertion_plugin_manager: PluginManager) -> PluginManager:
    """The shipped fixture, plus the test storage while ``memory://`` is not built in."""
    if not HAS_MEMORY_STORAGE:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from tests.fakes import FakeStoragePlugin

        register_plugin(insertion_plugin_manager, FakeStoragePlugin(), "test-storage")
    return insertion_plugin_manager
