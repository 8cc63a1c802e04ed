"""The pseudonym key and pseudonyms from CPR numbers: the same key gives the same pseudonym every
run, another key changes every one, no key no mapping, and the key stays out of the project."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from hfspec.data.cells import CPR_PATTERN
from hfspec.data.pseudonym import PseudonymKey, find_key, parse_key, write_key
from hfspec.diagnostics import HfspecError

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "examples" / "exports"


@pytest.fixture(autouse=True)
def no_key_from_the_machine(monkeypatch, tmp_path):
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.delenv("HFSPEC_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "projekt"
    shutil.copytree(EXPORTS / "eksport", target / "eksport")
    shutil.copytree(EXPORTS / "mappings", target / "mappings")
    shutil.copy(EXPORTS / "catalogue.yaml", target / "catalogue.yaml")
    return target


def read_ids(folder: Path, dataset: str) -> list[str]:
    lines = (folder / f"{dataset}.csv").read_text(encoding="utf-8-sig").splitlines()
    return [line.split(",", 1)[0] for line in lines[1:]]


def test_a_pseudonym_is_a_keyed_hash_that_does_not_look_like_a_cpr_number():
    key = PseudonymKey(bytes(range(32)), "test")
    other = PseudonymKey(bytes(range(1, 33)), "test")
    a, b = key.pseudonym("0101901234"), key.pseudonym("0101901235")
    assert re.fullmatch(r"P[0-9A-F]{15}", a) and a != b and a == key.pseudonym("0101901234")
    assert other.pseudonym("0101901234") != a
    assert not re.match(CPR_PATTERN, a) and "0101901234" not in a and "010190" not in a


def test_key_new_writes_a_private_key_with_a_warning_and_never_replaces_one(tmp_path, run_cli):
    path = tmp_path / "keys" / "k.key"
    code, output = run_cli(["key", "new", "--out", path])
    assert code == 0, output
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = find_key(path)
    assert key.fingerprint in output and "VIGTIGT" in output and "password" in output
    assert key.secret.hex() not in output
    code, output = run_cli(["key", "new", "--out", path])
    assert code == 1 and "HF803" in output and find_key(path).secret == key.secret
    code, output = run_cli(["key", "show", "--key", path, "--lang", "en"])
    assert code == 0 and key.fingerprint in output and key.secret.hex() not in output


def test_the_default_key_file_and_the_environment(tmp_path, run_cli, monkeypatch):
    code, output = run_cli(["key", "show"])
    assert code == 1 and "hfspec key new" in output
    code, output = run_cli(["key", "new"])
    assert code == 0 and (tmp_path / "config" / "hfspec" / "pseudonym.key").is_file()
    assert find_key().path == tmp_path / "config" / "hfspec" / "pseudonym.key"
    monkeypatch.setenv("HFSPEC_PSEUDONYM_KEY", "ab" * 32)
    assert find_key().secret == bytes.fromhex("ab" * 32)
    monkeypatch.setenv("HFSPEC_PSEUDONYM_KEY_FILE", str(tmp_path / "missing.key"))
    with pytest.raises(HfspecError) as caught:
        find_key()
    assert caught.value.diagnostics[0].code == "HF535"


@pytest.mark.parametrize("text", ["", "# only a comment\n", "abc\n", "ab" * 31 + "\n", ("ab" * 32 + "\n") * 2])
def test_a_key_that_is_not_64_hex_digits_is_refused(text):
    with pytest.raises(HfspecError) as caught:
        parse_key(text, "test")
    assert [d.code for d in caught.value.diagnostics] == ["HF536"]


def test_without_a_key_nothing_is_mapped_and_nothing_is_written(project, run_cli):
    code, output = run_cli(["map", project / "catalogue.yaml", "--out", project / "data"])
    assert code == 1 and "HF535" in output and "hfspec key new" in output
    assert not (project / "data").exists()
    code, output = run_cli(["eval", project / "catalogue.yaml"])
    assert code == 1 and "HF535" in output


def test_a_key_inside_the_project_is_refused(project, run_cli):
    inside = project / "noegle.key"
    write_key(inside)
    code, output = run_cli(["map", project / "catalogue.yaml", "--key", inside, "--out", project / "data"])
    assert code == 1 and "HF537" in output and not (project / "data").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_others_can_read_is_a_warning(project, tmp_path, run_cli):
    path = tmp_path / "keys" / "k.key"
    write_key(path)
    path.chmod(0o644)
    code, output = run_cli(["map", project / "catalogue.yaml", "--key", path, "--out", project / "data", "-d", "herberg", "--lang", "en"])
    assert code == 0 and "warning[HF538]" in output and "chmod 600" in output


def test_the_same_key_gives_the_same_pseudonyms_and_another_key_changes_every_one(project, tmp_path, run_cli):
    first, second = tmp_path / "keys" / "a.key", tmp_path / "keys" / "b.key"
    write_key(first)
    write_key(second)
    runs = {}
    for name, key in (("a", first), ("a-again", first), ("b", second)):
        code, output = run_cli(["map", project / "catalogue.yaml", "--key", key, "--out", tmp_path / name])
        assert code == 0, output
        runs[name] = {ds: read_ids(tmp_path / name, ds) for ds in ("borgere", "status", "herberg", "tid")}
    assert runs["a"] == runs["a-again"]
    people_a = set().union(*runs["a"].values())
    people_b = set().union(*runs["b"].values())
    assert len(people_a) == len(people_b) == 95
    assert not people_a & people_b, "a new key must change every pseudonym"
    # every status, stay and month refers to a course: one person, one pseudonym across exports
    assert set(runs["a"]["status"]) | set(runs["a"]["herberg"]) | set(runs["a"]["tid"]) <= set(runs["a"]["borgere"])


def test_a_folder_written_with_another_key_is_not_overwritten(project, tmp_path, run_cli):
    first, second = tmp_path / "keys" / "a.key", tmp_path / "keys" / "b.key"
    write_key(first)
    write_key(second)
    out = tmp_path / "data"
    assert run_cli(["map", project / "catalogue.yaml", "--key", first, "--out", out])[0] == 0
    manifest = json.loads((out / "hfspec-map.json").read_text(encoding="utf-8"))
    assert manifest["key_fingerprint"] == find_key(first).fingerprint
    before = (out / "borgere.csv").read_bytes()
    code, output = run_cli(["map", project / "catalogue.yaml", "--key", second, "--out", out])
    assert code == 1 and "HF539" in output and "--new-key" in output
    assert (out / "borgere.csv").read_bytes() == before
    code, output = run_cli(["map", project / "catalogue.yaml", "--key", second, "--out", out, "--new-key"])
    assert code == 0 and (out / "borgere.csv").read_bytes() != before
