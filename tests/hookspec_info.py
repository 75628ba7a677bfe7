"""What the meta-tests need to know about hookspecs.py: each hook's name, signature and options."""

from __future__ import annotations

import inspect

from insertion_core import hookspecs
from insertion_core.hookspecs import PROJECT


def hookspec_names() -> list[str]:
    """Every hook that hookspecs.py declares, by name."""
    return sorted(
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, f"{PROJECT}_spec")
    )


def signature(hook_name: str) -> str:
    """``def name(arg: type, ...) -> type``, as written in hookspecs.py."""
    function = getattr(hookspecs, hook_name)
    sig = inspect.signature(function)  # annotations stay text: hookspecs uses postponed annotations
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"def {hook_name}({params}) -> {sig.return_annotation}"


def is_firstresult(hook_name: str) -> bool:
    return bool(getattr(getattr(hookspecs, hook_name), f"{PROJECT}_spec")["firstresult"])
