"""Product 4: structures then and now, the area panel, the register, the grid, gaps, edits and widgets."""

from __future__ import annotations

import html
import json
import re
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest

from jointwork.core.areas import find_area
from jointwork.core.errors import PlanError
from jointwork.products import Plan, plan_store
from jointwork.products import who_to_engage as p4
from jointwork.products.who_to_engage.model import Stakeholder
from jointwork.session import open_workbook
from jointwork.workshop.workbook import Workbook

from conftest import REPO, SAMPLES, find_widgets

CODE = "E06000045"  # Southampton
CONTACT = "midwifery.sample@example.org"  # the contact held in the Southampton sample plan


def a_plan(code: str = CODE) -> Plan:
    """A small register with one stakeholder in each box of the grid and a contact on one."""
    plan = Plan(area_code=code)
    p4.add_stakeholder(
        plan,
        "Director of Children's Services",
        "local authority",
        "The council",
        structure="director_childrens_services",
        influence=5,
        interest=5,
        relationship="strong",
    )
    p4.add_stakeholder(
        plan,
        "ICB place director",
        "health",
        "The ICB",
        structure="icb_place",
        prompt="prompt_icb_place",
        influence=4,
        interest=2,
        relationship="weak",
    )
    p4.add_stakeholder(
        plan,
        "Health visiting lead",
        "health",
        "0-19 provider",
        structure="health_visiting",
        influence=2,
        interest=4,
        relationship="developing",
        contact="hv.lead@example.org",
    )
    p4.add_stakeholder(plan, "Jobcentre Plus manager", "other", influence=1, interest=1)
    return plan


class TestContent:
    def test_content_cross_references_resolve(self) -> None:
        assert list(p4.content_checks()) == []

    def test_a_broken_content_copy_is_reported(self, monkeypatch: pytest.MonkeyPatch) -> None:
        broken = p4.content().model_copy(deep=True)
        by_id = {e.id: e for items in broken.entries.values() for e in items}
        by_id["prompt_midwifery"].structure = "local_area_agreement"  # gone since 2010-11
        by_id["prompt_lmns"].sector = "police"
        by_id["health_visiting"].era = "sometime"
        by_id["local_area_agreement"].must_engage = True
        by_id["keep_satisfied"].interest = "high"
        broken.entries["quadrants"] = [q for q in broken.entries["quadrants"] if q.id != "monitor"]
        # the module, not the function of the same name that the package re-exports
        monkeypatch.setattr(sys.modules["jointwork.products.who_to_engage.content"], "content", lambda: broken)
        problems = "\n".join(p4.content_checks())
        assert "prompt 'prompt_midwifery' names structure 'local_area_agreement'" in problems
        assert "prompt 'prompt_lmns' has sector 'police'" in problems
        assert "structure 'health_visiting' has era 'sometime'" in problems
        assert "structure 'local_area_agreement' is marked must engage but has gone" in problems
        assert "quadrant 'keep_satisfied' should have influence high and interest low" in problems
        assert "the quadrants should be keep_satisfied, manage_closely, monitor, keep_informed" in problems

    def test_the_structures_a_hub_must_engage(self) -> None:
        assert {s.id for s in p4.must_engage()} >= {"nhs_trust_maternity", "health_visiting", "integrated_care_board"}

    def test_reference_tables(self) -> None:
        table = p4.structures_then_now().text
        assert "Then (2007-08) | Now | What changed and when | Sector | Statute" in table
        assert "Primary care trust" in table and "Integrated care board" in table
        assert "gone, with no direct successor" in table  # the local area agreement
        assert "Coterminosity" in p4.concepts_table().text
        guide = p4.structures_guide().text
        assert "Must engage" in guide and guide.index("Local authority") < guide.index("Health") < guide.index("Other")


