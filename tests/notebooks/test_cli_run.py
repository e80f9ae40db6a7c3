"""`jointwork run`: a product notebook executed for an area, its parameters injected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jointwork.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.notebook
def test_run_injects_area_code_as_text(sample_workspace: Path, tmp_path: Path, capsys) -> None:
    """A DfE code such as 852 is resolved to the GSS code and injected as a string, never a number."""
    code, out, _ = run(
        capsys, "run", "852", "--out", str(tmp_path), "--product", "3", "--workspace", str(sample_workspace)
    )
    assert code == 0
    executed = tmp_path / "E06000045" / "03_successful_joint_working.ipynb"
    assert str(executed) in out
    nb = json.loads(executed.read_text(encoding="utf-8"))
    injected = "".join(next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))["source"])
    assert 'area_code = "E06000045"' in injected and "interactive = False" in injected
