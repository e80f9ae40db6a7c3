"""Product notebook runs through papermill for when to engage."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork.products import plan_store
from jointwork.products import when_to_engage as p5

from conftest import FRESH_AREA, outputs_text, run_warm

CODE = "E06000045"


@pytest.mark.notebook
class TestNotebook:
    def test_sample_area_outputs_show_the_sample_plan(self, sample_workspace: Path, tmp_path: Path) -> None:
        code = "E10000007"
        plan = plan_store(sample_workspace).load(code)
        executed = run_warm(code, tmp_path / "out", 5, sample_workspace)
        text = outputs_text(executed)
        assert "Derbyshire" in text and "ILLUSTRATIVE" in text and "Traceback" not in text
        assert "Reconstructed stages" in text and "Now: developing a family hub" in text
        titles = p5.activity_titles()
        for item in plan.when_to_engage.activities:
            assert titles[item.activity] in text and item.owner in text
        assert "Sort out employment terms for joint teams: no one responsible (R)" in text
        assert "Planned but not on the timeline" in text and "Set up the advisory board with health members" in text
        assert f"{len(plan.when_to_engage.activities)} activities planned across the four stages" in text

    def test_area_with_no_plan(self, workspace: Path, tmp_path: Path) -> None:
        executed = run_warm(FRESH_AREA, tmp_path / "out", 5, workspace)
        text = outputs_text(executed)
        assert "no saved plan yet" in text and "Nothing planned yet" in text
        assert "Reconstructed stages" in text and "Traceback" not in text
        assert not plan_store(workspace).exists(FRESH_AREA)