class TestArea:
    def test_single_icb_shared_with_other_councils(self) -> None:
        text = p4.coterminosity(find_area(CODE))
        assert "NHS Hampshire and Isle of Wight ICB" in text and "Portsmouth" in text
        assert "not co-terminous" in text and "indicative" in text

    def test_council_split_between_icbs(self) -> None:
        text = p4.coterminosity(find_area("E06000064"))  # Westmorland and Furness
        assert "2 ICBs" in text and "NHS Lancashire and South Cumbria ICB" in text and "a contact in each ICB" in text

    def test_birmingham_sits_in_one_icb_since_july_2022(self) -> None:
        text = p4.coterminosity(find_area("E08000025"))
        assert "wholly within NHS Birmingham and Solihull ICB" in text and "Black Country" not in text

    def test_a_sliver_and_a_likely_link_are_said_in_words(self) -> None:
        text = p4.coterminosity(find_area("Cumberland"))
        assert "wholly within NHS North East and North Cumbria ICB" in text and "small sliver of Cumberland" in text
        text = p4.coterminosity(find_area("Bracknell Forest"))
        assert "likely but not confirmed" in text and "Frimley" in text

    def test_area_panel_shows_july_2022_beside_april_2026(self) -> None:
        text = p4.area_panel(Plan(area_code="E10000012")).text  # Essex
        assert "ICB(s) from 1 April 2026 | NHS Essex ICB (indicative)" in text
        assert "NHS Suffolk and North East Essex ICB; NHS Hertfordshire and West Essex ICB; NHS Mid and South" in text
        assert "NHS Mid and South Essex ICB | merged into NHS Essex ICB | NHS Essex ICB" in text
        text = p4.area_panel(Plan(area_code="E10000030")).text  # Surrey
        assert "uncertain" in text and "replaced by East Surrey" in text and "Then and now" in text

    def test_coterminous_council(self) -> None:
        text = p4.coterminosity(find_area("Gloucestershire"))
        assert "the council and the ICB are co-terminous" in text and "appear to cover" in text

    def test_area_panel(self) -> None:
        text = p4.area_panel(Plan(area_code="E06000026")).text
        assert "Plymouth" in text and "South West" in text and "NHS Devon ICB (indicative)" in text
        assert "Devon; Torbay" in text and "Coterminosity (shared boundaries)" in text


SVG = "{http://www.w3.org/2000/svg}"


def grid_svg(markup: str) -> ET.Element:
    """The chart's SVG element, parsed."""
    return ET.fromstring(re.search(r"<svg.*</svg>", markup, re.S).group(0))


