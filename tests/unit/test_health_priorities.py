"""Product 2: the matrix, the area's figures, ranked priorities, actions, widgets and batch runs."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jointwork.build.indicators import FINGERTIPS_FILE, import_fingertips
from jointwork.core.areas import all_areas
from jointwork.core.errors import PlanError
from jointwork.core.indicators import area_snapshot, catalogue
from jointwork.core.licence import ATTRIBUTION
from jointwork.core.paths import data_dir
from jointwork.core.plan import ActionStatus
from jointwork.products import Plan, plan_store
from jointwork.products import health_priorities as p2
from jointwork.session import open_workbook

from conftest import SHARED_DATA, find_widgets, skip_or_fail

CODE = "E06000045"  # Southampton
FRESH = "E08000025"  # Birmingham: no sample plan
INJURY = "injury_admissions_0_14"
GLD = "good_level_of_development"
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def every_indicator_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the data in which every catalogue indicator has figures: the real 90284 export (its last three
    years) relabelled for each indicator not held, with one value suppressed and Cumbria before its split."""

    if not SHARED_DATA.is_dir():
        skip_or_fail(f"the public data files are not at {SHARED_DATA}")
    source, copy = data_dir(), tmp_path_factory.mktemp("every_indicator") / "data"
    copy.mkdir()
    for item in source.iterdir():
        if item.name != "indicators":
            (copy / item.name).symlink_to(item)
    shutil.copytree(source / "indicators", copy / "indicators")
    real = pd.read_csv(SHARED_DATA / FINGERTIPS_FILE, dtype=str, keep_default_na=False)
    real = real[real["Time period"].isin(["2021/22", "2022/23", "2023/24"])]
    frames = []
    for r in catalogue().itertuples():
        if r.figures_held == "yes":
            continue
        frame = real.assign(**{"Indicator ID": r.fingertips_id, "Indicator Name": r.title})
        if r.age:
            frame["Age"] = r.age
        latest = frame["Time period"] == "2023/24"
        if r.key == "breastfeeding_6_8_weeks":
            at = latest & (frame["Area Code"] == CODE) & (frame["Sex"] == "Persons") & (frame["Category Type"] == "")
            frame.loc[at, ["Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"]] = ""
            frame.loc[at, "Value note"] = "Value suppressed for disclosure control due to small count"
        if r.key == "smoking_at_delivery":  # as an export of area type 402 gives it
            cumberland = latest & (frame["Area Code"] == "E06000063")
            frame.loc[cumberland, ["Area Code", "Area Name"]] = ["E10000006", "Cumbria"]
            frame = frame[~(latest & (frame["Area Code"] == "E06000064"))]
        frames.append(frame)
    pd.concat(frames).to_csv(copy / "every_indicator.csv", index=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOINTWORK_DATA", str(copy))
        import_fingertips([copy / "every_indicator.csv"], copy / "indicators")
    return copy


@pytest.fixture
def every_indicator(every_indicator_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("JOINTWORK_DATA", str(every_indicator_data))
    yield every_indicator_data


@pytest.fixture
def plan() -> Plan:
    """Two priorities and two actions with known values."""
    plan = Plan(area_code=CODE)
    p2.add_priority(plan, "hia21_ready_to_learn", "Language delay at two")
    p2.add_priority(plan, "hia21_breastfeeding")
    p2.add_action(
        plan,
        "hia21_breastfeeding",
        "Peer supporters in every hub",
        "health",
        date(2026, 3, 31),
        "Breastfeeding at 6 to 8 weeks",
    )
    p2.add_action(plan, "hia21_ready_to_learn", "Joint two-year reviews", "joint", date(2026, 9, 30))
    return plan


class TestContent:
    def test_content_cross_references_resolve(self) -> None:
        assert list(p2.content_checks()) == []

    def test_broken_content_is_reported(self, broken_content) -> None:
        def damage(entries: dict[str, Any]) -> None:
            links = entries["alignment"]
            links[0]["objective"] = "hia14_breastfeeding"  # a 2014 area is not a row of the matrix
            links[1]["offer"] = "offer_nowhere"
            links[2]["strength"], links[2]["ecm"] = "weak", []
            links[3]["ecm"] = ["be_healthy", "be_wealthy"]
            links.append({**links[4], "id": "aln_again"})
            objectives = {o["id"]: o for o in entries["health_objectives"]}
            objectives["hia14_healthy_weight"]["successor"] = "hia26_framework"
            objectives["oi_mmr_2"]["indicator_keys"] = ["no_such_indicator"]
            objectives["oi_infant_mortality"]["kind"] = "wish"
            entries["centre_offer"][0]["era"] = "someday"
            entries["measures"][6]["objectives"] = ["hia21_transition", "made_up"]

        broken_content(p2.SLUG, damage)
        links = [a.id for a in p2.alignments()]
        first, second, third, fourth, fifth = links[:5]
        offer, objective = p2.offers()[0], p2.alignments()[4].get("objective")
        assert sorted(p2.content_checks()) == sorted(
            [
                f"alignment {first!r} names objective 'hia14_breastfeeding', which is not a 2021 high impact area "
                "or an outcome indicator in 'health_objectives'",
                f"alignment {second!r} names offer strand 'offer_nowhere', which is not in 'centre_offer'",
                f"alignment {third!r} has strength 'weak'; expected 'strong' or 'some'",
                f"alignment {third!r} names no Every Child Matters outcome",
                f"alignment {fourth!r} names Every Child Matters outcome 'be_wealthy', which is not in the "
                "introduction content's 'ecm_outcomes'",
                f"objective {objective!r} meets offer strand {p2.alignments()[4].get('offer')!r} in more than one "
                f"alignment: {fifth}, aln_again",
                "2014 high impact area 'hia14_healthy_weight' names successor 'hia26_framework', which is not a "
                "2021 high impact area in 'health_objectives'",
                "objective 'oi_mmr_2' names indicator 'no_such_indicator', which is not in the indicator catalogue",
                "objective 'oi_infant_mortality' has kind 'wish'; expected 'high impact area' or 'outcome indicator'",
                f"offer strand {offer.id!r} has era 'someday'; expected 'then' or 'now'",
                "measure 'm_new_births_contacted' names objective 'made_up', which is not in 'health_objectives'",
            ]
        )

    def test_the_2014_areas_map_onto_the_2021_ones(self) -> None:
        titles = p2.objective_titles()
        old = [o for o in p2.objectives() if o.get("era") == "2014"]
        assert len(old) == 6
        assert {titles[o.get("successor")] for o in old} == {
            o.get("title") for o in p2.objectives() if o.get("era") == "2021"
        }
        assert {e.id for e in p2.content().group("then_now")} >= {"tn_programme", "tn_offer"}

    def test_the_offer_has_strands_then_and_now_and_objectives_name_indicators(self) -> None:
        assert {o.get("era") for o in p2.offers()} == {"then", "now"}
        assert any(o.get("indicator_keys") for o in p2.objectives())


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
        assert [m.id for m in p2.suggested_measures("oi_school_readiness")] == [
            "m_school_readiness",
            "m_two_year_review",
        ]
        assert p2.suggested_measures("oi_infant_mortality") == [] and p2.suggested_measures("nope") == []

    def test_summary_column_lists_the_priorities_in_rank_order(self, plan: Plan) -> None:
        p2.move_priority(plan, "hia21_breastfeeding", -1)
        column = next(c for c in p2.PRODUCT.summary if c.key == "priorities")
        titles = p2.objective_titles()
        assert column.value(plan) == f"{titles['hia21_breastfeeding']}; {titles['hia21_ready_to_learn']}", "titles"
        assert p2.priority_ids(p2.section(plan)) == "hia21_breastfeeding; hia21_ready_to_learn"
        assert column.value(Plan(area_code=CODE)) == ""

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
        held = snapshot[snapshot["held"]]
        assert held["key"].tolist() == [INJURY, GLD]
        lines = text.splitlines()
        for r in held.itertuples():
            row = next(line for line in lines if line.startswith(r.indicator + " |")).split(" | ")
            assert row[1] == r.period
            assert row[2:5] == [
                f"{r.area_value:.1f}" + ("%" if r.unit == "%" else f" {r.unit}"),
                f"{r.region_value:.1f}" + ("%" if r.unit == "%" else f" {r.unit}"),
                f"{r.england_value:.1f}" + ("%" if r.unit == "%" else f" {r.unit}"),
            ]
            assert row[5] == r.compared and r.source in text
        assert "Region (South East)" in text and "Southampton" in text
        assert "72.1 per 10,000 | 70.7 per 10,000 | 72.7 per 10,000" in text  # 2023/24, as published (305 / 42,281)
        assert "61.8%" in text and "65.2%" in text and "67.5%" in text  # as published for 2021/22
        assert ATTRIBUTION in text

    def test_every_catalogue_indicator_is_shown_or_said_missing(self) -> None:
        text = p2.area_figures(Plan(area_code=CODE)).text
        assert "figures are held for 2 of the 18 indicators in the catalogue" in text
        for r in catalogue().itertuples():
            assert r.name in text
            if r.figures_held == "no":
                line = next(line for line in text.splitlines() if line.startswith(r.name + " |"))
                assert line.endswith(f"| {r.fingertips_id} | `jointwork data fetch-indicators --ids {r.fingertips_id}`")
        assert "Not downloaded yet: 16 of the 18 indicators in the catalogue" in text
        assert "jointwork data import-fingertips FILE" in text

    def test_high_impact_areas_2021_and_2026(self) -> None:
        text = p2.area_figures(Plan(area_code=CODE)).text
        smoking = next(
            line for line in text.splitlines() if line.startswith("Mothers who smoke when they give birth | 93085")
        )
        assert "| 1. Supporting the transition to parenthood | 1. The transition to parenthood |" in smoking
        assert "Smokers at time of childbirth delivery, indicator 93085" in smoking
        assert "not linked yet (only area 1 of the 2026 framework is named so far)" in text
        assert "to re-check online: title, unit, polarity, value type" in text

    def test_area_figures_chart_states_the_finding(self) -> None:
        html = p2.area_figures(Plan(area_code=CODE))
        assert "Southampton 61.8% in 2021/22, lower than England (65.2%)" in html.text
        assert html.markup.count('<figure class="jw-chart"') == 2 and "<desc" in html.markup

    def test_trend_in_words_and_a_sparkline(self) -> None:
        html = p2.area_figures(Plan(area_code=CODE))
        words = (
            "down: 133.2 per 10,000 in 2010/11, 72.1 per 10,000 in 2023/24 (14 periods); England 115.2 per 10,000 "
            "to 72.7 per 10,000; Fingertips' recent trend: no significant change"
        )
        assert words in html.text
        assert html.markup.count("<polyline") == 2  # Southampton and England, injury admissions only
        assert f'aria-label="Southampton (solid line) and England (dashed): {words}"' in html.markup.replace(
            "&#x27;", "'"
        )
        assert "one period only (2021/22): no trend yet" in html.text

    def test_area_figures_mark_the_teams_priorities(self, plan: Plan) -> None:
        assert "Ready to learn and narrowing the word gap (your priority 1)" in p2.area_figures(plan).text

    def test_missing_figure_is_said_not_estimated(self) -> None:
        text = p2.area_figures(Plan(area_code="E06000053")).text  # Isles of Scilly: injuries combined with Cornwall
        assert "no figure of its own: counted with Cornwall (51.6 per 10,000 for both)" in text
        assert "no figure for Isles of Scilly" in text and "no series of its own" in text
        assert "Cornwall and Isles of Scilly combined" in text
        cornwall = p2.area_figures(Plan(area_code="E06000052")).text
        assert "51.6 per 10,000 (one figure for Cornwall and Isles of Scilly)" in cornwall

    def test_never_nan_for_any_area(self) -> None:
        for code in sorted(a.code for a in all_areas()):
            html = p2.area_figures(Plan(area_code=code))
            assert not NAN.search(html.text) and not NAN.search(html.markup), code
            assert "No published figures" not in html.text, code

    def test_every_area_with_every_indicator_downloaded(self, every_indicator: Path) -> None:
        """All 18 indicators held (the real export relabelled for each), with a suppressed value and Cumbria,
        for every eighth area and the special ones (every area is checked for "nan" with today's data above)."""
        names = catalogue()["name"].tolist()
        codes = sorted(a.code for a in all_areas())
        for code in sorted({*codes[::8], CODE, "E06000063", "E06000052", "E06000053"}):
            html = p2.area_figures(Plan(area_code=code))
            assert not NAN.search(html.text) and not NAN.search(html.markup), code
            assert "figures are held for 18 of the 18 indicators" in html.text and "Not downloaded yet" not in html.text
            figures_table = html.text.split("What each indicator measures")[0]
            for name in names:
                assert f"\n{name} | " in figures_table, (code, name)
        southampton = p2.area_figures(Plan(area_code=CODE)).text
        line = next(
            t for t in southampton.splitlines() if t.startswith("Babies breastfed (fully or partly) at 6 to 8 weeks |")
        )
        assert "| suppressed by the publisher (small numbers) |" in line and "disclosure control" in line
        cumberland = p2.area_figures(Plan(area_code="E06000063")).text
        line = next(t for t in cumberland.splitlines() if t.startswith("Mothers who smoke when they give birth |"))
        assert "| not published for today's area |" in line and "Cumbria (E10000006)" in line
        assert " people |" in southampton and "| score " in southampton

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
            ("hia21_ready_to_learn", 1),
            ("hia21_breastfeeding", 2),
            ("oi_mmr_2", 3),
        ]
        p2.move_priority(plan, "oi_mmr_2", -1)
        assert [p.objective for p in p2.ranked(plan.health_priorities)][1] == "oi_mmr_2"
        p2.remove_priority(plan, "hia21_ready_to_learn")
        assert [(p.objective, p.rank) for p in plan.health_priorities.priorities] == [
            ("oi_mmr_2", 1),
            ("hia21_breastfeeding", 2),
        ]

    @pytest.mark.parametrize(
        "edit, message",
        [
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
            (lambda plan: p2.update_action(plan, 2, "oi_mmr_2", "x"), "no action number 3; the plan has 2"),
            (lambda plan: p2.update_action(plan, 0, "oi_mmr_2", " "), "describe what will be done"),
            (lambda plan: p2.remove_action(plan, -1), "no action number 0"),
        ],
    )
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
        p2.update_action(
            plan,
            1,
            "oi_school_readiness",
            "Joint two-year reviews in every hub",
            "NHS",
            date(2026, 12, 31),
            "Children receiving the 2 to 2 and a half year review",
            "in progress",
        )
        changed = plan.health_priorities.actions[1]
        assert (changed.objective, changed.what, changed.lead, changed.by_when, changed.measure, changed.status) == (
            "oi_school_readiness",
            "Joint two-year reviews in every hub",
            "health",
            date(2026, 12, 31),
            "Children receiving the 2 to 2 and a half year review",
            ActionStatus.IN_PROGRESS,
        )
        p2.remove_action(plan, 0)
        assert [a.what for a in plan.health_priorities.actions] == [
            "Joint two-year reviews in every hub",
            "Check red books",
        ]

    def test_check_reports_bad_ids_and_duplicate_ranks(self) -> None:
        plan = Plan.model_validate(
            {
                "area_code": CODE,
                "health_priorities": {
                    "priorities": [
                        {"objective": "hia21_breastfeeding", "rank": 1},
                        {"objective": "made_up", "rank": 1},
                        {"objective": "hia21_breastfeeding", "rank": 2},
                    ],
                    "actions": [{"objective": "also_made_up", "what": "x"}],
                },
            }
        )
        problems = dict(p2.check(plan.health_priorities))
        assert "health objective ids" in problems[("priorities", 1, "objective")]
        assert "also given to 'hia21_breastfeeding'" in problems[("priorities", 1, "rank")]
        assert "listed twice" in problems[("priorities", 2, "objective")]
        assert "health objective ids" in problems[("actions", 0, "objective")]
        assert list(p2.check(Plan(area_code=CODE).health_priorities)) == []

    def test_store_refuses_a_plan_with_a_bad_objective(self, workspace: Path) -> None:
        path = workspace / "plans" / f"{CODE}.yaml"
        path.write_text(
            f"schema_version: 1\narea_code: {CODE}\nhealth_priorities:\n  priorities:\n"
            "  - objective: made_up\n    rank: 1\n",
            encoding="utf-8",
        )
        with pytest.raises(PlanError) as caught:
            plan_store(workspace).load(CODE)
        assert "health_priorities.priorities[0].objective" in str(caught.value)
        assert "line 5" in str(caught.value)


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def saved(self, workspace: Path):
        return plan_store(workspace).load(CODE).health_priorities

    def test_choose_rank_and_explain_priorities(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        matrix = wb.view(p2.matrix)
        ui = p2.exercise(wb)
        titles = p2.objective_titles()
        self.find(ui, "Checkbox", titles["hia21_breastfeeding"])[0].value = True
        self.find(ui, "Checkbox", titles["oi_school_readiness"])[0].value = True
        assert [(p.objective, p.rank) for p in self.saved(workspace).priorities] == [
            ("hia21_breastfeeding", 1),
            ("oi_school_readiness", 2),
        ]
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
        plan_store(workspace).update(CODE, lambda plan: p2.add_priority(plan, "hia21_breastfeeding"))
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p2.action_plan)
        ui = p2.action_exercise(wb)
        objective = self.find(ui, "Dropdown", "Objective (your priorities first)")[0]
        assert objective.value == "hia21_breastfeeding" and objective.options[0][0].startswith("Priority 1:")
        measure = self.find(ui, "Combobox", "How progress is measured")[0]
        assert measure.options[:2] == (
            "Breastfeeding at 6 to 8 weeks",
            "New babies contacted by the centre or hub within two months",
        )
        assert any(
            "Suggested measures" in h.value and "Breastfeeding at 6 to 8 weeks" in h.value
            for h in self.find(ui, "HTML")
        )
        self.find(ui, "Text", "What will be done")[0].value = "Train peer supporters"
        self.find(ui, "Dropdown", "Lead")[0].value = "health"
        self.find(ui, "DatePicker", "By when")[0].value = date(2026, 10, 31)
        measure.value = "Breastfeeding at 6 to 8 weeks"
        self.find(ui, "Button", "Add action")[0].click()
        action = self.saved(workspace).actions[0]
        assert (action.what, action.lead, action.by_when, action.measure) == (
            "Train peer supporters",
            "health",
            date(2026, 10, 31),
            "Breastfeeding at 6 to 8 weeks",
        )
        assert "Train peer supporters" in view.value
        assert self.find(ui, "Text", "What will be done")[0].value == "" and measure.value == ""  # ready for the next
        picker = self.find(ui, "Dropdown", "Action")[0]
        picker.value = 0
        assert measure.value == "Breastfeeding at 6 to 8 weeks"  # the saved action is shown in the form
        self.find(ui, "Dropdown", "Status")[0].value = "in progress"
        measure.value = "Peer supporters trained"
        self.find(ui, "Button", "Save changes")[0].click()
        action = self.saved(workspace).actions[0]
        assert (action.status, action.measure, action.what) == (
            ActionStatus.IN_PROGRESS,
            "Peer supporters trained",
            "Train peer supporters",
        )
        assert picker.options[1] == ("1. Train peer supporters (Health, in progress)", 0)
        self.find(ui, "Button", "Remove action")[0].click()
        assert self.saved(workspace).actions == [] and "No actions agreed yet" in view.value

    def test_measure_suggestions_follow_the_objective(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p2.action_exercise(wb)
        self.find(ui, "Dropdown", "Objective (your priorities first)")[0].value = "oi_infant_mortality"
        measure = self.find(ui, "Combobox", "How progress is measured")[0]
        assert measure.options == tuple(m.get("title") for m in p2.measures())
        assert any("No published measure fits this objective" in h.value for h in self.find(ui, "HTML"))
        self.find(ui, "Dropdown", "Objective (your priorities first)")[0].value = "oi_school_readiness"
        assert measure.options[:2] == (
            "Good level of development at the end of Reception",
            "Children receiving the 2 to 2 and a half year review",
        )

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
        assert not plan_store(workspace).exists(CODE)

    def test_batch_mode_shows_what_is_saved(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=False)
        assert "0 priorities chosen" in p2.exercise(wb).text
        assert "0 action(s) recorded" in p2.action_exercise(wb).text
        with pytest.raises(ValueError, match="no health objective"):
            wb.edit(lambda plan: p2.add_priority(plan, "no_such_objective"))


def test_2021_and_2026_high_impact_areas_side_by_side() -> None:
    """Each objective names its 2021 and its 2026 area; 2026 names no stored source gives are not invented."""
    from jointwork.products.health_priorities.views import TO_BE_COMPLETED, high_impact_areas_2021_and_2026

    text = high_impact_areas_2021_and_2026().text
    assert "0 to 5 | 1 | The transition to parenthood" in text
    assert text.count(TO_BE_COMPLETED) >= 9, "the nine unnamed 2026 areas say so"
    assert (
        "Supporting the transition to parenthood | High impact area (2021) | Supporting the transition to "
        "parenthood | 1. The transition to parenthood (ages 0 to 5)"
    ) in text
    assert "Supporting breastfeeding | High impact area (2021) | Supporting breastfeeding | " + TO_BE_COMPLETED in text
    assert high_impact_areas_2021_and_2026().markup in p2.then_and_now().markup


class TestPartnerRankings:
    """Each partner's own ranking: the combined order (mean rank) and Kendall's W."""

    @staticmethod
    def ranking(order: list[str], name: str | None = "Kim") -> Any:
        from jointwork.core.plan import Sector
        from jointwork.core.responses import Response

        answers = {q: {"value": i, "note": ""} for i, q in enumerate(order, start=1)}
        return Response("x" * 32, "r", p2.SLUG, Sector.HEALTH, name or "Respondent 1", answers, name)

    def test_the_same_order_is_full_agreement_and_reversed_is_none(self) -> None:
        ids = [o.id for o in p2.current_objectives()]
        same = [self.ranking(ids), self.ranking(ids, "Alex")]
        assert p2.kendalls_w(same) == 1.0
        assert p2.kendalls_w([self.ranking(ids), self.ranking(ids[::-1], "Alex")]) == 0.0
        assert p2.kendalls_w(same[:1]) is None
        assert "strong agreement" in p2.combined_ranking_table(Plan(area_code=CODE), self.area(same)).text

    def test_partial_rankings_are_combined_by_mean_rank(self) -> None:
        a, b, c = [o.id for o in p2.current_objectives()][:3]
        n = len(p2.current_objectives())
        rankings = [self.ranking([a, b]), self.ranking([b, a], "Alex"), self.ranking([a, c], "Sam")]
        frame = p2.combined_ranking(rankings).set_index("objective_id")
        assert list(frame.index[:3]) == [a, b, c]
        assert frame.loc[a, "mean_rank"] == round((1 + 2 + 1) / 3, 2)
        unranked = (2 + 1 + n) / 2  # the places 3..n shared by the objectives a partner left out
        assert frame.loc[c, "mean_rank"] == round((unranked * 2 + 2) / 3, 2)
        assert frame.loc[a, "first_for"] == 2 and frame.loc[b, "ranked_by"] == 2
        assert 0 < p2.kendalls_w(rankings) < 1

    def test_gaps_in_ranks_are_read_as_an_order(self) -> None:
        from dataclasses import replace

        a, b = [o.id for o in p2.current_objectives()][:2]
        gappy = replace(self.ranking([a]), answers={a: {"value": 1}, b: {"value": 5}})
        assert p2.partner_rankings.full_ranks(gappy)[b] == 2.0

    def test_no_ranking_yet_says_so(self) -> None:
        assert "No partner has ranked" in p2.combined_ranking_table(Plan(area_code=CODE)).text

    @staticmethod
    def area(responses: list[Any]) -> Any:
        from datetime import date

        from jointwork.core.responses import AreaResponses, Round, RoundResponses

        made = RoundResponses(Round("r", p2.SLUG, "Ranking, March 2026", date(2026, 3, 1)), tuple(responses))
        return AreaResponses(CODE, {p2.SLUG: (made,)})

    def test_the_exercise_saves_each_partners_ranking(self, workspace: Path) -> None:
        from jointwork.core.responses import ResponseStore
        from jointwork.session import open_workbook

        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p2.combined_ranking_table)
        ui = p2.ranking_exercise(wb)
        find_widgets(ui, "Text", "New round")[0].value = "Ranking, March 2026"
        find_widgets(ui, "Button", "Open round")[0].click()
        find_widgets(ui, "Text", "New respondent")[0].value = "Kim"
        find_widgets(ui, "Button", "Add respondent")[0].click()
        ranks = find_widgets(ui, "Dropdown", "Rank")
        ranks[0].value = 1
        ranks[1].value = 1  # the rank moves to the second objective
        ids = [o.id for o in p2.current_objectives()]
        [saved] = ResponseStore(workspace).responses(CODE, p2.SLUG, "ranking-march-2026")
        assert saved.value(ids[1]) == 1 and saved.value(ids[0]) is None
        assert ranks[0].value == 0
        assert "Combined ranking of 1 partner" in view.value
        assert not plan_store(workspace).exists(CODE)
