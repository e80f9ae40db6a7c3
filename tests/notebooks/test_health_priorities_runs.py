"""Product notebook runs through papermill for health priorities."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jointwork.core.indicators import area_snapshot
from jointwork.core.licence import ATTRIBUTION
from jointwork.products import health_priorities as p2
from jointwork.products import plan_store

from conftest import outputs_text, run_warm

CODE = "E06000045"  # Southampton
FRESH = "E08000025"  # Birmingham: no sample plan
INJURY = "injury_admissions_0_14"
GLD = "good_level_of_development"
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


@pytest.mark.notebook
class TestBatchRuns:
    def test_sample_plan_appears_in_the_outputs(self, sample_workspace: Path, tmp_path: Path) -> None:
        text = outputs_text(run_warm(CODE, tmp_path / "out", 2, sample_workspace))
        section = plan_store(sample_workspace).load(CODE).health_priorities
        assert section.priorities and section.actions
        titles = p2.objective_titles()
        for p in section.priorities:
            assert f"{p.rank} | {titles[p.objective]}" in text and p.why in text
            assert f"{titles[p.objective]} [Priority {p.rank}]" in text  # marked in the matrix
        for a in section.actions:
            assert a.what in text and a.measure in text
        assert section.notes in text
        snapshot = area_snapshot(CODE).set_index("key")
        assert p2.format_value(snapshot.loc[GLD, "area_value"], "%") in text and ATTRIBUTION in text
        assert "Traceback" not in text

    def test_area_with_no_plan(self, workspace: Path, tmp_path: Path) -> None:
        text = outputs_text(run_warm(FRESH, tmp_path / "out", 2, workspace))
        assert "Birmingham" in text and "no saved plan yet" in text and "No priorities chosen yet" in text
        assert p2.format_value(area_snapshot(FRESH).set_index("key").loc[INJURY, "area_value"], "per 10,000") in text
        assert not plan_store(workspace).exists(FRESH)
