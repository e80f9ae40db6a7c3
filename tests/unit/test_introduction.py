"""Product 1: area picking, the team, progress through the suite, outcomes, notes and the batch run."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from jointwork.core.areas import find_area
from jointwork.core.errors import PlanError
from jointwork.core.paths import notebooks_dir
from jointwork.core.plan import plan_model
from jointwork.core.product import Product
from jointwork.core.store import parse_plan
from jointwork.products import PRODUCTS, Plan, plan_store
from jointwork.products import introduction as p1
from jointwork.products.introduction.model import IntroductionSection
from jointwork.products.successful_joint_working.model import FactorAction
from jointwork.products.who_to_engage.model import Stakeholder
from jointwork.session import open_workbook
from jointwork.workshop.workbook import Workbook

from conftest import REPO, SAMPLES, find_widgets, skip_or_fail

CODE = "E06000045"  # Southampton: a sample plan
FRESH = "E08000025"  # Birmingham: no sample plan
CONTENT_MODULE = sys.modules["jointwork.products.introduction.content"]

find = find_widgets


def html_of(ui) -> str:
    """Every HTML widget's markup inside ``ui``, joined."""
    return "".join(h.value for h in find(ui, "HTML"))


class TestContent:
    def test_five_outcomes_each_with_aims_and_todays_priorities(self) -> None:
        outcomes = p1.outcomes()
        assert [o.get("title") for o in outcomes] == [
            "Be healthy",
            "Stay safe",
            "Enjoy and achieve",
            "Make a positive contribution",
            "Achieve economic well-being",
        ]
        for outcome in outcomes:
            assert len(outcome.get("aims")) == 6 and outcome.get("aims")[-1].startswith("parents, carers and families")
            assert outcome.get("today"), outcome.id

    def test_content_checks_pass(self) -> None:
        assert list(p1.content_checks()) == []

    def test_a_broken_content_copy_is_reported(self, monkeypatch: pytest.MonkeyPatch) -> None:
        broken = p1.content().model_copy(deep=True)
        by_id = {e.id: e for items in broken.entries.values() for e in items}
        by_id["product_4"].number = 3
        by_id["stay_safe"].today = []
        monkeypatch.setattr(CONTENT_MODULE, "content", lambda: broken)
        assert list(p1.content_checks()) == [
            "suite entry 'product_4' uses product number 3, which another entry already has",
            "outcome 'stay_safe' has no 'today'",
        ]

    def test_the_2007_08_suite_matches_the_registry(self) -> None:
        # The 2007-08 suite was eight products; each is in the registry, which may hold later ones too.
        assert sorted(p1.suite_entries()) == list(range(1, 9))
        assert set(p1.suite_entries()) <= {p.number for p in PRODUCTS}
        text = p1.suite(Plan(area_code=CODE)).text
        assert all(p.notebook in text and p.title in text for p in PRODUCTS)
        assert "Introduction to the suite of products" in text

    def test_the_suite_follows_the_plans_own_products(self) -> None:
        """A product added to the suite after 2007-08 is listed with its notebook, marked as new."""
        extra = Product(
            max(p.number for p in PRODUCTS) + 1,
            "test_extra_product",
            "Logic model: outcomes and measures",
            IntroductionSection,
        )
        plan = plan_model((*PRODUCTS, extra))(area_code=CODE)
        rows = p1.suite(plan).text.splitlines()
        assert rows[-1].startswith(
            f"{extra.number} | Logic model: outcomes and measures | not part of the 2007-08 suite"
        )
        assert extra.notebook in rows[-1]
        assert list(p1.progress(plan)["slug"])[-1] == "test_extra_product"

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
        assert "run every cell" not in opening.lower(), "the header gives each surface its own instructions"


def test_rendered_outputs_are_in_the_projects_own_words(tmp_path: Path) -> None:
    """Tables put content side by side; no two neighbouring cells may rebuild a run of the sources."""
    import subprocess

    tool = REPO.parent / "shared" / "tools" / "own_words.py"
    if not tool.exists():
        skip_or_fail(f"the own-words checker is not at {tool}")
    plan = plan_store(SAMPLES.parent).read(SAMPLES / f"{CODE}.yaml")
    blocks = [
        p1.suite(plan),
        p1.ecm_outcomes(),
        p1.emotional_health(),
        p1.case_studies(),
        p1.glossary(),
        p1.sources(),
        p1.progress_table(plan),
        p1.progress_chart(plan),
        p1.area_facts(plan),
        p1.team_details(plan),
        p1.outcome_notes_table(plan),
    ]
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
            parse_plan(text, "plan.yaml", Plan)


