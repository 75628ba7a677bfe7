"""Entry points and versions read from ``*.dist-info`` folders, as importlib.metadata reads them."""

from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path

import pytest

from insertion_core.distributions import distribution_version, entry_points


def dist_info(
    site: Path, folder: str, name: str, version: str, entry_points_txt: str | None
) -> None:
    info = site / folder
    info.mkdir(parents=True)
    (info / ("PKG-INFO" if folder.endswith(".egg-info") else "METADATA")).write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nName: not a header\n",
        encoding="utf-8",
    )
    if entry_points_txt is not None:
        (info / "entry_points.txt").write_text(entry_points_txt, encoding="utf-8")


@pytest.mark.parametrize("group", ["insertion_core", "console_scripts", "pytest11"])
def test_the_installed_entry_points_are_those_importlib_metadata_finds(group: str) -> None:
    ours = sorted(
        (ep.name, ep.value, ep.dist.name, ep.dist.version) for ep in entry_points(group=group)
    )
    theirs = sorted(
        (ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.version)
        for ep in importlib.metadata.entry_points(group=group)
        if ep.dist is not None
    )
    assert ours == theirs
    assert ours  # the environment has some: the comparison compared something


def test_the_first_distribution_of_a_name_on_the_path_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    dist_info(first, "site_plugin-1.0.dist-info", "site-plugin", "1.0", "[g]\na = one:thing\n")
    dist_info(second, "Site.Plugin-2.0.dist-info", "Site.Plugin", "2.0", "[g]\nb = two:thing\n")
    found = entry_points(group="g", path=[str(first), str(second)])
    assert [(ep.name, ep.value, ep.dist.name, ep.dist.version) for ep in found] == [
        ("a", "one:thing", "site-plugin", "1.0")
    ]
    assert distribution_version("SITE_plugin", path=[str(second), str(first)]) == "2.0"


def test_groups_comments_and_folders_without_entry_points(tmp_path: Path) -> None:
    text = "# a comment\n[console_scripts]\nx = os:getcwd\n\n[ g ]\n; another\n  y =  mod:f [extra]  \n"
    dist_info(tmp_path, "a-1.dist-info", "a", "1", text)
    dist_info(tmp_path, "b-1.dist-info", "b", "1", None)
    dist_info(tmp_path, "c.egg-info", "c", "3", "[g]\nz = pkg\n")
    (tmp_path / "d-1.dist-info").write_text("a file, not a folder", encoding="utf-8")
    path = [str(tmp_path), str(tmp_path / "missing"), str(tmp_path / "a-1.dist-info" / "METADATA")]
    found = entry_points(group="g", path=path)
    assert [(ep.name, ep.value, ep.group, ep.dist.version) for ep in found] == [
        ("y", "mod:f [extra]", "g", "1"),
        ("z", "pkg", "g", "3"),
    ]
    assert distribution_version("c", path=path) == "3"
    assert distribution_version("d", path=path) is None
    assert distribution_version("nobody", path=path) is None


def test_an_entry_point_loads_the_object_it_names(tmp_path: Path) -> None:
    dist_info(
        tmp_path, "a-1.dist-info", "a", "1", "[g]\nmodule = os.path\nattr = os.path:join [x]\n"
    )
    dotted = "[g]\nnested = importlib.metadata:EntryPoint.load\n"
    dist_info(tmp_path, "b-1.dist-info", "b", "1", dotted)
    loaded = {ep.name: ep.load() for ep in entry_points(group="g", path=[str(tmp_path)])}
    assert loaded == {
        "module": os.path,
        "attr": os.path.join,
        "nested": importlib.metadata.EntryPoint.load,
    }


def test_an_entry_point_naming_a_missing_module_fails_to_load(tmp_path: Path) -> None:
    dist_info(tmp_path, "a-1.dist-info", "a", "1", "[g]\ngone = no_such_module_here:x\n")
    (ep,) = entry_points(group="g", path=[str(tmp_path)])
    with pytest.raises(ModuleNotFoundError, match="no_such_module_here"):
        ep.load()