def text_box(element: ET.Element) -> tuple[float, float, float, float]:
    """A generous box (left, top, right, bottom) round an SVG text: 0.62 em a character, anchor-aware."""
    size = float((element.get("font-size") or "12px").rstrip("px"))
    x, y = float(element.get("x")), float(element.get("y"))
    width = len("".join(element.itertext())) * 0.62 * size
    left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor", "start")]
    return left, y - size, left + width, y + 0.25 * size


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class TestRegisterAndGrid:
    @pytest.mark.parametrize(
        "influence, interest, box",
        [(3, 3, "manage_closely"), (5, 2, "keep_satisfied"), (2, 5, "keep_informed"), (2, 2, "monitor")],
    )
    def test_quadrant_of(self, influence: int, interest: int, box: str) -> None:
        stakeholder = Stakeholder(role="x", sector="health", influence=influence, interest=interest)
        assert p4.quadrant_of(stakeholder) == box

    def test_register_hides_contacts_unless_asked(self) -> None:
        plan = a_plan()
        hidden = p4.register_table(plan)
        assert "hv.lead@example.org" not in hidden.markup + hidden.text
        assert "Contact details are kept in the plan for 1 stakeholder(s)" in hidden.text
        assert "parameters cell" not in hidden.text, "only JupyterLab says how to show them"
        told = p4.register_table(plan, how_to_show=p4.SHOW_CONTACTS_IN_LAB)
        assert told.text.count("show_contacts = True in the parameters cell") == 1
        shown = p4.register_table(plan, show_contacts=True)
        assert "hv.lead@example.org" in shown.text and "| Contact" in shown.text
        with pytest.raises(ValueError, match="True or False"):
            p4.register_table(plan, show_contacts="False")  # type: ignore[arg-type]

    def test_no_other_output_shows_a_contact(self) -> None:
        plan = a_plan()
        for render in (p4.power_interest_grid, p4.engagement_strategies, p4.gaps, p4.area_panel):
            html = render(plan)
            assert "hv.lead@example.org" not in html.markup + html.text, render.__name__

    def test_grid_states_the_finding(self) -> None:
        chart = p4.power_interest_grid(a_plan())
        assert "1 of 4 stakeholders to manage closely, 1 to keep satisfied" in chart.text
        assert 'role="img"' in chart.markup and "<desc" in chart.markup and "<table" in chart.markup
        assert "2. ICB place director" in chart.text  # the data table names each dot as the register does
        assert "the key beside the grid names each number" in chart.text

    @pytest.mark.parametrize("crowd", [2, 5, 12])
    def test_stakeholders_with_the_same_scores_neither_hide_nor_collide(self, crowd: int) -> None:
        plan = Plan(area_code=CODE)
        for i in range(crowd):  # the same scores, and long roles
            p4.add_stakeholder(
                plan, f"Health visitor for the north-west cluster, team {i + 1}", "health", influence=3, interest=3
            )
        for i in range(3):  # another crowd in the next cell and one in a corner
            p4.add_stakeholder(plan, f"Council officer {i + 1}", "local authority", influence=3, interest=4)
            p4.add_stakeholder(plan, f"Board member {i + 1}", "other", influence=5, interest=1)
        total = crowd + 6
        svg = grid_svg(p4.power_interest_grid(plan).markup)
        frame = svg.find(f"{SVG}rect")
        left, top = float(frame.get("x")), float(frame.get("y"))
        right, bottom = left + float(frame.get("width")), top + float(frame.get("height"))

        dots = [(g.find(f"{SVG}circle"), g.find(f"{SVG}text")) for g in svg.iter(f"{SVG}g")]
        assert len(dots) == total
        centres = [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c, _ in dots]
        assert len(set((x, y) for x, y, _ in centres)) == total, "two dots share a centre"
        for (x1, y1, r1), (x2, y2, r2) in combinations(centres, 2):
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2, "two dots overlap"
        for x, y, r in centres:
            assert left < x - r and x + r < right and top < y - r and y + r < bottom
        for number, ((x, y, r), (_, label)) in enumerate(zip(centres, dots, strict=True), start=1):
            assert label.text == str(number)
            box = text_box(label)
            assert x - r <= box[0] and box[2] <= x + r and y - r <= box[1] and box[3] <= y + r, "a number spills out"

        numbers = {id(label) for _, label in dots}
        labels = [t for t in svg.iter(f"{SVG}text") if id(t) not in numbers and not t.get("transform")]
        boxes = [text_box(t) for t in labels]
        for a, b in combinations(boxes, 2):
            assert not overlap(a, b), "two labels overlap"
        dot_boxes = [(x - r, y - r, x + r, y + r) for x, y, r in centres]
        assert not any(overlap(a, b) for a in boxes for b in dot_boxes), "a label covers a dot"
        key = [" ".join(t.itertext()) for t in labels if re.match(r"\d+\. ", "".join(t.itertext()))]
        assert [k.split(".")[0] for k in key] == [str(n) for n in range(1, total + 1)]
        assert key[0].startswith("1. Health visitor for the north-west") and key[-1] == f"{total}. Board member 3"

    def test_strategies_list_who_is_in_each_box(self) -> None:
        text = p4.engagement_strategies(a_plan()).text
        assert "Keep informed | low | high" in text and "3. Health visiting lead (health)" in text
        assert "4. Jobcentre Plus manager (other)" in text

    def test_blank_plan_outputs_say_so(self) -> None:
        plan = Plan(area_code=CODE)
        assert "No stakeholders on the register yet" in p4.register_table(plan).text
        assert "No stakeholders yet" in p4.power_interest_grid(plan).text
        assert "No stakeholders on the register yet" in p4.gaps(plan).text
        assert "no one yet" in p4.engagement_strategies(plan).text

    def test_summary_counts_by_sector(self) -> None:
        plan = a_plan()
        row = {column.key: column.value(plan) for column in p4.PRODUCT.summary}
        assert row == {"stakeholders_local_authority": 1, "stakeholders_health": 2, "stakeholders_other": 1}
        assert [part.title for part in p4.PRODUCT.report] == [
            "Stakeholder register",
            "Power and interest",
        ], "the gaps and the organisation diagram are reference content: the pack has them, a short report not"
        (table,) = [part for part in p4.PRODUCT.report[0].show(plan).parts if hasattr(part, "columns")]
        assert "Contact" not in table.columns and len(table.columns) == 8 and len(table.rows) == 4
        assert table.rows[0]["#"] == 1, "numbered as on the grid"
        register = p4.PRODUCT.report[0].render(plan)
        assert "hv.lead@example.org" not in register.markup + register.text


