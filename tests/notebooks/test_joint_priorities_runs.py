"""Product notebook runs through papermill for joint priorities."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork.products import joint_priorities as p6
from jointwork.products import plan_store

CODE = "E06000045"  # Southampton: one ICB
TWO_ICBS = "E06000064"  # Westmorland and Furness: spans two ICBs, no sample plan


def title(principle_id: str) -> str:
    return p6.principle_titles()[principle_id]


@pytest.mark.notebook
class TestBatch:
    def test_sample_plan_appears_in_the_outputs(self, sample_workspace: Path, tmp_path: Path) -> None:
        from conftest import outputs_text, run_warm

        executed = run_warm(CODE, tmp_path / "out", 6, sample_workspace)
        text = outputs_text(executed)
        section = plan_store(sample_workspace).load(CODE).joint_priorities
        assert section.choices and section.signatories
        for choice in section.choices:
            assert title(choice.principle) in text
            for words in (choice.local_wording if choice.decision == "adapt" else "", choice.commitment, choice.reason):
                assert words.replace("'", "&#x27;") in text or words in text, words
        for role in section.signatories:
            assert role.replace("'", "&#x27;") in text or role in text
        assert section.agreement_title.replace("'", "&#x27;") in text or section.agreement_title in text
        assert "DRAFT, for discussion" in text and "ILLUSTRATIVE" in text and "reconstruction" in text
        assert "data:text/markdown" in text and "Traceback" not in text

    def test_area_without_a_plan(self, workspace: Path, tmp_path: Path) -> None:
        from conftest import outputs_text, run_warm

        executed = run_warm(TWO_ICBS, tmp_path / "out", 6, workspace)
        text = outputs_text(executed)
        assert "No decisions yet" in text and "No agreement yet" in text and "no saved plan yet" in text
        assert "starter for 10" in text
        assert not plan_store(workspace).exists(TWO_ICBS)
