"""The two roles of an account, light enough for the command line to import at start."""

from __future__ import annotations

from typing import Literal

__all__ = ["ROLES", "Role"]

Role = Literal["counsellor", "director"]
#: counsellor: their own caseload; director: everyone, and the reports.
ROLES: tuple[Role, ...] = ("counsellor", "director")
