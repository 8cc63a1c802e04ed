"""The project cache: a catalogue loaded before comes back the same, and any change to what the
load read (a file's content, a new file in a folder or an `include:` pattern, the working
folder) is seen. Failed loads are never cached; an unsafe or damaged cache is not used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from hfspec.diagnostics import HfspecError
from hfspec.lang.ast import walk
from hfspec.spec import cache
from hfspec.spec.project import load_project

INDICATOR = dedent("""\
    kind: Indicator
    id: HF-L-{n:02d}
    title: {{da: Antal borgere {n}, en: Citizens {n}}}
    type: process
    dataset: borgere
    measure: count(distinct borger_id)
    target: '>= {target}'
    """)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("HFSPEC_CACHE_DIR", str(folder))
    monkeypatch.delenv("HFSPEC_NO_CACHE", raising=False)
    return folder


def _catalogue(folder: Path) -> Path:
    (folder / "indicators").mkdir(parents=True)
    (folder / "indicators" / "l01.yaml").write_text(INDICATOR.format(n=1, target=10), encoding="utf-8")
    (folder / "catalogue.yaml").write_text(dedent("""\
        kind: Catalogue
        id: kommune
        title: {da: Kommunens nøgletal, en: The municipality's key figures}
        include: ["indicators/*.yaml"]
        """), encoding="utf-8")
    return folder / "catalogue.yaml"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_a_second_load_comes_from_the_cache_and_is_the_same(cache_dir, tmp_path):
    catalogue = _catalogue(tmp_path / "k")
    first = load_project([catalogue])
    assert len(_entries(cache_dir)) == 1
    entry = cache.key([catalogue], {"standard": True, "strict_select": True})
    assert cache.lookup(entry) is not None
    second = load_project([catalogue])
    assert second is not first
    assert list(second.compiled) == list(first.compiled) == ["HF-L-01"]
    a, b = first.compiled["HF-L-01"].measure, second.compiled["HF-L-01"].measure
    assert (b.expr, b.type, b.used_columns()) == (a.expr, a.type, a.used_columns())
    # the node maps point at the new tree's nodes
    assert [b.type_of(node) for node in walk(b.expr)] == [a.type_of(node) for node in walk(a.expr)]
    assert [f.name for f in b.functions.values()] == [f.name for f in a.functions.values()] == ["count"]
    assert second.indicators["HF-L-01"].target == first.indicators["HF-L-01"].target
    assert second.datasets.keys() == first.datasets.keys()


def test_a_cached_load_skips_yaml_schema_and_parser(cache_dir):
    """In a fresh process, a cache hit imports neither jsonschema nor lark."""
    code = ("import sys; from hfspec.spec.project import load_project; from hfspec.resources import national_catalogue; "
            "p = load_project([national_catalogue()]); print(len(p.compiled), 'jsonschema' in sys.modules, 'lark' in sys.modules)")
    env = dict(os.environ, HFSPEC_CACHE_DIR=str(cache_dir))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["64", "True", "True"]
    assert runs[1] == ["64", "False", "False"]


def test_an_edited_file_is_seen(cache_dir, tmp_path):
    catalogue = _catalogue(tmp_path / "k")
    assert load_project([catalogue]).indicators["HF-L-01"].target == ">= 10"
    (tmp_path / "k" / "indicators" / "l01.yaml").write_text(INDICATOR.format(n=1, target=20), encoding="utf-8")
    assert load_project([catalogue]).indicators["HF-L-01"].target == ">= 20"


def test_a_new_file_under_an_include_pattern_or_a_folder_is_seen(cache_dir, tmp_path):
    catalogue = _catalogue(tmp_path / "k")
    assert list(load_project([catalogue]).compiled) == ["HF-L-01"]
    assert list(load_project([tmp_path / "k"]).compiled) == ["HF-L-01"]
    (tmp_path / "k" / "indicators" / "l02.yaml").write_text(INDICATOR.format(n=2, target=5), encoding="utf-8")
    assert sorted(load_project([catalogue]).compiled) == ["HF-L-01", "HF-L-02"]
    assert sorted(load_project([tmp_path / "k"]).compiled) == ["HF-L-01", "HF-L-02"]


def test_a_failed_load_is_not_cached(cache_dir, tmp_path):
    catalogue = _catalogue(tmp_path / "k")
    (tmp_path / "k" / "indicators" / "l01.yaml").write_text(INDICATOR.format(n=1, target=10).replace("count(", "cuont("), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(HfspecError) as error:
            load_project([catalogue])
        assert [d.code for d in error.value.diagnostics] == ["HF408"]
    assert _entries(cache_dir) == []


def test_file_names_follow_the_working_folder(cache_dir, tmp_path, monkeypatch):
    catalogue = _catalogue(tmp_path / "k")
    monkeypatch.chdir(tmp_path)
    assert "k/catalogue.yaml" in load_project([catalogue]).files
    monkeypatch.chdir(tmp_path / "k")
    assert "catalogue.yaml" in load_project([catalogue]).files


def test_an_unsafe_or_damaged_cache_is_not_used(cache_dir, tmp_path):
    catalogue = _catalogue(tmp_path / "k")
    load_project([catalogue])
    entry = cache.key([catalogue], {"standard": True, "strict_select": True})
    assert cache.lookup(entry) is not None
    cache_dir.chmod(0o777)  # others could have written the pickle
    assert cache.lookup(entry) is None
    cache_dir.chmod(0o700)
    _entries(cache_dir)[0].write_bytes(b"not a pickle")
    assert cache.lookup(entry) is None
    assert list(load_project([catalogue]).compiled) == ["HF-L-01"]  # loaded afresh, and stored again
    assert cache.lookup(entry) is not None


def test_the_cache_can_be_turned_off(cache_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("HFSPEC_NO_CACHE", "1")
    load_project([_catalogue(tmp_path / "k")])
    assert not cache_dir.exists()
