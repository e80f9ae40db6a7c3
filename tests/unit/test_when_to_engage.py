"""Product 5: stages then and now, activity plans, the timeline, the RACI table and the widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jointwork.core.errors import PlanError
from jointwork.core.plan import Rag
from jointwork.core.store import parse_plan
from jointwork.products import Plan, plan_store
from jointwork.products import when_to_engage as p5
from jointwork.products.when_to_engage.model import ActivityPlan, StagePlanSection
from jointwork.session import open_workbook
from jointwork.workshop.workbook import Workbook

from conftest import find_widgets

CODE = "E06000045"


@pytest.fixture
def plan() -> Plan:
    """Three planned activities: one with a complete RACI, one with two As and no R, one undated."""
    plan = Plan(area_code=CODE)
    p5.plan_activity(
        plan,
        "s1_joint_needs_analysis",
        date(2026, 1, 5),
        date(2026, 3, 31),
        "Analyst",
        "green",
        {"dph": "A", "la_early_years_lead": "R", "health_visiting_lead": "C"},
    )
    p5.plan_activity(
        plan,
        "s1_site_options",
        date(2026, 2, 2),
        date(2026, 5, 29),
        "Estates",
        "red",
        {"la_early_years_lead": "A", "icb_place_lead": "A"},
    )
    p5.plan_activity(plan, "s3_outreach", owner="Hub manager")
    return plan


class TestContent:
    def test_four_stages_each_with_five_to_eight_activities(self) -> None:
        stages = p5.stages()
        assert [s.get("number") for s in stages] == [1, 2, 3, 4]
        for stage in stages:
            assert 5 <= len(p5.activities(stage.id)) <= 8, stage.id

    def test_content_cross_references_resolve(self) -> None:
        assert list(p5.content_checks()) == []

    def test_broken_content_is_reported(self, broken_content) -> None:
        def damage(entries: dict[str, Any]) -> None:
            entries["stages"][1]["number"] = 7
            del entries["stages"][2]["now"]
            entries["activities"][0]["stage"] = "stage_9"
            entries["activities"][1]["joint"] = "often"
            entries["activities"][2]["health_partners"] = []
            entries["raci_roles"][0]["sector"] = "council"
            entries["raci_roles"][1]["title"] = entries["raci_roles"][0]["title"]
            entries["activities"] = [a for a in entries["activities"] if a["stage"] != "stage_4"]

        broken_content(p5.SLUG, damage)
        first, second, third = (a.id for a in p5.activities()[:3])
        problems = list(p5.content_checks())
        assert "the stages must be numbered 1 to 4 once each, got [1, 3, 4, 7]" in problems
        assert "stage 'stage_3' needs 'now': what it corresponds to for a family hub today" in problems
        assert "stage 'stage_4' has no activities" in problems
        assert f"activity {first!r} names stage 'stage_9', which is not in 'stages'" in problems
        assert f"activity {second!r} needs 'joint: true' or 'joint: false'" in problems
        assert f"activity {third!r} needs 'health_partners': the health partners to involve" in problems
        assert any("RACI role 'hub_manager' has sector 'council'" in p for p in problems)
        assert any("'hub_manager' and 'la_early_years_lead' have the same column heading" in p for p in problems)
        assert len(problems) == 8

    def test_unconfirmed_stages_are_marked_reconstructed_with_their_note(self) -> None:
        assert not any(s.verified for s in p5.stages())  # no source confirms the four stages
        shown = p5.stages_then_and_now()
        assert "Reconstructed stages" in shown.text and 'role="note"' in shown.markup
        for stage in p5.stages():
            assert stage.note.split(".")[0] in shown.text
            assert stage.get("now").split(":")[0] in shown.text
        assert shown.text.count("Reconstructed") >= 1 + len(p5.stages())

    def test_reference_tables(self) -> None:
        activities = p5.activities_reference().text
        assert "Health partners to involve" in activities and "Maternity Voices Partnership" in activities
        assert "7 of 7 activities need joint council and health work" in activities
        roles = p5.roles_table().text
        assert "ICB place lead" in roles and "A = Accountable" in roles


class TestCheck:
    def test_good_section_has_no_problems(self, plan: Plan) -> None:
        assert list(p5.check(plan.when_to_engage)) == []

    def test_unknown_activity_and_role_are_reported(self) -> None:
        section = StagePlanSection(
            activities=[
                ActivityPlan(activity="s1_joint_needs_analysis", raci={"mayor": "R"}),
                ActivityPlan(activity="no_such_activity"),
            ]
        )
        problems = dict(p5.check(section))
        assert "one of the RACI role ids" in problems[("activities", 0, "raci", "mayor")]
        assert "s1_joint_needs_analysis" in problems[("activities", 1, "activity")]

    def test_store_refuses_a_plan_naming_an_unknown_activity(self) -> None:
        text = (
            f"schema_version: 1\narea_code: {CODE}\nwhen_to_engage:\n  activities:\n"
            "  - activity: s9_imaginary\n    owner: someone\n"
        )
        with pytest.raises(PlanError, match="when_to_engage.activities\\[0\\].activity") as caught:
            parse_plan(text, "plan.yaml", Plan)
        assert caught.value.line == 5

    def test_plan_model_refuses_end_before_start_and_duplicates(self) -> None:
        text = (
            f"schema_version: 1\narea_code: {CODE}\nwhen_to_engage:\n  activities:\n"
            "  - activity: s1_birth_data\n    start: 2026-05-01\n    end: 2026-04-01\n"
        )
        with pytest.raises(PlanError, match="end date on or after the start date"):
            parse_plan(text, "plan.yaml", Plan)
        with pytest.raises(ValueError, match="more than once"):
            StagePlanSection(
                activities=[ActivityPlan(activity="s1_birth_data"), ActivityPlan(activity="s1_birth_data")]
            )


class TestCalculations:
    def test_raci_problems(self, plan: Plan) -> None:
        entries = p5.planned(plan.when_to_engage)
        assert p5.raci_problems(entries["s1_joint_needs_analysis"]) == []
        assert p5.raci_problems(entries["s1_site_options"]) == [
            "2 people accountable (A): choose one",
            "no one responsible (R)",
        ]
        assert p5.raci_problems(entries["s3_outreach"]) == ["no one accountable (A)", "no one responsible (R)"]

    def test_stage_counts(self, plan: Plan) -> None:
        counts = {r["stage_id"]: r for r in p5.stage_counts(plan.when_to_engage)}
        assert (counts["stage_1"]["planned"], counts["stage_1"]["joint"]) == (2, 2)
        assert (counts["stage_1"]["red"], counts["stage_1"]["green"], counts["stage_1"]["amber"]) == (1, 1, 0)
        assert (counts["stage_3"]["planned"], counts["stage_3"]["no status"]) == (1, 1)
        assert counts["stage_2"]["planned"] == 0 and counts["stage_2"]["activities"] == 7

    def test_timeline_states_the_finding_and_writes_status_on_bars(self, plan: Plan) -> None:
        chart = p5.timeline_chart(plan)
        assert "1 of 2 dated activities at red; the plan runs from January 2026 to May 2026" in chart.text
        assert 'role="img"' in chart.markup and "<desc" in chart.markup and "<table" in chart.markup
        assert ">red</text>" in chart.markup and ">green</text>" in chart.markup  # status in words, not colour alone
        assert "S1 Agree a joint analysis of need" in chart.text
        assert "not on the timeline" in chart.text and "Plan outreach with health visitors" in chart.text

    def test_raci_table_flags_rows(self, plan: Plan) -> None:
        table = p5.raci_table(plan)
        assert "2 of 3 planned activities to sort out" in table.text
        flagged = "Consider sites with health in mind: 2 people accountable (A): choose one; no one responsible (R)"
        assert flagged in table.text
        assert "Director of Public Health" in table.text and "| ok" in table.text

    def test_summary_and_plan_table(self, plan: Plan) -> None:
        assert "3 activities planned across the four stages; 1 at red" in p5.stage_summary(plan).text
        text = p5.plan_table(plan).text
        assert "Agree a joint analysis of need | 2026-01-05 | 2026-03-31 | Analyst | green" in text
        assert "Plan outreach with health visitors | no date | no date | Hub manager | no status" in text
        assert "Stage 1. Strategic planning: 2 of 7 activities planned (2 joint)" in p5.stage_line(plan, "stage_1").text

    def test_summary_column_and_report_parts(self, plan: Plan) -> None:
        assert {c.key: c.value(plan) for c in p5.PRODUCT.summary} == {"activities_planned": 3}
        assert {c.key: c.value(Plan(area_code=CODE)) for c in p5.PRODUCT.summary} == {"activities_planned": 0}
        assert [(part.title, part.render(plan).markup) for part in p5.PRODUCT.report] == [
            ("The stage plan", p5.plan_table(plan).markup),
            ("Timeline", p5.timeline_chart(plan).markup),
        ]

    def test_blank_plan_outputs_say_so(self) -> None:
        plan = Plan(area_code=CODE)
        for render in (p5.plan_table, p5.stage_summary, p5.timeline_chart, p5.raci_table):
            assert "Nothing planned yet" in render(plan).text

    def test_planned_but_undated_only(self) -> None:
        plan = Plan(area_code=CODE)
        p5.set_owner(plan, "s2_clinical_space", "Hub manager")
        assert "No timeline yet" in p5.timeline_chart(plan).text

    def test_outputs_are_deterministic(self, plan: Plan) -> None:
        for render in (p5.plan_table, p5.stage_summary, p5.timeline_chart, p5.raci_table):
            assert render(plan).markup == render(plan.model_copy(deep=True)).markup


class TestEdits:
    def test_end_before_start_is_refused_in_words(self, plan: Plan) -> None:
        with pytest.raises(ValueError, match=r"end date \(2026-01-01\) is before the start date \(2026-01-05\)"):
            p5.set_end(plan, "s1_joint_needs_analysis", date(2026, 1, 1))
        with pytest.raises(ValueError, match="before the start date"):
            p5.plan_activity(plan, "s1_birth_data", date(2026, 2, 1), date(2026, 1, 1))

    def test_setters_keep_other_fields_and_content_order(self, plan: Plan) -> None:
        p5.set_rag(plan, "s1_birth_data", "amber")
        p5.set_start(plan, "s1_joint_needs_analysis", date(2026, 1, 12))
        ids = [a.activity for a in plan.when_to_engage.activities]
        assert ids == ["s1_joint_needs_analysis", "s1_birth_data", "s1_site_options", "s3_outreach"]
        first = p5.planned(plan.when_to_engage)["s1_joint_needs_analysis"]
        assert first.start == date(2026, 1, 12) and first.end == date(2026, 3, 31) and first.rag is Rag.GREEN

    def test_raci_letters(self, plan: Plan) -> None:
        p5.set_raci(plan, "s3_outreach", "hub_manager", "r")
        p5.set_raci(plan, "s3_outreach", "la_early_years_lead", "A")
        assert p5.planned(plan.when_to_engage)["s3_outreach"].raci == {"hub_manager": "R", "la_early_years_lead": "A"}
        p5.set_raci(plan, "s3_outreach", "hub_manager", "-")
        assert p5.planned(plan.when_to_engage)["s3_outreach"].raci == {"la_early_years_lead": "A"}
        with pytest.raises(ValueError, match="no RACI role 'mayor'"):
            p5.set_raci(plan, "s3_outreach", "mayor", "R")
        with pytest.raises(ValueError, match="one of R, A, C or I"):
            p5.set_raci(plan, "s3_outreach", "dph", "X")
        with pytest.raises(ValueError, match="no activity 'nope'"):
            p5.set_owner(plan, "nope", "x")

    def test_clearing_everything_unplans_an_activity(self, plan: Plan) -> None:
        p5.set_owner(plan, "s3_outreach", "")
        assert "s3_outreach" not in p5.planned(plan.when_to_engage)
        p5.set_rag(plan, "s1_site_options", None)
        assert p5.planned(plan.when_to_engage)["s1_site_options"].rag is None


class TestWidgets:
    """The planning widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def saved(self, workspace: Path, activity: str) -> ActivityPlan:
        return p5.planned(plan_store(workspace).load(CODE).when_to_engage)[activity]

    def test_planning_saves_at_once_and_redraws_views(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        chart = wb.view(p5.timeline_chart)
        raci = wb.view(p5.raci_table)
        summary = wb.view(p5.stage_summary)
        ui = p5.exercise(wb)
        assert "Nothing planned yet" in chart.value
        assert "Reconstructed" in ui.children[2].value and "Now (family hub)" in ui.children[2].value
        # the first activity box belongs to stage 1's first activity
        self.find(ui, "DatePicker", "Start")[0].value = date(2026, 1, 5)
        self.find(ui, "DatePicker", "End")[0].value = date(2026, 3, 31)
        self.find(ui, "Text", "Owner")[0].value = "Public health analyst"
        self.find(ui, "Dropdown", "RAG status")[0].value = "amber"
        self.find(ui, "Dropdown", "Director of Public Health")[0].value = "A"
        saved = self.saved(workspace, "s1_joint_needs_analysis")
        assert (saved.start, saved.end, saved.owner, saved.rag) == (
            date(2026, 1, 5),
            date(2026, 3, 31),
            "Public health analyst",
            Rag.AMBER,
        )
        assert saved.raci == {"dph": "A"}
        assert "Saved" in wb.status.value
        assert "S1 Agree a joint analysis of need" in chart.value and "amber" in chart.value
        assert "no one responsible (R)" in raci.value
        assert "1 activity planned across the four stages; 0 at red" in summary.value
        assert "1 of 7 activities planned (1 joint)" in ui.children[3].value
        self.find(ui, "Dropdown", "Council early years or family hubs lead")[0].value = "R"
        assert self.saved(workspace, "s1_joint_needs_analysis").raci == {"la_early_years_lead": "R", "dph": "A"}
        assert "every planned activity (1) has one accountable person" in raci.value

    def test_refused_dates_are_shown_in_words_and_nothing_is_lost(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p5.exercise(wb)
        start, end = self.find(ui, "DatePicker", "Start")[0], self.find(ui, "DatePicker", "End")[0]
        start.value = date(2026, 3, 2)
        end.value = date(2026, 2, 2)
        assert "Not saved" in wb.status.value and "before the start date" in wb.status.value
        assert end.value is None  # the picker shows what is saved again
        saved = self.saved(workspace, "s1_joint_needs_analysis")
        assert saved.start == date(2026, 3, 2) and saved.end is None

    def test_refused_text_and_choices_show_the_saved_value_again(
        self, workspace: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p5.exercise(wb)
        owner = self.find(ui, "Text", "Owner")[0]
        rag = self.find(ui, "Dropdown", "RAG status")[0]
        dph = self.find(ui, "Dropdown", "Director of Public Health")[0]
        owner.value, rag.value, dph.value = "Analyst", "amber", "A"
        owner.value = "x" * 201  # longer than a short text may be
        assert "Not saved" in wb.status.value and owner.value == "Analyst"

        def full_disk(*_args: Any, **_kwargs: Any) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(wb.store, "update", full_disk)
        rag.value = "red"
        assert "Not saved" in wb.status.value and "could not be written" in wb.status.value
        assert rag.value == "amber"
        dph.value = "C"
        assert dph.value == "A"
        saved = self.saved(workspace, "s1_joint_needs_analysis")
        assert (saved.owner, saved.rag, saved.raci) == ("Analyst", Rag.AMBER, {"dph": "A"})

    def test_picking_a_stage_shows_its_activities(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p5.exercise(wb)
        self.find(ui, "Dropdown", "Stage")[0].value = "stage_3"
        assert "Fully operational" not in ui.children[2].value and "core services" in ui.children[2].value
        assert len(self.find(ui, "Text", "Owner")) == len(p5.activities("stage_3"))
        self.find(ui, "Text", "Owner")[0].value = "Family hub manager"
        assert self.saved(workspace, "s3_health_offer").owner == "Family hub manager"
        assert "Stage 3. Designation" in ui.children[3].value and "1 of 6 activities planned" in ui.children[3].value

    def test_notes_are_saved(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p5.plan_table)
        ui = p5.exercise(wb)
        self.find(ui, "Textarea", "Notes on the plan")[0].value = "Dates assume the hub opens in April."
        assert plan_store(workspace).load(CODE).when_to_engage.notes == "Dates assume the hub opens in April."
        assert "Notes: Dates assume the hub opens in April." in view.value
        self.find(ui, "Textarea", "Notes on the plan")[0].value = "x" * 5001
        assert "Not saved" in wb.status.value
        assert self.find(ui, "Textarea", "Notes on the plan")[0].value == "Dates assume the hub opens in April."

    def test_widgets_show_the_saved_plan(self, sample_workspace: Path) -> None:
        wb = open_workbook(CODE, sample_workspace, interactive=True)
        ui = p5.exercise(wb)
        self.find(ui, "Dropdown", "Stage")[0].value = "stage_3"
        item = p5.planned(wb.plan.when_to_engage)["s3_new_birth_contact"]
        index = [a.id for a in p5.activities("stage_3")].index("s3_new_birth_contact")
        assert self.find(ui, "DatePicker", "Start")[index].value == item.start
        assert self.find(ui, "Text", "Owner")[index].value == item.owner
        manager = self.find(ui, "Dropdown", "Children's centre or family hub manager")[index]
        assert manager.value == item.raci["hub_manager"]

    def test_batch_mode_shows_the_plan_and_raises_instead_of_hiding_errors(self, sample_workspace: Path) -> None:
        wb = open_workbook(CODE, sample_workspace, interactive=False)
        assert isinstance(wb, Workbook)
        assert "activities planned" in p5.exercise(wb).text
        with pytest.raises(ValueError, match="before the start date"):
            wb.edit(lambda plan: p5.set_dates(plan, "s1_birth_data", date(2026, 2, 1), date(2026, 1, 1)))
