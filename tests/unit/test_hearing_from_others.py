"""Product 7: the perspectives library, its filters, the team's interviews, the thematic summary and widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jointwork.core.errors import PlanError
from jointwork.products import Plan, plan_store
from jointwork.products import hearing_from_others as p7
from jointwork.products.hearing_from_others.model import Interview
from jointwork.session import open_workbook

from conftest import find_widgets

CODE = "E06000045"  # Southampton: the library holds perspectives from here
DERBYSHIRE = "E10000007"


@pytest.fixture
def plan() -> Plan:
    plan = Plan(area_code=CODE)
    p7.add_interview(
        plan,
        "Health visitor (test)",
        "Births data arrive late.",
        "barrier",
        ["data sharing"],
        role="Health visitor",
        sector="health",
        interviewed_on=date(2025, 11, 4),
    )
    p7.add_interview(
        plan,
        "Hub manager (test)",
        "The ICB place lead comes to every board.",
        "enabler",
        ["governance", "co_terminosity"],
    )
    return plan


class TestContent:
    def test_content_cross_references_resolve(self) -> None:
        assert list(p7.content_checks()) == []

    def test_broken_content_is_reported(self, broken_content) -> None:
        def damage(entries: dict[str, Any]) -> None:
            first, second, third = entries["perspectives"][:3]
            first["themes"] = ["funding", "weather"]
            second["kind"], second["today"] = "both", " "
            del third["person"], third["organisation"]
            third["area_code"] = "E99999999"
            entries["perspectives"][3]["themes"] = ["data sharing", "data_sharing"]
            entries["interview_questions"][0]["themes"] = []

        broken_content(p7.SLUG, damage)
        first, second, third, fourth = (p.id for p in p7.perspectives()[:4])
        question = p7.interview_questions()[0].id
        problems = list(p7.content_checks())
        assert sorted(problems) == sorted(
            [
                f"perspectives entry {first!r} names theme 'weather', which is not in 'themes'",
                f"perspectives entry {fourth!r} names the same theme more than once",
                f"interview_questions entry {question!r} needs at least one theme",
                f"perspective {second!r} has kind 'both'; expected 'barrier' or 'enabler'",
                f"perspective {second!r} needs 'today': whether the point still holds",
                f"perspective {third!r} needs person, organisation: who said it",
                f"perspective {third!r} names area 'E99999999', which is not the current GSS code of an area",
            ]
        )

    def test_theme_id_accepts_titles_and_ids(self) -> None:
        assert p7.theme_id("conditions of service") == "conditions_of_service"
        assert p7.theme_id("co-terminosity") == p7.theme_id("co_terminosity") == "co_terminosity"
        assert p7.theme_id(" Data Sharing ") == "data_sharing"
        with pytest.raises(ValueError, match="not a theme"):
            p7.theme_id("weather")

    def test_theme_tags_in_the_content_become_ids(self) -> None:
        derbyshire = p7.content().entry("janes_pct_merger")
        assert p7.entry_themes(derbyshire) == ["reorganisation", "co_terminosity", "leadership"]


class TestFilter:
    def test_no_filters_returns_the_whole_library_in_content_order(self) -> None:
        assert p7.filter_perspectives() == p7.perspectives()

    def test_text_matches_every_word_ignoring_case(self) -> None:
        found = p7.filter_perspectives("HEALTH visitors")
        assert found and all("health" in (p.text + p.get("role") + p.get("today")).lower() for p in found)
        assert {p.id for p in p7.filter_perspectives("Derbyshire")} == {
            "janes_pct_merger",
            "janes_conditions_of_service",
        }
        assert p7.filter_perspectives("no such words anywhere") == []

    def test_themes_match_any_and_accept_titles(self) -> None:
        found = p7.filter_perspectives(themes=["conditions of service"])
        assert {p.id for p in found} == {
            "hanney_public_health_contract",
            "hanney_joint_teams",
            "janes_conditions_of_service",
        }
        both = p7.filter_perspectives(themes=["co_terminosity", "outreach"])
        assert all({"co_terminosity", "outreach"} & set(p7.entry_themes(p)) for p in both)
        assert len(both) > len(p7.filter_perspectives(themes=["outreach"]))

    def test_kind_and_combination(self) -> None:
        barriers = p7.filter_perspectives(kind="barrier")
        assert barriers and all(p.get("kind") == "barrier" for p in barriers)
        assert len(barriers) + len(p7.filter_perspectives(kind="enabler")) == len(p7.perspectives())
        assert [p.id for p in p7.filter_perspectives("conditions", ["workforce"], "barrier")] == [
            "hanney_public_health_contract",
            "janes_conditions_of_service",
        ]

    def test_bad_filters_are_refused_in_words(self) -> None:
        with pytest.raises(ValueError, match="barrier"):
            p7.filter_perspectives(kind="both")
        with pytest.raises(ValueError, match="choose from"):
            p7.filter_perspectives(themes=["weather"])

    def test_current_area_comes_first(self) -> None:
        found = p7.filter_perspectives(area_code=DERBYSHIRE)
        assert [p.get("area_code") for p in found[:2]] == [DERBYSHIRE, DERBYSHIRE]
        assert {p.id for p in found} == {p.id for p in p7.perspectives()}
        shown = p7.library(Plan(area_code=DERBYSHIRE))
        assert "From your area (Derbyshire): 2 perspective(s)" in shown.text
        assert shown.text.index("Councillor Bob Janes") < shown.text.index("Elizabeth Knight")

    def test_library_shows_then_and_now(self) -> None:
        text = p7.library(Plan(area_code="E08000025")).text  # Birmingham: nothing local
        assert "From your area" not in text
        assert "Then: what they said (paraphrased) | Today" in text
        knight = p7.content().entry("knight_funding_cut")
        assert knight.get("today").split(":")[0] in text


class TestInterviewsAndSummary:
    def test_interviews_store_theme_ids(self, plan: Plan) -> None:
        saved = plan.hearing_from_others.interviews
        assert saved[0].themes == ["data_sharing"]
        assert saved[1].themes == ["co_terminosity", "governance"]  # content order, not the order given
        assert "Health visitor (test)" in p7.interviews_table(plan).text

    @pytest.mark.parametrize(
        "args, message",
        [
            (("", "x", "barrier", ["trust"]), "interviewee"),
            (("A", " ", "barrier", ["trust"]), "summary"),
            (("A", "x", "neither", ["trust"]), "barrier or an enabler"),
            (("A", "x", "barrier", []), "at least one theme"),
            (("A", "x", "barrier", ["weather"]), "not a theme"),
        ],
    )
    def test_refused_interviews(self, args: tuple, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            p7.add_interview(Plan(area_code=CODE), *args)

    def test_update_and_remove_interview(self, plan: Plan) -> None:
        p7.update_interview(plan, 1, "Hub manager (test)", "The board has lapsed.", "barrier", ["governance"])
        changed = plan.hearing_from_others.interviews[1]
        assert (changed.kind, changed.themes, changed.summary) == ("barrier", ["governance"], "The board has lapsed.")
        with pytest.raises(ValueError, match="at least one theme"):
            p7.update_interview(plan, 1, "Hub manager (test)", "x", "barrier", [])
        assert plan.hearing_from_others.interviews[1] == changed
        p7.remove_interview(plan, 0)
        assert [v.interviewee for v in plan.hearing_from_others.interviews] == ["Hub manager (test)"]
        with pytest.raises(ValueError, match="no interview number 5"):
            p7.remove_interview(plan, 4)
        with pytest.raises(ValueError, match="no interview number 3"):
            p7.update_interview(plan, 2, "A", "x", "barrier", ["trust"])

    def test_check_reports_unknown_theme_ids(self, plan: Plan) -> None:
        plan.hearing_from_others.interviews.append(
            Interview(interviewee="X", summary="y", kind="barrier", themes=["trust", "conditions of service"])
        )
        problems = list(p7.check(plan.hearing_from_others))
        assert problems == [(("interviews", 2, "themes", 1), problems[0][1])]
        assert "conditions_of_service" in problems[0][1]

    def test_store_refuses_a_plan_with_an_unknown_theme(self, workspace: Path) -> None:
        bad = (
            "schema_version: 1\narea_code: E06000045\nhearing_from_others:\n  interviews:\n"
            "  - interviewee: X\n    summary: y\n    kind: enabler\n    themes: [money]\n"
        )
        (workspace / "plans" / "E06000045.yaml").write_text(bad, encoding="utf-8")
        with pytest.raises(PlanError, match=r"hearing_from_others.interviews\[0\].themes\[0\]"):
            plan_store(workspace).load(CODE)

    def test_theme_counts_add_library_and_team(self, plan: Plan) -> None:
        frame = p7.theme_counts(plan.hearing_from_others).set_index("theme_id")
        library = p7.theme_counts().set_index("theme_id")
        assert frame.loc["data_sharing", "team_barriers"] == 1
        assert frame.loc["data_sharing", "barriers"] == library.loc["data_sharing", "barriers"] + 1
        assert frame.loc["governance", "team_enablers"] == 1 and frame.loc["trust", "team_barriers"] == 0
        expected = sum(p.get("kind") == "barrier" and "funding" in p7.entry_themes(p) for p in p7.perspectives())
        assert library.loc["funding", "library_barriers"] == expected

    def test_chart_names_the_most_common_barrier_theme(self, plan: Plan) -> None:
        assert p7.most_common_barrier(plan.hearing_from_others) == "funding"
        chart = p7.theme_chart(plan)
        assert "Most common barrier theme: funding (7 barriers: 7 in the library, 0 in your interviews)" in chart.text
        assert 'role="img"' in chart.markup and "<desc" in chart.markup and "<table" in chart.markup
        assert "Your barriers" in chart.markup and "your team's interviews" in chart.text
        for _ in range(4):  # 2 + 5 data sharing barriers tie with funding's 7: content order wins
            p7.add_interview(plan, "Someone (test)", "Data again.", "barrier", ["data sharing"])
        assert p7.most_common_barrier(plan.hearing_from_others) == "funding"
        p7.add_interview(plan, "Someone (test)", "Data again.", "barrier", ["data sharing"])
        # the team's own interviews change the finding
        assert p7.most_common_barrier(plan.hearing_from_others) == "data_sharing"
        assert (
            "Most common barrier theme: data sharing (8 barriers: 2 in the library, 6 in your interviews)"
            in p7.theme_chart(plan).text
        )

    def test_summary_column_and_report_parts(self, plan: Plan) -> None:
        assert {c.key: c.value(plan) for c in p7.PRODUCT.summary} == {"interviews": 2}
        assert [(part.title, part.render(plan).markup) for part in p7.PRODUCT.report] == [
            ("The team's interviews", p7.interviews_table(plan).markup),
        ], "the themes chart counts the library too, so the short report leaves it out"

    def test_blank_plan_outputs_say_so(self) -> None:
        blank = Plan(area_code=CODE)
        assert "No interviews recorded yet" in p7.interviews_table(blank).text
        chart = p7.theme_chart(blank)
        assert "no interviews of your own yet" in chart.text and "Your barriers" not in chart.markup
        assert p7.render_perspectives([]).text.startswith("No perspectives match")


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def results(self, ui) -> str:
        return self.find(ui, "HTML")[-1].value

    def test_search_and_filters_redraw_the_results(self, workspace: Path) -> None:
        wb = open_workbook(DERBYSHIRE, workspace, interactive=True)
        ui = p7.explore(wb)
        assert "From your area (Derbyshire)" in self.results(ui)
        assert f"{len(p7.perspectives())} of {len(p7.perspectives())} perspectives match" in ui.children[-2].value
        self.find(ui, "SelectMultiple", "Themes (none chosen = all)")[0].value = ("conditions_of_service",)
        self.find(ui, "ToggleButtons", "Show")[0].value = "barrier"
        assert "2 of" in ui.children[-2].value
        assert "Councillor Bob Janes" in self.results(ui) and "Tina Bruce" not in self.results(ui)
        self.find(ui, "Text", "Search")[0].value = "Hanney"
        assert "1 of" in ui.children[-2].value and "From your area" not in self.results(ui)
        self.find(ui, "Text", "Search")[0].value = "zzzz"
        assert "No perspectives match" in self.results(ui)
        self.find(ui, "Button", "Clear filters")[0].click()
        assert f"{len(p7.perspectives())} of" in ui.children[-2].value

    def test_interview_is_saved_at_once_and_the_views_redraw(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        table = wb.view(p7.interviews_table)
        chart = wb.view(p7.theme_chart)
        ui = p7.exercise(wb)
        suggested = [h.value for h in self.find(ui, "HTML") if "Suggested questions" in h.value]
        assert suggested and "new births" in suggested[0]
        self.find(ui, "Text", "Interviewee")[0].value = "Community midwife"
        self.find(ui, "Text", "Role")[0].value = "Midwife"
        self.find(ui, "Dropdown", "Sector")[0].value = "health"
        self.find(ui, "Textarea", "Summary")[0].value = "Antenatal classes in the hub reach new parents."
        self.find(ui, "ToggleButtons", "Barrier or enabler")[0].value = "enabler"
        self.find(ui, "SelectMultiple", "Themes")[0].value = ("outreach", "workforce")
        self.find(ui, "DatePicker", "Date of interview")[0].value = date(2025, 10, 9)
        self.find(ui, "Button", "Add interview")[0].click()
        saved = plan_store(workspace).load(CODE).hearing_from_others.interviews
        assert len(saved) == 1 and saved[0].interviewee == "Community midwife" and saved[0].sector.value == "health"
        assert saved[0].themes == ["workforce", "outreach"] and saved[0].interviewed_on == date(2025, 10, 9)
        assert "Saved" in wb.status.value
        assert "Community midwife" in table.value and "Your enablers" in chart.value
        assert self.find(ui, "Text", "Interviewee")[0].value == ""  # the form is ready for the next one
        picker = self.find(ui, "Dropdown", "Interview")[0]
        assert picker.options[1] == ("1. Community midwife (enabler)", 0)
        picker.value = 0  # the saved interview is shown in the form, to change or remove
        assert self.find(ui, "Textarea", "Summary")[0].value == "Antenatal classes in the hub reach new parents."
        assert self.find(ui, "SelectMultiple", "Themes")[0].value == ("workforce", "outreach")
        self.find(ui, "ToggleButtons", "Barrier or enabler")[0].value = "barrier"
        self.find(ui, "Textarea", "Summary")[0].value = "The classes stopped when the room was lost."
        self.find(ui, "Button", "Save changes")[0].click()
        saved = plan_store(workspace).load(CODE).hearing_from_others.interviews
        assert len(saved) == 1 and saved[0].kind == "barrier" and saved[0].summary.startswith("The classes stopped")
        assert saved[0].interviewed_on == date(2025, 10, 9) and "The classes stopped" in table.value
        self.find(ui, "Button", "Remove interview")[0].click()
        assert plan_store(workspace).load(CODE).hearing_from_others.interviews == []
        assert "No interviews recorded yet" in table.value

    def test_refused_interview_is_shown_in_words(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p7.exercise(wb)
        self.find(ui, "Text", "Interviewee")[0].value = "Someone"
        self.find(ui, "Textarea", "Summary")[0].value = "Said something."
        self.find(ui, "Button", "Add interview")[0].click()
        assert "Not saved" in wb.status.value and "at least one theme" in wb.status.value
        assert not plan_store(workspace).exists(CODE)
        assert self.find(ui, "Text", "Interviewee")[0].value == "Someone"  # nothing typed is lost
