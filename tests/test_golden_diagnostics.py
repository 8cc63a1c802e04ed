"""Golden tests: the exact rendered diagnostics of typical mistakes in spec files.

Each folder under tests/golden/<group>/<case>/ holds `input.yaml` and `expected.txt` (the output of
`hfspec validate input.yaml`, run inside the folder). `pytest --update-golden` rewrites them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check_golden

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("*/*") if (p / "input.yaml").exists())


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_golden(case: Path, run_cli, update_golden):
    code, output = run_cli(["validate", "input.yaml"], cwd=case)
    assert code == 1, output
    assert "Traceback" not in output
    check_golden(case / "expected.txt", output, update_golden)
