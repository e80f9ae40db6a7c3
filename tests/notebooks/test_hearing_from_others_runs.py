"""Product notebook runs through papermill for hearing from others."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork.products import plan_store

from conftest import FRESH_AREA, outputs_text, run_warm

CODE = "E06000045"  # Southampton: the library holds perspectives from here
DERBYSHIRE = "E10000007"


@pytest.mark.notebook
class TestNotebook:
    def test_sample_area_batch_run_shows_the_plan(self, sample_workspace: Path, tmp_path: Path) -> None:
        executed = run_warm(DERBYSHIRE, tmp_path / "out", 7, sample_workspace)
        text = outputs_text(executed)
        plan = plan_store(sample_workspace).load(DERBYSHIRE)
        assert plan.hearing_from_others.interviews, "the sample plan should hold interviews"
        for interview in plan.hearing_from_others.interviews:
            assert interview.interviewee in text and interview.summary in text
        assert "From your area (Derbyshire)" in text and "Most common barrier theme" in text
        assert "Your barriers" in text and "Traceback" not in text

    def test_fresh_area_batch_run(self, workspace: Path, tmp_path: Path) -> None:
        executed = run_warm(FRESH_AREA, tmp_path / "out", 7, workspace)
        text = outputs_text(executed)
        assert "no saved plan yet" in text and "No interviews recorded yet" in text
        assert "no interviews of your own yet" in text and "From your area" not in text
        assert not plan_store(workspace).exists(FRESH_AREA)
