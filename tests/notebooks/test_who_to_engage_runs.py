"""Product notebook runs through papermill for who to engage."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork.core.paths import notebooks_dir
from jointwork.products import plan_store
from jointwork.products import who_to_engage as p4
from jointwork.run.execute import execute_notebook, notebook_parameters

from conftest import outputs_text, run_warm

CODE = "E06000045"  # Southampton
CONTACT = "midwifery.sample@example.org"  # the contact held in the Southampton sample plan


@pytest.mark.notebook
class TestBatch:
    def test_sample_area(self, sample_workspace: Path, tmp_path: Path) -> None:
        executed = run_warm(CODE, tmp_path / "out", 4, sample_workspace)
        text = outputs_text(executed)
        plan = plan_store(sample_workspace).load(CODE)
        for stakeholder in p4.section(plan).stakeholders:
            assert stakeholder.role in text
        assert "NHS Hampshire and Isle of Wight ICB (indicative)" in text and "not co-terminous" in text
        assert "to manage closely" in text and "Keep satisfied" in text
        assert "Contact details are kept in the plan for 1 stakeholder(s)" in text
        assert CONTACT not in executed.read_text(encoding="utf-8"), "a contact leaked into a batch output"
        assert "Traceback" not in text

    def test_contacts_only_when_asked_through_papermill(self, sample_workspace: Path, tmp_path: Path) -> None:
        target = tmp_path / "with_contacts.ipynb"
        execute_notebook(
            notebooks_dir() / p4.PRODUCT.notebook,
            target,
            {**notebook_parameters(CODE, sample_workspace), "show_contacts": True},
        )
        text = outputs_text(target)
        assert CONTACT in text and "Contact details are kept in the plan" not in text
