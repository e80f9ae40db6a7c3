"""Product 2: the matrix, the area's figures, ranked priorities, actions, widgets and batch runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jointwork.errors import PlanError
from jointwork.execute import run_product
from jointwork.indicators import ATTRIBUTION, area_snapshot, catalogue
from jointwork.plan import ActionStatus, Plan
from jointwork.products import health_priorities as p2
from jointwork.store import PlanStore
from jointwork.workbook import open_workbook

from conftest import find_widgets

from test_notebooks import outputs_text

CODE = "E06000045"  # Southampton
FRESH = "E08000025"  # Birmingham: no sample plan


@pytest.fixture
def plan() -> Plan:
    """Two priorities and two actions with known values."""
    plan = Plan(area_code=CODE)
    p2.add_priority(plan, "hia21_ready_to_learn", "Language delay at two")
    p2.add_priority(plan, "hia21_breastfeeding")
    p2.add_action(plan, "hia21_breastfeeding", "Peer supporters in every hub", "health", date(2026, 3, 31),
                  "Breastfeeding at 6 to 8 weeks")
    p2.add_action(plan, "hia21_ready_to_learn", "Joint two-year reviews", "joint", date(2026, 9, 30))
    return plan


class TestContent:
    def test_alignment_references_resolve(self) -> None:
        objectives = {o.id for o in p2.current_objectives()}
        offers = {o.id: o.get("era") for o in p2.offers()}
        ecm = p2.ecm_titles()
        assert set(offers.values()) == {"then", "now"}
        for a in p2.alignments():
            assert a.get("objective") in objectives and a.get("offer") in offers, a.id
            assert a.get("strength") in p2.STRENGTH_WORD and a.get("ecm"), a.id
            assert set(a.get("ecm")) <= set(ecm), a.id

    def test_no_cell_is_filled_twice(self) -> None:
        pairs = [(a.get("objective"), a.get("offer")) for a in p2.alignments()]
        assert len(pairs) == len(set(pairs))

    def test_then_and_now_references_resolve(self) -> None:
        titles = p2.objective_titles()
        old = [o for o in p2.objectives() if o.get("era") == "2014"]
        assert len(old) == 6
        assert {titles[o.get("successor")] for o in old} == {o.get("title") for o in p2.objectives()
                                                             if o.get("era") == "2021"}
        assert {e.id for e in p2.content().group("then_now")} >= {"tn_programme", "tn_offer"}
        for m in p2.measures():
            assert set(m.get("objectives") or []) <= set(titles), m.id

    def test_indicator_keys_are_in_the_snapshot(self) -> None:
        keys = set(catalogue()["key"])
        used = {k for o in p2.objectives() for k in o.get("indicator_keys") or []}
        assert used and used <= keys


class TestCalculations:
    def test_overlap_counts_strands_then_and_now(self) -> None:
        frame = p2.overlap().set_index("objective_id")
        eras = {o.id: o.get("era") for o in p2.offers()}
        for objective_id, row in frame.iterrows():
            links = [a for a in p2.alignments() if a.get("objective") == objective_id]
            assert row["then"] == sum(eras[a.get("offer")] == "then" for a in links)
            assert row["now"] + row["then"] == row["links"] == len(links)
        assert frame.loc["hia21_transition", "then"] == 2 and frame.loc["hia21_transition", "now"] == 2
        assert frame.loc["oi_infant_mortality", "links"] == 0

    def test_suggested_measures(self) -> None:
        ids = [m.id for m in p2.suggested_measures("hia21_breastfeeding")]
        assert ids == ["m_breastfeeding_6_8", "m_new_births_contacted"]
        assert [m.id for m in p2.suggested_measures("oi_school_readiness")] == ["m_school_readiness", "m_two_year_review"]
        assert p2.suggested_measures("oi_infant_mortality") == [] and p2.suggested_measures("nope") == []

    def test_format_value(self) -> None:
        assert p2.format_value(61.8, "%") == "61.8%"
        assert p2.format_value(72.13642, "per 10,000") == "72.1 per 10,000"
        assert p2.format_value(float("nan"), "%") == "not published"


class TestOutputs:
    def test_matrix_is_an_accessible_table_that_marks_priorities(self, plan: Plan) -> None:
        html = p2.matrix(plan)
        assert "<caption>" in html.markup and 'scope="colgroup"' in html.markup and 'scope="row"' in html.markup
        assert html.markup.count('<th scope="row"') == len(p2.current_objectives())
        assert "Then: children&#x27;s centre core offer" in html.markup and "Now: family hub" in html.markup
        line = next(t for t in html.text.splitlines() if t.startswith("Ready to learn"))
        assert "[Priority 1]" in line
        assert "Early language and the home learning environment: Strong (Enjoy and achieve)" in line
        assert "[Priority 2]" in next(t for t in html.text.splitlines() if t.startswith("Supporting breastfeeding"))
        assert "Priority 1</strong>" in html.markup  # said in words, not by colour alone
        assert "No priorities chosen yet" not in html.text

    def test_blank_plan_outputs_say_so(self) -> None:
        plan = Plan(area_code=CODE)
        assert "No priorities chosen yet" in p2.matrix(plan).text
        assert "Priority 1" not in p2.matrix(plan).markup
        assert "No priorities chosen yet" in p2.priorities_table(plan).text
        assert "No actions agreed yet" in p2.action_plan(plan).text

    def test_area_figures_for_southampton_match_the_snapshot(self) -> None:
        text = p2.area_figures(Plan(area_code=CODE)).text
        snapshot = area_snapshot(CODE)
        assert len(snapshot) == 2
        lines = text.splitlines()
        for r in snapshot.itertuples():
            row = next(line for line in lines if line.startswith(r.indicator + " |")).split(" | ")
            assert row[1] == r.period
            assert row[2:5] == [f"{r.area_value:.1f}" + ("%" if r.unit == "%" else f" {r.unit}"),
                                f"{r.region_value:.1f}" + ("%" if r.unit == "%" else f" {r.unit}"),
                                f"{r.england_value:.1f}" + ("%" if r.unit == "%" else f" {r.unit}")]
            assert row[5] == r.compared and row[8] == r.source
        assert "Region (South East)" in text and "Southampton" in text
        assert "61.8%" in text and "65.2%" in text and "67.5%" in text  # as published for 2021/22
        assert ATTRIBUTION in text

    def test_area_figures_chart_states_the_finding(self) -> None:
        html = p2.area_figures(Plan(area_code=CODE))
        assert "Southampton 61.8% in 2021/22, lower than England (65.2%)" in html.text
        assert html.markup.count('role="img"') == 2 and "<desc" in html.markup

    def test_area_figures_mark_the_teams_priorities(self, plan: Plan) -> None:
        assert "Ready to learn and narrowing the word gap (your priority 1)" in p2.area_figures(plan).text

    def test_missing_figure_is_said_not_estimated(self) -> None:
        text = p2.area_figures(Plan(area_code="E06000053")).text  # Isles of Scilly: injuries combined with Cornwall
        assert "not published" in text and "no figure for Isles of Scilly" in text
        assert "Cornwall and Isles of Scilly combined" in text

    def test_area_without_figures_gets_a_notice(self) -> None:
        text = p2.area_figures(Plan(area_code="W06000015")).text
        assert "No published figures" in text and "|" not in text

    def test_priorities_table(self, plan: Plan) -> None:
        text = p2.priorities_table(plan).text
        lines = text.splitlines()
        assert lines[2].startswith("1 | Ready to learn") and "Language delay at two" in lines[2]
        assert "61.8% (England 65.2%, 2021/22)" in lines[2]
        assert lines[3].startswith("2 | Supporting breastfeeding") and "not yet written" in lines[3]
        assert "no local figure held" in lines[3]

    def test_action_plan_orders_by_priority_and_flags_gaps(self, plan: Plan) -> None:
        p2.add_action(plan, "oi_mmr_2", "Immunisation checks at hub sessions", "LA")
        text = p2.action_plan(plan, today=date(2026, 6, 1)).text
        lines = text.splitlines()
        assert lines[2].startswith("1 | Ready to learn") and "Joint | 2026-09-30 | not yet agreed" in lines[2]
        assert lines[3].startswith("2 | Supporting breastfeeding") and "Health | 2026-03-31" in lines[3]
        assert lines[3].endswith("| yes")  # overdue
        assert lines[4].startswith("not ranked | MMR")
        assert "Actions by lead: Joint 1, Local authority 1, Health 1." in text
        p2.remove_action(plan, 0)
        assert "Priorities with no action yet: Supporting breastfeeding." in p2.action_plan(plan).text

    def test_reference_outputs(self) -> None:
        then_now = p2.then_and_now().text
        assert "Child Health Promotion Programme" in then_now and "Healthy Child Programme" in then_now
        assert "Breastfeeding (initiation and duration) | Supporting breastfeeding" in then_now
        side = p2.offers_side_by_side()
        assert "Links with Jobcentre Plus and training" in side.text and "Infant feeding support" in side.text
        chart = p2.overlap_chart()
        assert chart.text.startswith("Most shared ground: Ready to learn and narrowing the word gap")
        assert "[unverified]" in p2.alignment_notes().text
        assert ATTRIBUTION in p2.sources().text


class TestEdits:
    def test_ranks_follow_the_order_chosen(self, plan: Plan) -> None:
        p2.add_priority(plan, "oi_mmr_2")
        assert [(p.objective, p.rank) for p in p2.ranked(plan.health_priorities)] == [
            ("hia21_ready_to_learn", 1), ("hia21_breastfeeding", 2), ("oi_mmr_2", 3)]
        p2.move_priority(plan, "oi_mmr_2", -1)
        assert [p.objective for p in p2.ranked(plan.health_priorities)][1] == "oi_mmr_2"
        p2.remove_priority(plan, "hia21_ready_to_learn")
        assert [(p.objective, p.rank) for p in plan.health_priorities.priorities] == [
            ("oi_mmr_2", 1), ("hia21_breastfeeding", 2)]

    @pytest.mark.parametrize("edit, message", [
        (lambda plan: p2.add_priority(plan, "hia21_breastfeeding"), "already a priority"),
        (lambda plan: p2.add_priority(plan, "no_such_objective"), "no health objective"),
        (lambda plan: p2.add_priority(plan, "oi_mmr_2", rank=1), "rank 1 is already given to 'Ready to learn"),
        (lambda plan: p2.set_priority_rank(plan, "hia21_breastfeeding", 1), "rank 1 is already given"),
        (lambda plan: p2.move_priority(plan, "hia21_ready_to_learn", -1), "already the most important"),
        (lambda plan: p2.move_priority(plan, "hia21_breastfeeding", 1), "already the last"),
        (lambda plan: p2.remove_priority(plan, "oi_mmr_2"), "not one of the chosen priorities"),
        (lambda plan: p2.add_action(plan, "hia21_breastfeeding", "  "), "describe what will be done"),
        (lambda plan: p2.add_action(plan, "hia21_breastfeeding", "x", lead="the PCT"), "lead must be"),
        (lambda plan: p2.add_action(plan, "nope", "x"), "no health objective"),
        (lambda plan: p2.set_action_status(plan, 5, "done"), "no action number 6"),
    ])
    def test_refused_edits_say_why(self, plan: Plan, edit, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            edit(plan)

    def test_free_rank_is_accepted(self, plan: Plan) -> None:
        p2.add_priority(plan, "oi_mmr_2", rank=5)
        p2.set_priority_rank(plan, "oi_mmr_2", 4)
        assert plan.health_priorities.priorities[-1].rank == 4

    def test_actions(self, plan: Plan) -> None:
        p2.add_action(plan, "oi_mmr_2", "Check red books", "Local authority")
        assert plan.health_priorities.actions[-1].lead == "LA"
        p2.set_action_status(plan, 2, "done")
        assert plan.health_priorities.actions[2].status is ActionStatus.DONE
        p2.remove_action(plan, 0)
        assert [a.what for a in plan.health_priorities.actions] == ["Joint two-year reviews", "Check red books"]

    def test_check_reports_bad_ids_and_duplicate_ranks(self) -> None:
        plan = Plan.model_validate({"area_code": CODE, "health_priorities": {
            "priorities": [{"objective": "hia21_breastfeeding", "rank": 1}, {"objective": "made_up", "rank": 1},
                           {"objective": "hia21_breastfeeding", "rank": 2}],
            "actions": [{"objective": "also_made_up", "what": "x"}]}})
        problems = dict(p2.check(plan.health_priorities))
        assert "health objective ids" in problems[("priorities", 1, "objective")]
        assert "also given to 'hia21_breastfeeding'" in problems[("priorities", 1, "rank")]
        assert "listed twice" in problems[("priorities", 2, "objective")]
        assert "health objective ids" in problems[("actions", 0, "objective")]
        assert list(p2.check(Plan(area_code=CODE).health_priorities)) == []

    def test_store_refuses_a_plan_with_a_bad_objective(self, workspace: Path) -> None:
        path = workspace / "plans" / f"{CODE}.yaml"
        path.write_text(f"schema_version: 1\narea_code: {CODE}\nhealth_priorities:\n  priorities:\n"
                        "  - objective: made_up\n    rank: 1\n", encoding="utf-8")
        with pytest.raises(PlanError) as caught:
            PlanStore(workspace).load(CODE)
        assert "health_priorities.priorities[0].objective" in str(caught.value)
        assert "line 5" in str(caught.value)


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def saved(self, workspace: Path):
        return PlanStore(workspace).load(CODE).health_priorities

    def test_choose_rank_and_explain_priorities(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        matrix = wb.view(p2.matrix)
        ui = p2.exercise(wb)
        titles = p2.objective_titles()
        self.find(ui, "Checkbox", titles["hia21_breastfeeding"])[0].value = True
        self.find(ui, "Checkbox", titles["oi_school_readiness"])[0].value = True
        assert [(p.objective, p.rank) for p in self.saved(workspace).priorities] == [
            ("hia21_breastfeeding", 1), ("oi_school_readiness", 2)]
        assert "Saved" in wb.status.value and "Priority 2</strong>" in matrix.value
        order = self.find(ui, "Select", "Your priorities, most important first")[0]
        assert order.value == "oi_school_readiness"
        self.find(ui, "Button", "Move up")[0].click()
        assert [p.objective for p in self.saved(workspace).priorities] == ["oi_school_readiness", "hia21_breastfeeding"]
        assert order.options[0][0].startswith("1. School readiness")
        self.find(ui, "Textarea", "Why this is a priority")[0].value = "Below England in 2021/22"
        assert self.saved(workspace).priorities[0].why == "Below England in 2021/22"
        self.find(ui, "Textarea", "Notes from the discussion")[0].value = "Ask for hub-level data"
        assert self.saved(workspace).notes == "Ask for hub-level data"
        self.find(ui, "Checkbox", titles["oi_school_readiness"])[0].value = False
        assert [(p.objective, p.rank) for p in self.saved(workspace).priorities] == [("hia21_breastfeeding", 1)]
        assert "Priority 2" not in matrix.value and "Priority 1</strong>" in matrix.value

    def test_refused_move_is_shown_in_words(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p2.exercise(wb)
        self.find(ui, "Checkbox", p2.objective_titles()["hia21_transition"])[0].value = True
        self.find(ui, "Button", "Move up")[0].click()
        assert "Not saved" in wb.status.value and "already the most important" in wb.status.value
        assert len(self.saved(workspace).priorities) == 1

    def test_action_form_suggests_measures_adds_updates_and_removes(self, workspace: Path) -> None:
        PlanStore(workspace).update(CODE, lambda plan: p2.add_priority(plan, "hia21_breastfeeding"))
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p2.action_plan)
        ui = p2.action_exercise(wb)
        objective = self.find(ui, "Dropdown", "Objective (your priorities first)")[0]
        assert objective.value == "hia21_breastfeeding" and objective.options[0][0].startswith("Priority 1:")
        measure = self.find(ui, "Combobox", "How progress is measured")[0]
        assert measure.options[:2] == ("Breastfeeding at 6 to 8 weeks",
                                       "New babies contacted by the centre or hub within two months")
        assert any("Suggested measures" in h.value and "Breastfeeding at 6 to 8 weeks" in h.value
                   for h in self.find(ui, "HTML"))
        self.find(ui, "Text", "What will be done")[0].value = "Train peer supporters"
        self.find(ui, "Dropdown", "Lead")[0].value = "health"
        self.find(ui, "DatePicker", "By when")[0].value = date(2026, 10, 31)
        measure.value = "Breastfeeding at 6 to 8 weeks"
        self.find(ui, "Button", "Add action")[0].click()
        action = self.saved(workspace).actions[0]
        assert (action.what, action.lead, action.by_when, action.measure) == (
            "Train peer supporters", "health", date(2026, 10, 31), "Breastfeeding at 6 to 8 weeks")
        assert "Train peer supporters" in view.value
        self.find(ui, "Dropdown", "New status")[0].value = "in progress"
        self.find(ui, "Button", "Update status")[0].click()
        assert self.saved(workspace).actions[0].status is ActionStatus.IN_PROGRESS
        self.find(ui, "Button", "Remove action")[0].click()
        assert self.saved(workspace).actions == [] and "No actions agreed yet" in view.value

    def test_action_form_follows_priorities_chosen_above(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        choose = p2.exercise(wb)
        form = p2.action_exercise(wb)
        objective = self.find(form, "Dropdown", "Objective (your priorities first)")[0]
        assert not objective.options[0][0].startswith("Priority")
        self.find(choose, "Checkbox", p2.objective_titles()["oi_mmr_2"])[0].value = True
        assert objective.options[0] == ("Priority 1: MMR vaccination coverage, one dose by age 2", "oi_mmr_2")
        assert any("Your priorities: 1. MMR" in h.value for h in self.find(form, "HTML"))

    def test_action_without_what_is_refused(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p2.action_exercise(wb)
        self.find(ui, "Button", "Add action")[0].click()
        assert "Not saved" in wb.status.value and "describe what will be done" in wb.status.value
        assert not PlanStore(workspace).exists(CODE)

    def test_batch_mode_shows_what_is_saved(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=False)
        assert "0 priorities chosen" in p2.exercise(wb).text
        with pytest.raises(ValueError, match="no health objective"):
            wb.edit(lambda plan: p2.add_priority(plan, "no_such_objective"))


@pytest.mark.notebook
class TestBatchRuns:
    def test_sample_plan_appears_in_the_outputs(self, sample_workspace: Path, tmp_path: Path) -> None:
        text = outputs_text(run_product(CODE, tmp_path / "out", 2, sample_workspace))
        section = PlanStore(sample_workspace).load(CODE).health_priorities
        assert section.priorities and section.actions
        titles = p2.objective_titles()
        for p in section.priorities:
            assert f"{p.rank} | {titles[p.objective]}" in text and p.why in text
            assert f"{titles[p.objective]} [Priority {p.rank}]" in text  # marked in the matrix
        for a in section.actions:
            assert a.what in text and a.measure in text
        assert section.notes in text
        snapshot = area_snapshot(CODE)
        assert p2.format_value(snapshot["area_value"].iloc[1], "%") in text and ATTRIBUTION in text
        assert "Traceback" not in text

    def test_area_with_no_plan(self, workspace: Path, tmp_path: Path) -> None:
        text = outputs_text(run_product(FRESH, tmp_path / "out", 2, workspace))
        assert "Birmingham" in text and "no saved plan yet" in text and "No priorities chosen yet" in text
        assert p2.format_value(area_snapshot(FRESH)["area_value"].iloc[0], "per 10,000") in text
        assert not PlanStore(workspace).exists(FRESH)
