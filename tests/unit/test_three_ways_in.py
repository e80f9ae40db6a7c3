"""Issue 10's "Done when": one round's responses given in the workbook, by Excel forms and by a
survey export show together in product 3's scores, spread and change-since-last-round views."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
from test_forms import AREA  # noqa: I001

import jointwork
from jointwork.core.plan import Sector
from jointwork.core.responses import Response, ResponseStore
from jointwork.forms.excel_form import ANSWERS, FIRST_QUESTION_ROW, ROW
from jointwork.products import Plan
from jointwork.products import successful_joint_working as p3


def workbook_answer(store: ResponseStore, round_id: str, sector: Sector, score: int, factor: str) -> None:
    """A response as the workbook's rating exercise saves it (through the store, source "workbook")."""
    response = Response("", round_id, p3.SLUG, sector, "", {factor: {"value": score, "note": ""}}, None)
    store.save(AREA, p3.QUESTIONNAIRE, response)


def test_workbook_forms_and_survey_show_together(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    store = ResponseStore(workspace)
    first = p3.factors()[0]
    baseline = store.open_round(AREA, p3.SLUG, "Baseline, March 2027", date(2027, 3, 1))
    for sector in (Sector.LOCAL_AUTHORITY, Sector.HEALTH, Sector.OTHER):
        workbook_answer(store, baseline.id, sector, 1, first.id)
    store.close_round(AREA, p3.SLUG, baseline.id)
    follow = store.open_round(AREA, p3.SLUG, "Follow-up, November 2027", date(2027, 11, 1))

    # in the workbook: one health and one local authority partner
    workbook_answer(store, follow.id, Sector.HEALTH, 2, first.id)
    workbook_answer(store, follow.id, Sector.LOCAL_AUTHORITY, 4, first.id)
    # by Excel forms: one health and one local authority partner
    written = jointwork.write_respondent_forms(AREA, 3, follow.name, tmp_path / "forms", 2, workspace)
    assert not written.opened and written.round == follow
    forms = written.paths
    for path, sector in zip(forms, ("Health", "Local authority"), strict=True):
        book = openpyxl.load_workbook(path)
        sheet = book[ANSWERS]
        sheet.cell(ROW["sector"], 2).value = sector
        sheet.cell(FIRST_QUESTION_ROW, 9).value = 3 if sector == "Health" else 4
        book.save(path)
    # by a survey export: one health and one local authority partner
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "Start time", "Completion time", "Email", "Name", "Your sector", first.title])
        writer.writerow([1, "2027-11-02 10:00", "2027-11-02 10:20", "anonymous", "", "Health", "3 Established"])
        writer.writerow([2, "2027-11-02 11:00", "2027-11-02 11:20", "anonymous", "", "Local authority", "4"])
    assert jointwork.import_responses(AREA, forms, workspace=workspace).added == 2
    assert jointwork.import_responses(AREA, [export], 3, follow.name, workspace=workspace).added == 2

    responses = store.area(AREA)
    answers = responses.answers(p3.SLUG)
    assert sorted(r.source for r in answers) == ["form", "form", "survey", "survey", "workbook", "workbook"]
    assert len({r.label for r in answers}) == 6 and all(r.anonymous for r in answers)
    plan = Plan(area_code=AREA)

    frame = p3.scores(answers).set_index("factor_id")
    row = frame.loc[first.id]
    assert row["ratings"] == 6 and row["mean"] == 3.33  # (2 + 4 + 3 + 4 + 3 + 4) / 6
    assert row["Health"] == 2.67 and row["Local authority"] == 4.0  # three of each: both shown
    assert row["range"] == 2  # the spread: from 2 to 4
    scores = p3.scores_table(plan, responses).text
    assert "in the round 'Follow-up, November 2027'" in scores
    assert f"{first.get('title')} | 6 | 3.3 | 4.0 | 2.7 | 2.0 |" in scores  # all three ways, counted together

    change = p3.change(answers, responses.previous(p3.SLUG).responses).set_index("factor_id")
    assert change.loc[first.id, "mean before"] == 1.0 and change.loc[first.id, "mean now"] == 3.33
    text = p3.change_table(plan, responses).text
    assert "from 'Baseline, March 2027' to 'Follow-up, November 2027'" in text and "+2.33" in text