class TestGaps:
    def test_missing_maternity_is_named(self) -> None:
        plan = a_plan()
        assert "nhs_trust_maternity" in p4.missing_structures(p4.section(plan))
        assert "director_childrens_services" not in p4.missing_structures(p4.section(plan))
        text = p4.gaps(plan).text
        headline = text.splitlines()[0]
        assert headline.startswith("No one yet from") and "NHS trust: maternity" in headline
        assert "High influence but no or only a weak relationship today: 2. ICB place director (The ICB)" in text

    def test_prompt_status(self) -> None:
        status = {prompt.id: (state, who) for prompt, state, who in p4.prompt_status(p4.section(a_plan()))}
        assert status["prompt_icb_place"] == ("answered", [1])
        assert status["prompt_health_visiting"] == ("structure covered", [2])
        assert status["prompt_midwifery"] == ("not yet", [])

    def test_no_one_from_health(self) -> None:
        plan = Plan(area_code=CODE)
        p4.add_stakeholder(plan, "DCS", "local authority")
        assert "No one from health is on the register yet." in p4.gaps(plan).text

    def test_every_structure_covered(self) -> None:
        plan = Plan(area_code=CODE)
        for s in p4.must_engage():
            p4.add_stakeholder(plan, s.get("title"), s.get("sector"), structure=s.id, relationship="strong")
        assert p4.missing_structures(p4.section(plan)) == []
        assert "Every one of the" in p4.gaps(plan).text


