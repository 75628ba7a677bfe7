"""Provenance helpers: the library version and an order-independent hash of the facts used."""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Mapping

from .facts import OutcomeFacts

__all__ = ["FactsDigest", "definitions_fingerprint", "library_version"]

_MODULUS = 1 << 256


def library_version() -> str:
    """``insertion_core.__version__``: the version of the library that computed a report."""
    package = importlib.import_module("insertion_core")  # at call time: read on first use
    return str(package.__version__)


class FactsDigest:
    """SHA-256 of the multiset of facts, fed one at a time in any order.

    Each fact's canonical text is hashed and the hashes are added modulo
    2**256, so the digest does not depend on the order of the stream; the
    final value hashes that sum with the number of facts.
    """

    def __init__(self) -> None:
        self.count = 0
        self.total = 0

    def add(self, facts: OutcomeFacts) -> None:
        """Count one fact."""
        digest = hashlib.sha256(facts.canonical().encode("utf-8")).digest()
        self.total = (self.total + int.from_bytes(digest, "big")) % _MODULUS
        self.count += 1

    def add_total(self, count: int, total: int) -> None:
        """Count ``count`` facts whose SHA-256 values sum to ``total`` (stored facts, summed in SQL)."""
        self.total = (self.total + total) % _MODULUS
        self.count += count

    def hexdigest(self) -> str:
        """The digest of every fact added so far."""
        text = f"insertion-core/facts/1:{self.count}:{self.total:064x}"
        return hashlib.sha256(text.encode("ascii")).hexdigest()


def definitions_fingerprint(parameters: Mapping[str, object]) -> str:
    """A short hash of every parameter that changes what a figure means.

    Two reports' figures are comparable exactly when their fingerprints are equal.
    """
    text = json.dumps(parameters, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(f"insertion-core/definitions/1:{text}".encode("ascii")).hexdigest()[:16]