class TestProgress:
    def test_blank_plan(self) -> None:
        frame = p1.progress(Plan(area_code=CODE))
        assert list(frame["number"]) == [p.number for p in PRODUCTS] and not frame["started"].any()
        assert set(frame["status"]) == {"not started"} and frame["entries"].sum() == 0
        assert list(frame.columns) == [
            "number",
            "slug",
            "title",
            "notebook",
            "started",
            "status",
            "entries",
            "filled",
            "not_filled",
        ]
        assert f"0 of {len(PRODUCTS)} products started" in p1.progress_table(Plan(area_code=CODE)).text
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
        assert f"3 of {len(PRODUCTS)} products started; most entries in 1. " in chart.text
        assert 'role="img"' in chart.markup and "<desc" in chart.markup and "<table" in chart.markup
        table = p1.progress_table(plan).text
        assert "| 01_introduction.ipynb | started | 3 | team name; outcome notes: 2 |" in table
        assert "not in this version yet" not in table

    def test_started_matches_the_plan(self) -> None:
        plan = plan_store(SAMPLES.parent).read(SAMPLES / f"{CODE}.yaml")
        frame = p1.progress(plan)
        assert list(frame["started"]) == [plan.is_started(p.slug) for p in PRODUCTS]


class TestEdits:
    def test_team_details(self) -> None:
        plan = Plan(area_code=CODE)
        p1.set_team_detail(plan, "facilitator", "  Alex  ")
        p1.set_team_detail(plan, "workshop_date", "2026-03-05")
        assert plan.introduction.facilitator == "Alex" and plan.introduction.workshop_date == date(2026, 3, 5)
        p1.set_team_detail(plan, "workshop_date", None)
        assert plan.introduction.workshop_date is None
        assert "Facilitator | Alex" in p1.team_details(plan).text

    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("team", "x", "no team detail called 'team'"),
            ("team_name", "x" * 201, "keep it to 200 or fewer"),
            ("hopes", "x" * 5001, "keep it to 5,000 or fewer"),
            ("workshop_date", "next Tuesday", "a date such as 2026-03-05"),
            ("workshop_date", date(1900, 1, 1), "between 2000 and 2100"),
        ],
    )
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
        text = p1.area_matches("Southampton", plan_store(sample_workspace)).text
        assert "Southampton | E06000045 | South East | NHS Hampshire and Isle of Wight ICB" in text
        assert text.rstrip().endswith("| yes")
        assert p1.area_matches("Birmingham", plan_store(sample_workspace)).text.rstrip().endswith("| no")
        assert "no area matches" in p1.area_matches("zzzz").text
        assert "first 12 of" in p1.area_matches("south").text

    def test_area_facts(self) -> None:
        text = p1.area_facts(Plan(area_code=FRESH)).text
        assert "Birmingham" in text and "NHS Birmingham and Solihull ICB" in text and "Black Country" not in text
        assert "Integrated care board(s) from 1 April 2026" in text
        text = p1.area_facts(Plan(area_code="E06000064")).text  # Westmorland and Furness
        assert "spans 2 ICBs" in text and "NHS Lancashire and South Cumbria ICB" in text
        text = p1.area_facts(Plan(area_code="E10000030")).text  # Surrey
        assert "(uncertain)" in text and "Farnham" in text and "replaced by East Surrey" in text

    def test_start_plan_never_replaces(self, workspace: Path) -> None:
        store = plan_store(workspace)
        assert p1.start_plan(store, FRESH) and store.load(FRESH) == Plan(area_code=FRESH)
        store.update(FRESH, lambda plan: p1.set_team_detail(plan, "team_name", "Birmingham team"))
        assert not p1.start_plan(store, FRESH)
        assert store.load(FRESH).introduction.team_name == "Birmingham team"


