"""Product 3: scores by factor and sector, disagreement, weakest factors, actions and widgets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from jointwork.core.plan import ActionStatus, Sector
from jointwork.core.responses import AreaResponses, Response, ResponseError, ResponseStore
from jointwork.products import Plan, plan_store
from jointwork.products import successful_joint_working as p3
from jointwork.session import open_workbook
from jointwork.workshop.workbook import Workbook

from conftest import find_widgets

CODE = "E06000045"


@pytest.fixture
def factor_ids() -> list[str]:
    return [f.id for f in p3.factors()]


def save(store: ResponseStore, round_id: str, sector: str, name: str | None, scores: dict[str, int]) -> Response:
    answers = {factor: {"value": score, "note": ""} for factor, score in scores.items()}
    response = Response("", round_id, p3.SLUG, Sector(sector), "", answers, name)
    return store.save(CODE, p3.QUESTIONNAIRE, response)


@pytest.fixture
def rated(workspace: Path, factor_ids: list[str]) -> tuple[Plan, AreaResponses]:
    """A blank plan, and a round with two LA respondents and one health respondent with known ratings."""
    store = ResponseStore(workspace)
    store.open_round(CODE, p3.SLUG, "Baseline, February 2026", date(2026, 2, 1))
    a, b, c = factor_ids[:3]
    for name, sector, scores in (
        ("LA one", "local authority", (4, 2, 1)),
        ("LA two", "local authority", (3, 2, 1)),
        ("Health one", "health", (1, 2, 3)),
    ):
        save(store, "baseline-february-2026", sector, name, dict(zip((a, b, c), scores, strict=True)))
    return Plan(area_code=CODE), store.area(CODE)


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


def answers(responses: AreaResponses) -> tuple[Response, ...]:
    return responses.answers(p3.SLUG)


class TestScores:
    def test_means_by_factor_and_sector(self, rated: tuple[Plan, AreaResponses], factor_ids: list[str]) -> None:
        frame = p3.scores(answers(rated[1])).set_index("factor_id")
        first = frame.loc[factor_ids[0]]
        assert first["Local authority"] == 3.5 and first["Health"] == 1.0
        assert first["mean"] == 2.67 and first["ratings"] == 3 and first["range"] == 3
        assert first["spread"] == 1.25  # population standard deviation of 4, 3 and 1
        assert frame.loc[factor_ids[1], "spread"] == 0.0
        assert frame.loc[factor_ids[5], "ratings"] == 0

    def test_spread_is_shown_in_words(self, rated: tuple[Plan, AreaResponses], factor_ids: list[str]) -> None:
        text = p3.scores_table(*rated).text
        assert "Spread (standard deviation)" in text and "How far partners agree" in text
        assert "everyone gave the same score" in text  # factor 2: all three gave 2
        assert "wide apart" in text  # factor 1: from 1 to 4
        assert "'Baseline, February 2026'" in text

    def test_disagreement_orders_by_gap(self, rated: tuple[Plan, AreaResponses], factor_ids: list[str]) -> None:
        frame = p3.disagreement(answers(rated[1]))
        assert list(frame["factor_id"][:3]) == [factor_ids[0], factor_ids[2], factor_ids[1]]
        assert list(frame["gap"][:3]) == [2.5, 2.0, 0.0]

    def test_weakest_factors(self, rated: tuple[Plan, AreaResponses], factor_ids: list[str]) -> None:
        assert p3.weakest_factors(answers(rated[1]), 2) == [factor_ids[2], factor_ids[1]]

    def test_outputs_state_the_finding(self, rated: tuple[Plan, AreaResponses], factor_ids: list[str]) -> None:
        chart = p3.scores_chart(*rated)
        weakest_title = p3.factor_titles()[factor_ids[2]]
        assert f"Weakest factor: {weakest_title}" in chart.markup
        assert 'role="img"' in chart.markup and "<desc" in chart.markup and "<table" in chart.markup
        disagreement = p3.disagreements(*rated)
        assert p3.factor_titles()[factor_ids[0]] in disagreement.text
        assert p3.factor_titles()[factor_ids[1]] not in disagreement.text  # gap 0 is not a disagreement

    def test_blank_plan_outputs_say_so(self) -> None:
        plan = Plan(area_code=CODE)
        assert "No ratings yet" in p3.scores_chart(plan).text
        assert "No one has rated" in p3.respondents_table(plan).text
        assert "No actions agreed yet" in p3.action_list(plan).text
        assert "No change to show yet" in p3.change_table(plan).text
        assert "No principle chart yet" in p3.principles_chart(plan).text

    def test_action_list_flags_weak_factors_without_actions(
        self, rated: tuple[Plan, AreaResponses], factor_ids: list[str]
    ) -> None:
        plan, responses = rated
        p3.add_action(
            plan, factor_ids[2], "Agree a joint data-sharing protocol", "Head of early years", date(2026, 3, 31)
        )
        text = p3.action_list(plan, responses, today=date(2026, 6, 1)).text
        assert "Agree a joint data-sharing protocol" in text and "2026-03-31" in text and "yes" in text
        assert p3.factor_titles()[factor_ids[1]] in text.split("no action yet:")[1]

    def test_summary_columns_come_from_the_current_round(self, rated: tuple[Plan, AreaResponses]) -> None:
        plan, responses = rated
        values = {c.key: c.compute(plan, responses) for c in p3.PRODUCT.summary}
        assert values["respondents"] == 3
        assert values["score_local_authority"] is not None and values["score_all"] is not None
        assert {c.key: c.compute(plan) for c in p3.PRODUCT.summary}["respondents"] == 0


class TestAnonymity:
    def test_a_small_sector_with_anonymous_answers_is_hidden_in_words(
        self, workspace: Path, factor_ids: list[str]
    ) -> None:
        store = ResponseStore(workspace)
        made = store.open_round(CODE, p3.SLUG, "Private round")
        for _ in range(3):
            save(store, made.id, "local authority", None, {factor_ids[0]: 3})
        save(store, made.id, "health", None, {factor_ids[0]: 1})
        save(store, made.id, "health", "Named health partner", {factor_ids[0]: 2})
        responses = store.area(CODE)
        assert p3.hidden_sectors(answers(responses)) == [Sector.HEALTH]
        frame = p3.scores(answers(responses)).set_index("factor_id")
        assert frame.loc[factor_ids[0], "Health"] is None and frame.loc[factor_ids[0], "Local authority"] == 3.0
        assert frame.loc[factor_ids[0], "mean"] == 2.4  # every answer still counts overall
        table = p3.scores_table(Plan(area_code=CODE), responses).text
        assert "The health breakdown is not shown: fewer than 3 people" in table
        assert "Health |" not in table.splitlines()[2]
        chart = p3.scores_chart(Plan(area_code=CODE), responses)
        assert "Health 1.5" not in chart.markup and "not shown" in chart.text

    def test_anonymous_ratings_carry_no_name_label_or_sector(self, workspace: Path, factor_ids: list[str]) -> None:
        store = ResponseStore(workspace)
        made = store.open_round(CODE, p3.SLUG, "Private round")
        first = save(store, made.id, "other", None, {factor_ids[0]: 4, factor_ids[1]: 1})
        save(store, made.id, "other", None, {factor_ids[0]: 2, factor_ids[1]: 3})
        assert first.name is None and first.label == "Respondent 1"
        saved = json.loads(next((workspace / "responses" / CODE).rglob(f"{first.id}.json")).read_text())
        assert saved["name"] is None and saved["source_key"] is None
        responses = store.area(CODE)
        ratings = p3.ratings_table(Plan(area_code=CODE), responses)
        rows = ratings.parts[0].rows
        assert {r["Respondent"] for r in rows} == {"anonymous"} and {r["Sector"] for r in rows} == {""}
        assert "Respondent 1" not in ratings.text and "Respondent 2" not in ratings.text
        who = p3.respondents_table(Plan(area_code=CODE), responses)
        assert "2 anonymous" in who.text and "not shown" in who.text  # two people in one sector: sector hidden


class TestChangeBetweenRounds:
    def test_change_by_factor_and_sector(self, rated: tuple[Plan, AreaResponses], workspace: Path) -> None:
        plan, _ = rated
        a = p3.factors()[0].id
        store = ResponseStore(workspace)
        store.close_round(CODE, p3.SLUG, "baseline-february-2026")
        follow = store.open_round(CODE, p3.SLUG, "Follow-up, November 2026", date(2026, 11, 1))
        save(store, follow.id, "local authority", "LA one", {a: 4})
        save(store, follow.id, "health", "Health one", {a: 3})
        responses = store.area(CODE)
        assert responses.previous(p3.SLUG).round.name == "Baseline, February 2026"
        frame = p3.change(answers(responses), responses.previous(p3.SLUG).responses).set_index("factor_id")
        assert frame.loc[a, "mean before"] == 2.67 and frame.loc[a, "mean now"] == 3.5
        assert frame.loc[a, "mean change"] == 0.83
        assert frame.loc[a, "Health change"] == 2.0 and frame.loc[a, "Local authority change"] == 0.5
        text = p3.change_table(plan, responses).text
        assert "from 'Baseline, February 2026' to 'Follow-up, November 2026'" in text and "+0.83" in text
        chart = p3.change_chart(plan, responses)
        assert chart.parts[0].kind == "bar" and "Biggest change:" in chart.text and "rose by 0.8" in chart.text
        by_sector = chart.parts[1]
        assert by_sector.kind == "bar" and by_sector.categories == ("Local authority", "Health")
        assert "By sector: Local authority respondents' mean score moved most (+1.8)" in chart.text
        dots = p3.principles_chart(plan, responses)
        part = dots.parts[0]
        assert part.kind == "dot" and part.min_value == 1 and part.max_value == 4
        assert [name for name, _ in part.series] == ["Baseline, February 2026", "Follow-up, November 2026"]
        assert "<desc" in dots.markup and "<table" in dots.markup and "Weakest principle" in dots.text


class TestEdits:
    def test_with_rating_keeps_the_other_answers(self, factor_ids: list[str]) -> None:
        given = {factor_ids[1]: {"value": 2, "note": "minutes"}}
        changed = p3.with_rating(given, factor_ids[0], 4, "Joint board minutes")
        assert changed == {
            factor_ids[1]: {"value": 2, "note": "minutes"},
            factor_ids[0]: {"value": 4, "note": "Joint board minutes"},
        }
        assert p3.with_rating(changed, factor_ids[0], None, "") == given
        assert given == {factor_ids[1]: {"value": 2, "note": "minutes"}}  # the answers given are not changed

    def test_action_status(self, factor_ids: list[str]) -> None:
        plan = Plan(area_code=CODE)
        p3.add_action(plan, factor_ids[0], "Do it")
        p3.set_action_status(plan, 0, "done")
        assert plan.successful_joint_working.actions[0].status is ActionStatus.DONE


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def responses(self, workspace: Path) -> list[Response]:
        store = ResponseStore(workspace)
        return [r for item in store.rounds(CODE, p3.SLUG) for r in store.responses(CODE, p3.SLUG, item.id)]

    def test_rating_saves_at_once_and_redraws_views(self, workspace: Path, factor_ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p3.scores_table)
        ui = p3.exercise(wb)
        assert self.find(ui, "Button", "Add respondent")[0].disabled  # no round yet
        self.find(ui, "Text", "New round")[0].value = "Baseline, February 2026"
        self.find(ui, "Button", "Open round")[0].click()
        assert "Saved the new round &#x27;Baseline, February 2026&#x27;" in wb.status.value
        self.find(ui, "Text", "New respondent")[0].value = "Health visiting lead"
        self.find(ui, "Dropdown", "Sector")[0].value = "health"
        self.find(ui, "Button", "Add respondent")[0].click()
        radios = self.find(ui, "RadioButtons", "Rating")
        radios[0].value = 2
        [saved] = self.responses(workspace)
        assert saved.name == "Health visiting lead" and saved.value(factor_ids[0]) == 2
        assert "Saved" in wb.status.value
        assert "Health" in view.value and "2.0" in view.value
        evidence = self.find(ui, "Textarea", "Evidence")[0]
        evidence.value = "Health visitor caseload data"
        [saved] = self.responses(workspace)
        assert saved.note(factor_ids[0]) == "Health visitor caseload data" and saved.value(factor_ids[0]) == 2
        assert not plan_store(workspace).exists(CODE)  # the ratings are responses: the plan is not written

    def test_anonymous_entry_and_a_closed_round(self, workspace: Path, factor_ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p3.exercise(wb)
        self.find(ui, "Text", "New round")[0].value = "Baseline"
        self.find(ui, "Button", "Open round")[0].click()
        self.find(ui, "Button", "Add respondent")[0].click()  # no name: anonymous
        assert "Saved a new anonymous respondent" in wb.status.value
        assert self.find(ui, "Dropdown", "Answering as")[0].label == "Respondent 1 (local authority)"
        self.find(ui, "RadioButtons", "Rating")[0].value = 3
        [saved] = self.responses(workspace)
        assert saved.anonymous and saved.name is None and saved.value(factor_ids[0]) == 3
        self.find(ui, "Button", "Close this round")[0].click()
        assert "as closed" in wb.status.value
        assert self.find(ui, "RadioButtons", "Rating")[0].disabled
        assert self.find(ui, "Button", "Add respondent")[0].disabled
        with pytest.raises(ResponseError, match="was closed"):
            ResponseStore(workspace).save(CODE, p3.QUESTIONNAIRE, saved)

    def test_refused_input_is_shown_in_words_and_nothing_is_lost(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p3.exercise(wb)
        self.find(ui, "Button", "Open round")[0].click()
        assert "Type a name for the new round" in wb.status.value
        self.find(ui, "Text", "New round")[0].value = "Baseline"
        self.find(ui, "Button", "Open round")[0].click()
        self.find(ui, "Text", "New round")[0].value = "Baseline"
        self.find(ui, "Button", "Open round")[0].click()
        assert "Not saved" in wb.status.value and "not already used" in wb.status.value
        self.find(ui, "Text", "New respondent")[0].value = "Respondent 7"
        self.find(ui, "Button", "Add respondent")[0].click()
        assert "Not saved" in wb.status.value and "anonymous label" in wb.status.value
        assert self.responses(workspace) == []

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


def test_the_exercise_opens_on_a_round_that_has_answers(workspace: Path, factor_ids: list[str]) -> None:
    """As after a page reload: the round and the first entry are chosen and their ratings shown."""
    store = ResponseStore(workspace)
    made = store.open_round(CODE, p3.SLUG, "Baseline")
    save(store, made.id, "health", "Alex", {factor_ids[0]: 3})
    wb = open_workbook(CODE, workspace, interactive=True)
    ui = p3.exercise(wb)
    assert find_widgets(ui, "Dropdown", "Answering as")[0].label == "Alex (health)"
    assert find_widgets(ui, "RadioButtons", "Rating")[0].value == 3
    assert not find_widgets(ui, "RadioButtons", "Rating")[0].disabled
