"""Product notebook runs through papermill for introduction."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jointwork.core.areas import find_area
from jointwork.products import PRODUCTS, plan_store

from conftest import find_widgets, outputs_text, run_warm

CODE = "E06000045"  # Southampton: a sample plan
FRESH = "E08000025"  # Birmingham: no sample plan
CONTENT_MODULE = sys.modules["jointwork.products.introduction.content"]

find = find_widgets


@pytest.mark.notebook
class TestBatch:
    def test_sample_area(self, sample_workspace: Path, tmp_path: Path) -> None:
        executed = run_warm(CODE, tmp_path / "out", 1, sample_workspace)
        text = outputs_text(executed)
        plan = plan_store(sample_workspace).load(CODE)
        section = plan.introduction
        for value in (
            section.team_name,
            section.facilitator,
            section.workshop_date.isoformat(),
            section.hopes,
            *section.outcome_notes.values(),
        ):
            assert value in text
        started = sum(plan.is_started(p.slug) for p in PRODUCTS)
        assert f"The team's progress: {started} of {len(PRODUCTS)} products started" in text
        assert "The suite at a glance" in text and "08_find_out_more.ipynb" in text
        assert "Southampton at a glance" in text and "parameters cell" not in text
        assert "Traceback" not in text and "ILLUSTRATIVE" in text

    def test_fresh_area(self, workspace: Path, tmp_path: Path) -> None:
        executed = run_warm(FRESH, tmp_path / "out", 1, workspace)
        text = outputs_text(executed)
        assert "no saved plan yet" in text and "No team details recorded yet" in text
        assert f"0 of {len(PRODUCTS)} products started" in text and "Nothing entered yet in any product" in text
        assert "No notes on the outcomes yet" in text and find_area(FRESH).name + " at a glance" in text
        assert not plan_store(workspace).exists(FRESH), "a batch run must not write a plan"
