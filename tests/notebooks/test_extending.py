"""The template notebook for analysts who extend the workbook runs in batch mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork.core.content import load_content
from jointwork.core.paths import notebooks_dir
from jointwork.run.execute import execute_notebook

from conftest import outputs_text

pytestmark = pytest.mark.notebook
TEMPLATE = notebooks_dir() / "templates" / "exercise_template.ipynb"


@pytest.mark.parametrize("code, expected", [("E06000045", "successful_joint_working"), ("E08000025", "none")])
def test_template_runs(code: str, expected: str, sample_workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "template.ipynb"
    execute_notebook(TEMPLATE, out, {"area_code": code, "workspace": str(sample_workspace), "interactive": False})
    text = outputs_text(out)
    assert "Sections with entries so far: " in text and expected in text.split("Sections with entries so far: ")[1]
    first_barrier = load_content("successful_joint_working").group("barriers")[0]
    assert f"{first_barrier.get('title')} ({first_barrier.get('theme')})" in text


def test_api_reference_is_current_and_documented() -> None:
    """docs/api.md lists what the notebooks call; every function there has a docstring."""
    import subprocess
    import sys

    from conftest import REPO

    result = subprocess.run(
        [sys.executable, str(REPO / "dev" / "api_docs.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "(no docstring)" not in (REPO / "docs" / "api.md").read_text(encoding="utf-8")