class TestEdits:
    def test_add_update_remove(self) -> None:
        plan = a_plan()
        p4.update_stakeholder(plan, 1, relationship="developing", interest=4)
        changed = p4.section(plan).stakeholders[1]
        assert changed.relationship == "developing" and changed.interest == 4 and changed.prompt == "prompt_icb_place"
        p4.remove_stakeholder(plan, 0)
        assert [s.role for s in p4.section(plan).stakeholders][0] == "ICB place director"

    @pytest.mark.parametrize(
        "fields, message",
        [
            ({"role": " "}, "give the stakeholder's role"),
            ({"influence": 6}, "influence must be a whole number from 1 to 5"),
            ({"interest": "high"}, "interest must be a whole number"),
            ({"relationship": "cordial"}, "relationship today must be one of"),
            ({"sector": "police"}, "sector must be one of"),
            ({"structure": "no_such_structure"}, "there is no structure"),
            ({"structure": "local_area_agreement"}, "there is no structure"),  # gone since 2010-11
            ({"prompt": "no_such_prompt"}, "there is no stakeholder prompt"),
            ({"mood": "happy"}, "has no field mood"),
        ],
    )
    def test_refused_in_plain_english(self, fields: dict, message: str) -> None:
        plan = Plan(area_code=CODE)
        with pytest.raises(ValueError, match=message):
            p4.add_stakeholder(plan, **{"role": "Head of midwifery", "sector": "health", **fields})

    def test_duplicate_and_bad_index_refused(self) -> None:
        plan = a_plan()
        with pytest.raises(ValueError, match="already on the register"):
            p4.add_stakeholder(plan, "icb place director", "health", "the icb")
        with pytest.raises(ValueError, match="already on the register"):
            p4.update_stakeholder(plan, 0, role="ICB place director", organisation="The ICB")
        with pytest.raises(ValueError, match="no stakeholder number 9"):
            p4.remove_stakeholder(plan, 8)

    def test_check_reports_ids_not_in_the_content(self, workspace: Path) -> None:
        plan = Plan(area_code=CODE)
        p4.section(plan).stakeholders.append(
            Stakeholder(role="x", sector="health", structure="pct_board", prompt="prompt_nothing")
        )
        problems = list(p4.check(p4.section(plan)))
        assert [loc for loc, _ in problems] == [("stakeholders", 0, "structure"), ("stakeholders", 0, "prompt")]
        assert "nhs_trust_maternity" in problems[0][1] and "prompt_midwifery" in problems[1][1]
        with pytest.raises(PlanError, match="who_to_engage.stakeholders"):
            plan_store(workspace).save(plan)
        assert not plan_store(workspace).exists(CODE)


