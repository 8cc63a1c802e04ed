"""Shared test fixtures. `pytest --update-golden` rewrites golden files instead of comparing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """The project cache (hfspec/spec/cache.py) is on in the tests, in a folder of their own: every
    test that loads a catalogue twice then also checks that a cached project is the same."""
    if "HFSPEC_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["HFSPEC_CACHE_DIR"] = config._hfspec_cache = tempfile.mkdtemp(prefix="hfspec-test-cache-")


def pytest_unconfigure(config):
    if getattr(config, "_hfspec_cache", None):
        import shutil

        shutil.rmtree(config._hfspec_cache, ignore_errors=True)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden expected files from the actual output")


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def run_cli():
    """Run the real `hfspec` command in-process; returns (exit code, combined output)."""
    from click.testing import CliRunner

    from hfspec.cli import main

    def run(args, cwd: Path | None = None):
        runner = CliRunner()
        old = os.getcwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        finally:
            os.chdir(old)
        return result.exit_code, result.output
    return run


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path} did not exist; written, review it")
        return
    assert actual == path.read_text(encoding="utf-8")
