"""The ``insertion`` command line: thin click commands over the service layer."""

from .app import CliState, main, make_cli, pass_state

__all__ = ["CliState", "main", "make_cli", "pass_state"]