class TestWidgets:
    """The workshop form, driven as a person would, without a browser."""

    def one(self, ui, kind: str, description: str):
        found = find_widgets(ui, kind, description)
        assert len(found) == 1, (kind, description)
        return found[0]

    def words(self, ui) -> str:
        """Everything the form says in words (help, hints, the meaning of the chosen scores)."""
        return html.unescape("\n".join(h.value for h in find_widgets(ui, "HTML")))

    def saved(self, workspace: Path) -> list[Stakeholder]:
        return p4.section(plan_store(workspace).load(CODE)).stakeholders

    def test_prompt_prefills_and_add_saves_at_once(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        register = p4.register_view(wb)
        grid = wb.view(p4.power_interest_grid)
        gaps = wb.view(p4.gaps)
        ui = p4.exercise(wb)
        assert find_widgets(ui, "Text", "Answers the starter prompt") == []  # kept with the record, never shown
        self.one(ui, "Dropdown", "Start from").value = "prompt:prompt_midwifery"
        assert not plan_store(workspace).exists(CODE), "choosing a starter saves nothing"
        assert "Why: " in self.words(ui) and "What to ask: " in self.words(ui)
        role = self.one(ui, "Text", "Role or name")
        assert role.value.startswith("Head or director of midwifery")
        assert self.one(ui, "Dropdown", "Sector").value == "health"
        assert self.one(ui, "Dropdown", "Part of the map").value == "nhs_trust_maternity"
        role.value = "Head of midwifery"
        self.one(ui, "Text", "Organisation").value = "Acute trust"
        self.one(ui, "ToggleButtons", "Influence over the hub's plans").value = 4
        self.one(ui, "ToggleButtons", "Interest in the hub").value = 2
        self.one(ui, "Dropdown", "Relationship today").value = "weak"
        self.one(ui, "Text", "Engagement action").value = "Invite to the hub board"
        self.one(ui, "Text", "Owner").value = "Hub manager"
        contact = self.one(ui, "Text", "Contact")
        contact.value = "hom@example.org"
        form = next(box for box in find_widgets(ui, "VBox") if contact in box.children).children
        assert "kept in your team's plan only" in html.unescape(form[form.index(contact) + 1].value)  # under it
        self.one(ui, "Button", "Add stakeholder").click()
        saved = self.saved(workspace)
        assert len(saved) == 1
        assert (saved[0].role, saved[0].structure, saved[0].prompt, saved[0].influence, saved[0].interest) == (
            "Head of midwifery",
            "nhs_trust_maternity",
            "prompt_midwifery",
            4,
            2,
        )
        assert saved[0].contact == "hom@example.org"
        assert "Saved stakeholder Head of midwifery at" in wb.status.value  # the browser test reads this
        assert "Head of midwifery" in register.value and "hom@example.org" not in register.value
        assert "Keep satisfied" in register.value and "0 of 1 stakeholders to manage closely" in grid.value
        assert "NHS trust: maternity" not in gaps.value.split("Structures a hub must engage")[0]
        assert self.one(ui, "Text", "Role or name").value == ""  # the form is ready for the next person
        assert self.one(ui, "Dropdown", "Start from").value == "" and "What to ask: " not in self.words(ui)
        assert self.one(ui, "Dropdown", "Stakeholder").options[1] == ("1. Head of midwifery (Acute trust)", 0)

    def test_a_structure_prefills_without_a_prompt(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p4.exercise(wb)
        start = self.one(ui, "Dropdown", "Start from")
        start.value = "prompt:prompt_midwifery"
        start.value = "structure:director_public_health"
        assert self.one(ui, "Text", "Role or name").value == "Director of Public Health"
        assert self.one(ui, "Dropdown", "Sector").value == "local authority"
        assert "Today: " in self.words(ui) and "What to ask: " not in self.words(ui)
        self.one(ui, "Button", "Add stakeholder").click()
        saved = self.saved(workspace)
        assert (saved[0].structure, saved[0].prompt) == ("director_public_health", "")

    def test_scores_are_rows_of_buttons_with_a_usable_width(self, workspace: Path) -> None:
        """Defect (issue 8): the sliders were 9 px wide in the app; the scores are now buttons 1 to 5."""
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p4.exercise(wb)
        assert find_widgets(ui, "IntSlider") == []
        for label in ("Influence over the hub's plans", "Interest in the hub"):
            score = self.one(ui, "ToggleButtons", label)
            assert [value for _, value in score.options] == [1, 2, 3, 4, 5]
            assert score.options[0][0] == "1 little" and score.options[-1][0] == "5 a lot"
            assert score.value == 3 and not score.disabled
            assert score.layout.display != "none" and score.layout.width in (None, "", "auto")
            assert int(score.style.button_width.removesuffix("px")) >= 60  # room for "5 a lot"
        assert "Real: controls something the hub needs" in self.words(ui)
        self.one(ui, "ToggleButtons", "Influence over the hub's plans").value = 5
        assert "can make or stop the hub's plans" in self.words(ui)  # the chosen point explained in words
        self.one(ui, "Text", "Role or name").value = "DCS"
        self.one(ui, "Button", "Add stakeholder").click()
        assert self.saved(workspace)[0].influence == 5

    def test_edit_and_remove_an_existing_stakeholder(self, workspace: Path) -> None:
        plan_store(workspace).update(
            CODE,
            lambda plan: [
                p4.add_stakeholder(plan, "DCS", "local authority", influence=5, interest=2),
                p4.add_stakeholder(
                    plan, "PCN clinical director", "health", structure="primary_care_networks", prompt="prompt_pcn"
                ),
            ],
        )
        wb = open_workbook(CODE, workspace, interactive=True)
        register = p4.register_view(wb)
        ui = p4.exercise(wb)
        picker = self.one(ui, "Dropdown", "Stakeholder")
        assert self.one(ui, "Button", "Save changes").disabled
        picker.value = 1
        assert self.one(ui, "Text", "Role or name").value == "PCN clinical director"
        assert self.one(ui, "Dropdown", "Part of the map").value == "primary_care_networks"
        assert self.one(ui, "Button", "Add stakeholder").disabled
        assert "Answers the prompt: Primary care network" in self.words(ui)
        self.one(ui, "ToggleButtons", "Interest in the hub").value = 5
        self.one(ui, "Text", "Engagement action").value = "Hub open day"
        self.one(ui, "Button", "Save changes").click()
        saved = self.saved(workspace)
        assert saved[1].interest == 5 and saved[1].engagement_action == "Hub open day"
        assert saved[1].prompt == "prompt_pcn"  # the prompt it answers is kept though it is not shown
        assert picker.value == 1 and "Hub open day" in register.value
        picker.value = 0
        assert self.one(ui, "ToggleButtons", "Influence over the hub's plans").value == 5
        self.one(ui, "Button", "Remove stakeholder").click()
        assert [s.role for s in self.saved(workspace)] == ["PCN clinical director"]
        assert "DCS" not in register.value and picker.value == -1

    def test_refused_input_is_shown_in_words_and_nothing_is_lost(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p4.exercise(wb)
        self.one(ui, "Button", "Add stakeholder").click()
        assert "Not saved" in wb.status.value and "role" in wb.status.value
        self.one(ui, "Text", "Role or name").value = "DCS"
        self.one(ui, "Button", "Add stakeholder").click()
        self.one(ui, "Text", "Role or name").value = "dcs"
        self.one(ui, "Button", "Add stakeholder").click()
        assert "Not saved" in wb.status.value and "already on the register" in wb.status.value
        assert len(self.saved(workspace)) == 1

    def test_notes_are_saved(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        register = p4.register_view(wb)
        ui = p4.exercise(wb)
        self.one(ui, "Textarea", "Notes from the discussion").value = "Maternity is the big gap."
        assert p4.section(plan_store(workspace).load(CODE)).notes == "Maternity is the big gap."
        assert "Maternity is the big gap." in register.value

    def test_batch_mode_shows_a_count_not_widgets(self, sample_workspace: Path) -> None:
        wb = open_workbook(CODE, sample_workspace, interactive=False)
        assert isinstance(wb, Workbook)
        assert "9 stakeholder(s) on the register" in p4.exercise(wb).text
        with pytest.raises(ValueError, match="already on the register"):
            wb.edit(
                lambda plan: p4.add_stakeholder(
                    plan, "Head of midwifery (sample)", "health", "Acute trust maternity service (sample)"
                )
            )


class TestBatchViews:
    """What a batch run shows for areas with and without a plan, rendered without a kernel."""

    def test_gap_in_a_sample_plan(self, sample_workspace: Path) -> None:
        wb = open_workbook("E06000026", sample_workspace, interactive=False)
        assert "Plymouth" in wb.header().text and "NHS Devon ICB" in p4.area_panel(wb.plan).text
        headline = p4.gaps(wb.plan).text.splitlines()[0]
        assert headline.startswith("No one yet from") and "NHS trust: maternity" in headline

    def test_area_with_no_plan(self, workspace: Path) -> None:
        wb = open_workbook("E06000064", workspace, interactive=False)
        assert "Westmorland and Furness" in wb.header().text and "no saved plan yet" in wb.header().text
        assert "2 ICBs" in p4.area_panel(wb.plan).text
        assert "No stakeholders on the register yet" in p4.register_table(wb.plan).text
        assert "0 stakeholder(s) on the register" in p4.exercise(wb).text
        assert not plan_store(workspace).exists("E06000064")


def test_samples_hold_the_cases_the_tests_rely_on() -> None:
    """Southampton holds a contact; Plymouth has no one from maternity (so its gap shows)."""
    store = plan_store(SAMPLES.parent)
    southampton = p4.section(store.read(SAMPLES / f"{CODE}.yaml"))
    assert [s.contact for s in southampton.stakeholders if s.contact] == [CONTACT]
    plymouth = p4.section(store.read(SAMPLES / "E06000026.yaml"))
    assert plymouth.stakeholders and "nhs_trust_maternity" in p4.missing_structures(plymouth)
    for code in ("E10000007", "E06000022"):
        assert p4.section(store.read(SAMPLES / f"{code}.yaml")).stakeholders
    reference = json.loads(
        (REPO / "tests" / "notebooks" / "reference" / "04_who_to_engage.ipynb").read_text(encoding="utf-8")
    )
    assert CONTACT not in json.dumps(reference)
