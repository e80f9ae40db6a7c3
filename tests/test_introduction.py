"""Product 1: area picking, the team, progress through the suite, outcomes, notes and the batch run."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from jointwork.areas import find_area
from jointwork.errors import PlanError
from jointwork.execute import run_product
from jointwork.paths import notebooks_dir
from jointwork.plan import FactorAction, IntroductionSection, Plan, Stakeholder
from jointwork.products import PRODUCTS
from jointwork.products import introduction as p1
from jointwork.store import PlanStore, parse_plan
from jointwork.workbook import open_workbook

from conftest import find_widgets
from test_notebooks import outputs_text

CODE = "E06000045"  # Southampton: a sample plan
FRESH = "E08000025"  # Birmingham: no sample plan


find = find_widgets


class TestContent:
    def test_five_outcomes_each_with_aims_and_todays_priorities(self) -> None:
        outcomes = p1.outcomes()
        assert [o.get("title") for o in outcomes] == ["Be healthy", "Stay safe", "Enjoy and achieve",
                                                        "Make a positive contribution", "Achieve economic well-being"]
        for outcome in outcomes:
            assert len(outcome.get("aims")) == 6 and outcome.get("aims")[-1].startswith("parents, carers and families")
            assert outcome.get("today"), outcome.id

    def test_suite_lists_every_product_once(self) -> None:
        numbers = sorted(e.get("number") for e in p1.content().group("suite"))
        assert numbers == sorted(PRODUCTS)
        text = p1.suite().text
        assert all(p.notebook in text for p in PRODUCTS.values())

    def test_reference_tables_show_then_and_now_and_cite(self) -> None:
        glossary = p1.glossary().text
        assert "Primary care trust (PCT) | Integrated care board (ICB)" in glossary and "1 July 2022" in glossary
        assert "[unverified]" in glossary and "Notes on the entries marked [unverified]" in glossary
        cases = p1.case_studies()
        luton = p1.content().entry("cs_luton")
        assert p1.content().cite(luton) in cases.text and "Luton" in cases.text and "own words" in cases.text
        outcomes = p1.ecm_outcomes().text
        assert "Aims (2004) | Today's health priorities" in outcomes and "ready for school" in outcomes
        strand = p1.emotional_health().text
        assert "What the toolkit said (2008) | Today" in strand and "Family Nurse Partnership" in strand

    def test_notebook_opening_uses_the_content(self) -> None:
        nb = json.loads((notebooks_dir() / "01_introduction.ipynb").read_text(encoding="utf-8"))
        opening = "".join(nb["cells"][0]["source"])
        assert f"about {p1.content().minutes} minutes" in opening
        assert "Who should be in the room" in opening and "What this exercise is for" in opening


def test_rendered_outputs_are_in_the_projects_own_words(tmp_path: Path) -> None:
    """Tables put content side by side; no two neighbouring cells may rebuild a run of the sources."""
    import subprocess
    import sys

    tool = Path(__file__).resolve().parents[2] / "shared" / "tools" / "own_words.py"
    if not tool.exists():
        pytest.skip(f"the own-words checker is not at {tool}")
    plan = PlanStore(Path(__file__).parents[1] / "data" / "samples").load(CODE)
    blocks = [p1.suite(), p1.ecm_outcomes(), p1.emotional_health(), p1.case_studies(), p1.glossary(), p1.sources(),
              p1.progress_table(plan), p1.progress_chart(plan), p1.area_facts(plan), p1.team_details(plan),
              p1.outcome_notes_table(plan)]
    folder = tmp_path / "rendered"
    folder.mkdir()
    (folder / "outputs.txt").write_text("\n".join(b.text + "\n" + b.markup for b in blocks), encoding="utf-8")
    result = subprocess.run([sys.executable, str(tool), str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


class TestCheck:
    def test_bad_outcome_id_is_reported(self) -> None:
        section = IntroductionSection(outcome_notes={"be_healthy": "ok", "be_happy": "typo"})
        problems = list(p1.check(section))
        assert problems == [(("outcome_notes", "be_happy"), problems[0][1])]
        assert "be_healthy" in problems[0][1]

    def test_store_refuses_a_plan_naming_an_unknown_outcome(self) -> None:
        text = f"schema_version: 1\narea_code: {CODE}\nintroduction:\n  outcome_notes:\n    be_happy: x\n"
        with pytest.raises(PlanError, match="introduction.outcome_notes.be_happy"):
            parse_plan(text, "plan.yaml")


class TestProgress:
    def test_blank_plan(self) -> None:
        frame = p1.progress(Plan(area_code=CODE))
        assert list(frame["number"]) == sorted(PRODUCTS) and not frame["started"].any()
        assert set(frame["status"]) == {"not started"} and frame["entries"].sum() == 0
        assert list(frame.columns) == ["number", "slug", "title", "notebook", "available", "started", "status",
                                       "entries", "filled", "not_filled"]
        assert "0 of 8 products started" in p1.progress_table(Plan(area_code=CODE)).text
        assert "Nothing entered yet" in p1.progress_chart(Plan(area_code=CODE)).text

    def test_counts_entries_in_any_section(self) -> None:
        plan = Plan(area_code=CODE)
        p1.set_team_detail(plan, "team_name", "Us")
        p1.set_outcome_note(plan, "stay_safe", "Home safety")
        p1.set_outcome_note(plan, "be_healthy", "Breastfeeding")
        plan.who_to_engage.stakeholders.append(Stakeholder(role="Head of midwifery", sector="health"))
        plan.who_to_engage.stakeholders.append(Stakeholder(role="Hub manager", sector="local authority"))
        plan.successful_joint_working.actions.append(FactorAction(factor="x", action="Meet"))
        frame = p1.progress(plan).set_index("slug")
        assert frame.loc["introduction", "entries"] == 3 and frame.loc["introduction", "status"] == "started"
        assert frame.loc["introduction", "filled"] == "team name; outcome notes: 2"
        assert frame.loc["introduction", "not_filled"] == "facilitator; workshop date; hopes"
        assert frame.loc["who_to_engage", "filled"] == "stakeholders: 2"
        assert frame.loc["successful_joint_working", "entries"] == 1
        assert not frame.loc["find_out_more", "started"]
        chart = p1.progress_chart(plan)
        assert "3 of 8 products started; most entries in 1. " in chart.text
        assert 'role="img"' in chart.markup and "<desc" in chart.markup and "<table" in chart.markup

    def test_started_matches_the_plan(self) -> None:
        plan = PlanStore(Path(__file__).parents[1] / "data" / "samples").load(CODE)
        frame = p1.progress(plan)
        assert list(frame["started"]) == [plan.is_started(p.slug) for p in PRODUCTS.values()]


class TestEdits:
    def test_team_details(self) -> None:
        plan = Plan(area_code=CODE)
        p1.set_team_detail(plan, "facilitator", "  Alex  ")
        p1.set_team_detail(plan, "workshop_date", "2026-03-05")
        assert plan.introduction.facilitator == "Alex" and plan.introduction.workshop_date == date(2026, 3, 5)
        p1.set_team_detail(plan, "workshop_date", None)
        assert plan.introduction.workshop_date is None
        assert "Facilitator | Alex" in p1.team_details(plan).text

    @pytest.mark.parametrize("field, value, message", [
        ("team", "x", "no team detail called 'team'"),
        ("team_name", "x" * 201, "keep it to 200 or fewer"),
        ("hopes", "x" * 5001, "keep it to 5,000 or fewer"),
        ("workshop_date", "next Tuesday", "a date such as 2026-03-05"),
        ("workshop_date", date(1900, 1, 1), "between 2000 and 2100"),
    ])
    def test_refused_team_details(self, field: str, value: object, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            p1.set_team_detail(Plan(area_code=CODE), field, value)

    def test_outcome_notes_kept_in_outcome_order_and_emptied(self) -> None:
        plan = Plan(area_code=CODE)
        p1.set_outcome_note(plan, "economic_wellbeing", "Jobcentre links")
        p1.set_outcome_note(plan, "be_healthy", "Vitamins")
        assert list(plan.introduction.outcome_notes) == ["be_healthy", "economic_wellbeing"]
        p1.set_outcome_note(plan, "be_healthy", "  ")
        assert plan.introduction.outcome_notes == {"economic_wellbeing": "Jobcentre links"}
        with pytest.raises(ValueError, match="no Every Child Matters outcome 'be_happy'"):
            p1.set_outcome_note(plan, "be_happy", "x")

    def test_blank_outputs_say_so(self) -> None:
        plan = Plan(area_code=CODE)
        assert "No team details recorded yet" in p1.team_details(plan).text
        assert "No notes on the outcomes yet" in p1.outcome_notes_table(plan).text


class TestAreas:
    def test_best_matches_first(self) -> None:
        assert [a.code for a in p1.find_matches("southampton")] == [CODE]
        assert p1.find_matches("852")[0].code == CODE
        assert p1.find_matches("south")[0].name.lower().startswith("south")
        assert p1.find_matches("   ") == []

    def test_matches_table_says_whether_a_plan_exists(self, sample_workspace: Path) -> None:
        text = p1.area_matches("Southampton", PlanStore(sample_workspace)).text
        assert "Southampton | E06000045 | South East | NHS Hampshire and Isle of Wight ICB" in text
        assert text.rstrip().endswith("| yes")
        assert p1.area_matches("Birmingham", PlanStore(sample_workspace)).text.rstrip().endswith("| no")
        assert "no area matches" in p1.area_matches("zzzz").text
        assert "first 12 of" in p1.area_matches("south").text

    def test_area_facts(self) -> None:
        text = p1.area_facts(Plan(area_code=FRESH)).text
        assert "Birmingham" in text and "spans 2 ICBs" in text and "NHS Black Country ICB" in text

    def test_start_plan_never_replaces(self, workspace: Path) -> None:
        store = PlanStore(workspace)
        assert p1.start_plan(store, FRESH) and store.load(FRESH) == Plan(area_code=FRESH)
        store.update(FRESH, lambda plan: p1.set_team_detail(plan, "team_name", "Birmingham team"))
        assert not p1.start_plan(store, FRESH)
        assert store.load(FRESH).introduction.team_name == "Birmingham team"


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    def test_search_and_start_a_plan(self, sample_workspace: Path) -> None:
        wb = open_workbook(CODE, sample_workspace, interactive=True)
        ui = p1.area_picker(wb)
        chooser = find(ui, "Dropdown", "Area")[0]
        start = find(ui, "Button", "Start a new plan")[0]
        assert chooser.value == CODE and start.disabled  # the sample area has a plan
        find(ui, "Text", "Search for an area")[0].value = "Birmingham"
        assert chooser.value == FRESH and not start.disabled
        html = "".join(h.value for h in find(ui, "HTML"))
        assert "Birmingham has no plan in this workspace yet" in html and 'area_code = &quot;E08000025&quot;' in html
        start.click()
        assert PlanStore(sample_workspace).exists(FRESH) and start.disabled
        assert "Started a new plan for Birmingham" in wb.status.value
        start.click()  # even if pressed again, the plan is kept
        assert "already has a plan; nothing was changed" in wb.status.value
        assert PlanStore(sample_workspace).load(CODE).introduction.team_name.startswith("Southampton")

    def test_start_keeps_an_existing_plan(self, workspace: Path) -> None:
        store = PlanStore(workspace)
        store.update(FRESH, lambda plan: p1.set_team_detail(plan, "team_name", "Birmingham team"))
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p1.area_picker(wb)
        find(ui, "Text", "Search for an area")[0].value = "E08000025"
        start = find(ui, "Button", "Start a new plan")[0]
        assert start.disabled
        assert "Birmingham has a saved plan" in "".join(h.value for h in find(ui, "HTML"))
        start.click()
        assert store.load(FRESH).introduction.team_name == "Birmingham team"

    def test_team_form_saves_at_once_and_redraws_views(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p1.progress_table)
        ui = p1.exercise(wb)
        find(ui, "Text", "Team name")[0].value = "Southampton hubs group"
        find(ui, "Text", "Facilitator")[0].value = "Sam"
        find(ui, "DatePicker", "Workshop date")[0].value = date(2026, 4, 1)
        find(ui, "Textarea", "What the team hopes for")[0].value = "A shared plan"
        saved = PlanStore(workspace).load(CODE).introduction
        assert (saved.team_name, saved.facilitator, saved.workshop_date, saved.hopes) == (
            "Southampton hubs group", "Sam", date(2026, 4, 1), "A shared plan")
        assert "Saved" in wb.status.value
        assert "team name; facilitator; workshop date; hopes" in view.value and "1 of 8 products started" in view.value

    def test_refused_input_is_shown_in_words(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p1.exercise(wb)
        find(ui, "Text", "Team name")[0].value = "Us"
        find(ui, "Textarea", "What the team hopes for")[0].value = "x" * 5001
        assert "Not saved" in wb.status.value and "5,000 or fewer" in wb.status.value
        saved = PlanStore(workspace).load(CODE).introduction
        assert saved.team_name == "Us" and saved.hopes == ""

    def test_outcome_notes_save_and_redraw(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p1.outcome_notes_table)
        ui = p1.outcome_exercise(wb)
        boxes = find(ui, "Textarea")
        assert [b.description for b in boxes] == [f"Notes: {t}" for t in p1.outcome_titles().values()]
        boxes[1].value = "Accident prevention with the ICB"
        assert PlanStore(workspace).load(CODE).introduction.outcome_notes == {"stay_safe": "Accident prevention with the ICB"}
        assert "Accident prevention with the ICB" in view.value
        boxes[1].value = ""
        assert PlanStore(workspace).load(CODE).introduction.outcome_notes == {}
        assert "No notes on the outcomes yet" in view.value


@pytest.mark.notebook
class TestBatch:
    def test_sample_area(self, sample_workspace: Path, tmp_path: Path) -> None:
        executed = run_product(CODE, tmp_path / "out", 1, sample_workspace)
        text = outputs_text(executed)
        plan = PlanStore(sample_workspace).load(CODE)
        section = plan.introduction
        for value in (section.team_name, section.facilitator, section.workshop_date.isoformat(), section.hopes,
                      *section.outcome_notes.values()):
            assert value in text
        started = sum(plan.is_started(p.slug) for p in PRODUCTS.values())
        assert f"The team's progress: {started} of 8 products started" in text
        assert "Southampton at a glance" in text and 'area_code = "E06000045"' in text
        assert "Traceback" not in text and "ILLUSTRATIVE" in text

    def test_fresh_area(self, workspace: Path, tmp_path: Path) -> None:
        executed = run_product(FRESH, tmp_path / "out", 1, workspace)
        text = outputs_text(executed)
        assert "no saved plan yet" in text and "No team details recorded yet" in text
        assert "0 of 8 products started" in text and "Nothing entered yet in any product" in text
        assert "No notes on the outcomes yet" in text and find_area(FRESH).name + " at a glance" in text
        assert not PlanStore(workspace).exists(FRESH), "a batch run must not write a plan"
