"""Product notebook runs through papermill for find out more."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jointwork.products import find_out_more as p8
from jointwork.products import plan_store

from conftest import FRESH_AREA, outputs_text, run_warm

CODE = "E06000045"
CONTENT_MODULE = sys.modules["jointwork.products.find_out_more.content"]


@pytest.mark.notebook
class TestNotebook:
    def test_sample_area_batch_run_shows_the_plan(self, sample_workspace: Path, tmp_path: Path) -> None:
        code = "E06000026"
        executed = run_warm(code, tmp_path / "out", 8, sample_workspace)
        text = outputs_text(executed)
        notes = plan_store(sample_workspace).load(code).find_out_more.notes
        assert notes, "the sample plan should hold bookmarks or notes"
        titles = p8.reading_titles()
        bookmarks_part = text.split("Your team's bookmarks and notes")[1]
        for note in notes:
            assert titles[note.reading] in bookmarks_part
            if note.note:
                assert note.note in text
        assert '<a href="https://www.legislation.gov.uk/ukpga/2004/31"' in text
        assert "Traceback" not in text and not (sample_workspace / "exports").exists()

    def test_fresh_area_batch_run(self, workspace: Path, tmp_path: Path) -> None:
        executed = run_warm(FRESH_AREA, tmp_path / "out", 8, workspace)
        text = outputs_text(executed)
        assert "no saved plan yet" in text and "No bookmarks or notes yet" in text
        assert "Reading index (51 readings)" in text
        assert not plan_store(workspace).exists(FRESH_AREA) and not (workspace / "exports").exists()