class TestAreaPickerOnEachSurface:
    """The area picker fits where it is shown: JupyterLab searches, the app says where the area was
    chosen, a pack shows the area's facts."""

    def test_in_jupyterlab_a_search_and_the_parameters_cell(self, sample_workspace: Path) -> None:
        wb = Workbook(find_area(CODE), plan_store(sample_workspace), interactive=True, surface="lab")
        ui = p1.area_picker(wb)
        assert find(ui, "Text", "Search for an area") and find(ui, "Button", "Start a new plan")
        assert "parameters cell" in html_of(ui)

    def test_in_the_app_no_second_picker_and_no_parameters_cell(self, sample_workspace: Path) -> None:
        wb = Workbook(find_area(CODE), plan_store(sample_workspace), interactive=True, surface="app")
        shown = p1.area_picker(wb)
        assert not find(shown, "Text") and not find(shown, "Dropdown") and not find(shown, "Button")
        assert "parameters cell" not in shown.text and "area_code" not in shown.text
        assert shown.text == (
            "You chose Southampton on the start page of the app. To work on another area, use the "
            "navigation at the top of the page."
        )

    def test_in_a_pack_the_facts_and_no_instructions_for_code(self, sample_workspace: Path) -> None:
        wb = Workbook(find_area(CODE), plan_store(sample_workspace), interactive=False)
        assert wb.surface == "pack"
        shown = p1.area_picker(wb)
        assert "Southampton at a glance" in shown.text
        assert "parameters cell" not in shown.text


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
        html = html_of(ui)
        assert "Birmingham has no plan in this workspace yet" in html and "area_code = &quot;E08000025&quot;" in html
        start.click()
        assert plan_store(sample_workspace).exists(FRESH) and start.disabled
        assert "Started a new plan for Birmingham" in wb.status.value
        start.click()  # even if pressed again, the plan is kept
        assert "already has a plan; nothing was changed" in wb.status.value
        assert plan_store(sample_workspace).load(CODE).introduction.team_name.startswith("Southampton")

    def test_start_keeps_an_existing_plan(self, workspace: Path) -> None:
        store = plan_store(workspace)
        store.update(FRESH, lambda plan: p1.set_team_detail(plan, "team_name", "Birmingham team"))
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p1.area_picker(wb)
        find(ui, "Text", "Search for an area")[0].value = "E08000025"
        start = find(ui, "Button", "Start a new plan")[0]
        assert start.disabled
        assert "Birmingham has a saved plan" in html_of(ui)
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
        saved = plan_store(workspace).load(CODE).introduction
        assert (saved.team_name, saved.facilitator, saved.workshop_date, saved.hopes) == (
            "Southampton hubs group",
            "Sam",
            date(2026, 4, 1),
            "A shared plan",
        )
        assert "Saved" in wb.status.value
        assert (
            "team name; facilitator; workshop date; hopes" in view.value
            and f"1 of {len(PRODUCTS)} products started" in view.value
        )

    def test_refused_input_is_shown_in_words_and_the_box_shows_what_is_saved(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p1.exercise(wb)
        find(ui, "Text", "Team name")[0].value = "Us"
        hopes = find(ui, "Textarea", "What the team hopes for")[0]
        hopes.value = "x" * 5001
        assert "Not saved" in wb.status.value and "5,000 or fewer" in wb.status.value
        assert hopes.value == ""
        picker = find(ui, "DatePicker", "Workshop date")[0]
        picker.value = date(2026, 4, 1)
        picker.value = date(1999, 12, 31)
        assert "Not saved" in wb.status.value and "between 2000 and 2100" in wb.status.value
        assert picker.value == date(2026, 4, 1)
        saved = plan_store(workspace).load(CODE).introduction
        assert (saved.team_name, saved.hopes, saved.workshop_date) == ("Us", "", date(2026, 4, 1))

    def test_outcome_notes_save_and_redraw(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p1.outcome_notes_table)
        ui = p1.outcome_exercise(wb)
        boxes = find(ui, "Textarea")
        assert [b.description for b in boxes] == [f"Notes: {t}" for t in p1.outcome_titles().values()]
        boxes[1].value = "Accident prevention with the ICB"
        assert plan_store(workspace).load(CODE).introduction.outcome_notes == {
            "stay_safe": "Accident prevention with the ICB"
        }
        assert "Saved the note on &#x27;Stay safe&#x27;" in wb.status.value
        assert "Accident prevention with the ICB" in view.value
        boxes[1].value = ""
        assert plan_store(workspace).load(CODE).introduction.outcome_notes == {}
        assert "No notes on the outcomes yet" in view.value

    def test_a_batch_run_shows_what_is_saved(self, sample_workspace: Path) -> None:
        wb = open_workbook(CODE, sample_workspace, interactive=False)
        saved = plan_store(sample_workspace).load(CODE).introduction
        assert saved.team_name in p1.exercise(wb).text
        assert f"{len(saved.outcome_notes)} of 5 outcomes have a note" in p1.outcome_exercise(wb).text
