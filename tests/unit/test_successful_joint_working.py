"""Product 3: scores by factor and sector, disagreement, weakest factors, actions and widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jointwork.core.plan import ActionStatus
from jointwork.products import Plan, plan_store
from jointwork.products import successful_joint_working as p3
from jointwork.session import open_workbook
from jointwork.workshop.workbook import Workbook

from conftest import find_widgets

CODE = "E06000045"


@pytest.fixture
def factor_ids() -> list[str]:
    return [f.id for f in p3.factors()]


@pytest.fixture
def rated_plan(factor_ids: list[str]) -> Plan:
    """Two LA respondents and one health respondent with known ratings."""
    plan = Plan(area_code=CODE)
    p3.add_respondent(plan, "LA one", "local authority")
    p3.add_respondent(plan, "LA two", "local authority")
    p3.add_respondent(plan, "Health one", "health")
    a, b, c = factor_ids[:3]
    for name, scores in {"LA one": (4, 2, 1), "LA two": (3, 2, 1), "Health one": (1, 2, 3)}.items():
        for factor, score in zip((a, b, c), scores, strict=True):
            p3.set_rating(plan, name, factor, score)
    return plan


class TestContent:
    def test_six_principles_and_a_four_point_scale(self) -> None:
        assert len(p3.content().group("principles")) == 6
        assert sorted(p3.scale_labels()) == [1, 2, 3, 4]

    def test_content_cross_references_resolve(self) -> None:
        assert list(p3.content_checks()) == []

    def test_broken_content_is_reported(self, broken_content) -> None:
        def damage(entries: dict) -> None:
            entries["factors"][0]["principle"] = "no_such_principle"
            entries["factors"][1]["descriptors"].pop(4)
            entries["factors"][2]["barriers"] = ["no_such_barrier"]
            entries["essential_actions"][0]["factors"] = ["no_such_factor"]
            entries["essential_actions"][1]["lead"] = "everyone"

        broken_content(p3.SLUG, damage)
        found = list(p3.content_checks())
        assert len(found) == 5
        for text in ("no_such_principle", "descriptor for each point", "no_such_barrier", "no_such_factor", "everyone"):
            assert any(text in problem for problem in found), text


class TestScores:
    def test_means_by_factor_and_sector(self, rated_plan: Plan, factor_ids: list[str]) -> None:
        frame = p3.scores(rated_plan.successful_joint_working).set_index("factor_id")
        first = frame.loc[factor_ids[0]]
        assert first["Local authority"] == 3.5 and first["Health"] == 1.0
        assert first["mean"] == 2.67 and first["ratings"] == 3 and first["range"] == 3
        assert frame.loc[factor_ids[5], "ratings"] == 0

    def test_disagreement_orders_by_gap(self, rated_plan: Plan, factor_ids: list[str]) -> None:
        frame = p3.disagreement(rated_plan.successful_joint_working)
        assert list(frame["factor_id"][:3]) == [factor_ids[0], factor_ids[2], factor_ids[1]]
        assert list(frame["gap"][:3]) == [2.5, 2.0, 0.0]

    def test_weakest_factors(self, rated_plan: Plan, factor_ids: list[str]) -> None:
        assert p3.weakest_factors(rated_plan.successful_joint_working, 2) == [factor_ids[2], factor_ids[1]]

    def test_outputs_state_the_finding(self, rated_plan: Plan, factor_ids: list[str]) -> None:
        chart = p3.scores_chart(rated_plan)
        weakest_title = p3.factor_titles()[factor_ids[2]]
        assert f"Weakest factor: {weakest_title}" in chart.markup
        assert 'role="img"' in chart.markup and "<desc" in chart.markup and "<table" in chart.markup
        disagreement = p3.disagreements(rated_plan)
        assert p3.factor_titles()[factor_ids[0]] in disagreement.text
        assert p3.factor_titles()[factor_ids[1]] not in disagreement.text  # gap 0 is not a disagreement

    def test_blank_plan_outputs_say_so(self) -> None:
        plan = Plan(area_code=CODE)
        assert "No ratings yet" in p3.scores_chart(plan).text
        assert "No one has rated" in p3.respondents_table(plan).text
        assert "No actions agreed yet" in p3.action_list(plan).text

    def test_action_list_flags_weak_factors_without_actions(self, rated_plan: Plan, factor_ids: list[str]) -> None:
        p3.add_action(
            rated_plan, factor_ids[2], "Agree a joint data-sharing protocol", "Head of early years", date(2026, 3, 31)
        )
        text = p3.action_list(rated_plan, today=date(2026, 6, 1)).text
        assert "Agree a joint data-sharing protocol" in text and "2026-03-31" in text and "yes" in text
        assert p3.factor_titles()[factor_ids[1]] in text.split("no action yet:")[1]


class TestEdits:
    def test_duplicate_respondent_refused(self, rated_plan: Plan) -> None:
        with pytest.raises(ValueError, match="already"):
            p3.add_respondent(rated_plan, "LA one", "health")

    def test_evidence_keeps_score(self, rated_plan: Plan, factor_ids: list[str]) -> None:
        p3.set_rating(rated_plan, "LA one", factor_ids[0], evidence="Joint board minutes")
        rating = rated_plan.successful_joint_working.respondents[0].ratings[factor_ids[0]]
        assert rating.score == 4 and rating.evidence == "Joint board minutes"

    def test_action_status(self, rated_plan: Plan, factor_ids: list[str]) -> None:
        p3.add_action(rated_plan, factor_ids[0], "Do it")
        p3.set_action_status(rated_plan, 0, "done")
        assert rated_plan.successful_joint_working.actions[0].status is ActionStatus.DONE


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def test_rating_saves_at_once_and_redraws_views(self, workspace: Path, factor_ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p3.scores_table)
        ui = p3.exercise(wb)
        self.find(ui, "Text", "New respondent")[0].value = "Health visiting lead"
        self.find(ui, "Dropdown", "Sector")[0].value = "health"
        self.find(ui, "Button", "Add respondent")[0].click()
        radios = self.find(ui, "RadioButtons", "Rating")
        radios[0].value = 2
        saved = plan_store(workspace).load(CODE).successful_joint_working.respondents[0]
        assert saved.name == "Health visiting lead" and saved.ratings[factor_ids[0]].score == 2
        assert "Saved" in wb.status.value
        assert "Health" in view.value and "2.0" in view.value
        evidence = self.find(ui, "Textarea", "Evidence")[0]
        evidence.value = "Health visitor caseload data"
        saved = plan_store(workspace).load(CODE).successful_joint_working.respondents[0]
        assert saved.ratings[factor_ids[0]].evidence == "Health visitor caseload data"
        assert saved.ratings[factor_ids[0]].score == 2

    def test_refused_input_is_shown_in_words_and_nothing_is_lost(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p3.exercise(wb)
        self.find(ui, "Button", "Add respondent")[0].click()
        assert "Type a name" in wb.status.value
        self.find(ui, "Text", "New respondent")[0].value = "A"
        self.find(ui, "Button", "Add respondent")[0].click()
        self.find(ui, "Text", "New respondent")[0].value = "A"
        self.find(ui, "Button", "Add respondent")[0].click()
        assert "Not saved" in wb.status.value and "already" in wb.status.value
        assert len(plan_store(workspace).load(CODE).successful_joint_working.respondents) == 1

    def test_action_form_adds_and_updates(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p3.action_exercise(wb)
        self.find(ui, "Text", "Action")[0].value = "Invite the head of midwifery to the hub board"
        self.find(ui, "Text", "Owner")[0].value = "Family hub manager"
        self.find(ui, "DatePicker", "Due by")[0].value = date(2026, 1, 31)
        self.find(ui, "Button", "Add action")[0].click()
        assert "Saved action Invite the head of midwifery" in wb.status.value
        picker = self.find(ui, "Dropdown", "Action")[0]
        assert picker.value == -1 and self.find(ui, "Text", "Action")[0].value == ""  # ready for the next one
        picker.value = 0  # the action just added, to move it on
        assert self.find(ui, "Text", "Owner")[0].value == "Family hub manager"
        self.find(ui, "Dropdown", "Status")[0].value = "in progress"
        self.find(ui, "Button", "Save changes")[0].click()
        action = plan_store(workspace).load(CODE).successful_joint_working.actions[0]
        assert action.owner == "Family hub manager" and action.due == date(2026, 1, 31)
        assert action.status is ActionStatus.IN_PROGRESS
        self.find(ui, "Text", "Action")[0].value = ""
        self.find(ui, "Button", "Save changes")[0].click()
        assert "Not saved" in wb.status.value and "describe the action" in wb.status.value
        assert plan_store(workspace).load(CODE).successful_joint_working.actions[0].action.startswith("Invite")
        self.find(ui, "Button", "Remove action")[0].click()
        assert plan_store(workspace).load(CODE).successful_joint_working.actions == []

    def test_batch_mode_raises_instead_of_hiding_errors(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=False)
        assert isinstance(wb, Workbook)
        with pytest.raises(ValueError, match="no factor"):
            wb.edit(lambda plan: p3.add_action(plan, "no_such_factor", "x"))
