"""Product 4: structures then and now, the area panel, the register, the grid, gaps, edits and widgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jointwork.areas import find_area
from jointwork.errors import PlanError
from jointwork.execute import notebook_parameters, run_product
from jointwork.paths import notebooks_dir
from jointwork.plan import Plan, Stakeholder
from jointwork.products import who_to_engage as p4
from jointwork.store import PlanStore
from jointwork.workbook import Workbook, open_workbook

from conftest import find_widgets, SAMPLES
from test_notebooks import outputs_text

CODE = "E06000045"  # Southampton
CONTACT = "midwifery.sample@example.org"  # the contact held in the Southampton sample plan


def a_plan(code: str = CODE) -> Plan:
    """A small register with one stakeholder in each box of the grid and a contact on one."""
    plan = Plan(area_code=code)
    p4.add_stakeholder(plan, "Director of Children's Services", "local authority", "The council",
                       structure="director_childrens_services", influence=5, interest=5, relationship="strong")
    p4.add_stakeholder(plan, "ICB place director", "health", "The ICB", structure="icb_place",
                       prompt="prompt_icb_place", influence=4, interest=2, relationship="weak")
    p4.add_stakeholder(plan, "Health visiting lead", "health", "0-19 provider", structure="health_visiting",
                       influence=2, interest=4, relationship="developing", contact="hv.lead@example.org")
    p4.add_stakeholder(plan, "Jobcentre Plus manager", "other", influence=1, interest=1)
    return plan


class TestContent:
    def test_prompts_link_to_structures_that_exist_today(self) -> None:
        current = {s.id for s in p4.current_structures()}
        for prompt in p4.prompts():
            assert prompt.get("structure") is None or prompt.get("structure") in current, prompt.id
            assert prompt.get("role") and prompt.get("sector") in {"local authority", "health", "other"}

    def test_structures_show_then_or_now(self) -> None:
        for s in p4.structures():
            assert s.get("era") in {"then", "now", "both"}, s.id
            assert s.get("then") or s.get("now"), s.id
        assert {s.id for s in p4.must_engage()} >= {"nhs_trust_maternity", "health_visiting", "integrated_care_board"}
        assert all(s.get("era") != "then" for s in p4.must_engage())

    def test_four_quadrants(self) -> None:
        boxes = p4.quadrants()
        assert set(boxes) == set(p4.GRID_ORDER) == set(p4.STRATEGY_ORDER)
        assert boxes["keep_satisfied"].get("influence") == "high" and boxes["keep_satisfied"].get("interest") == "low"

    def test_reference_tables(self) -> None:
        table = p4.structures_then_now().text
        assert "Then (2007-08) | Now | What changed and when | Sector | Statute" in table
        assert "Primary care trust" in table and "Integrated care board" in table
        assert "gone, with no direct successor" in table  # the local area agreement
        assert "Coterminosity" in p4.concepts_table().text
        assert "Must engage" in p4.structures_guide().text


class TestArea:
    def test_single_icb_shared_with_other_councils(self) -> None:
        text = p4.coterminosity(find_area(CODE))
        assert "NHS Hampshire and Isle of Wight ICB" in text and "Portsmouth" in text
        assert "not co-terminous" in text and "indicative" in text

    def test_council_split_between_icbs(self) -> None:
        text = p4.coterminosity(find_area("E08000025"))
        assert "2 ICBs" in text and "NHS Black Country ICB" in text and "a contact in each ICB" in text

    def test_coterminous_council(self) -> None:
        text = p4.coterminosity(find_area("Gloucestershire"))
        assert "the council and the ICB are co-terminous" in text and "appear to cover" in text

    def test_area_panel(self) -> None:
        text = p4.area_panel(Plan(area_code="E06000026")).text
        assert "Plymouth" in text and "South West" in text and "NHS Devon ICB (indicative)" in text
        assert "Devon; Torbay" in text and "Coterminosity (shared boundaries)" in text


class TestRegisterAndGrid:
    @pytest.mark.parametrize("influence, interest, box", [
        (3, 3, "manage_closely"), (5, 2, "keep_satisfied"), (2, 5, "keep_informed"), (2, 2, "monitor")])
    def test_quadrant_of(self, influence: int, interest: int, box: str) -> None:
        stakeholder = Stakeholder(role="x", sector="health", influence=influence, interest=interest)
        assert p4.quadrant_of(stakeholder) == box

    def test_register_hides_contacts_unless_asked(self) -> None:
        plan = a_plan()
        hidden = p4.register_table(plan)
        assert "hv.lead@example.org" not in hidden.markup + hidden.text
        assert "Contact details are kept in the plan for 1 stakeholder(s)" in hidden.text
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
        assert "2. ICB place director" in chart.text

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


class TestGaps:
    def test_missing_maternity_is_named(self) -> None:
        plan = a_plan()
        assert "nhs_trust_maternity" in p4.missing_structures(plan.who_to_engage)
        assert "director_childrens_services" not in p4.missing_structures(plan.who_to_engage)
        text = p4.gaps(plan).text
        headline = text.splitlines()[0]
        assert headline.startswith("No one yet from") and "NHS trust: maternity" in headline
        assert "High influence but no or only a weak relationship today: 2. ICB place director (The ICB)" in text

    def test_prompt_status(self) -> None:
        status = {prompt.id: (state, who) for prompt, state, who in p4.prompt_status(a_plan().who_to_engage)}
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
        assert p4.missing_structures(plan.who_to_engage) == []
        assert "Every one of the" in p4.gaps(plan).text


class TestEdits:
    def test_add_update_remove(self) -> None:
        plan = a_plan()
        p4.update_stakeholder(plan, 1, relationship="developing", interest=4)
        changed = plan.who_to_engage.stakeholders[1]
        assert changed.relationship == "developing" and changed.interest == 4 and changed.prompt == "prompt_icb_place"
        p4.remove_stakeholder(plan, 0)
        assert [s.role for s in plan.who_to_engage.stakeholders][0] == "ICB place director"

    @pytest.mark.parametrize("fields, message", [
        ({"role": " "}, "give the stakeholder's role"),
        ({"influence": 6}, "influence must be a whole number from 1 to 5"),
        ({"interest": "high"}, "interest must be a whole number"),
        ({"relationship": "cordial"}, "relationship today must be one of"),
        ({"sector": "police"}, "sector must be one of"),
        ({"structure": "no_such_structure"}, "there is no structure"),
        ({"structure": "local_area_agreement"}, "there is no structure"),  # gone since 2010-11
        ({"prompt": "no_such_prompt"}, "there is no stakeholder prompt"),
        ({"mood": "happy"}, "has no field mood"),
    ])
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
        plan.who_to_engage.stakeholders.append(Stakeholder(role="x", sector="health", structure="pct_board",
                                                           prompt="prompt_nothing"))
        problems = list(p4.check(plan.who_to_engage))
        assert [loc for loc, _ in problems] == [("stakeholders", 0, "structure"), ("stakeholders", 0, "prompt")]
        assert "nhs_trust_maternity" in problems[0][1] and "prompt_midwifery" in problems[1][1]
        with pytest.raises(PlanError, match="who_to_engage.stakeholders"):
            PlanStore(workspace).save(plan)
        assert not PlanStore(workspace).exists(CODE)


class TestWidgets:
    """The workshop form, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def one(self, ui, kind: str, description: str):
        found = self.find(ui, kind, description)
        assert len(found) == 1, (kind, description)
        return found[0]

    def test_prompt_prefills_and_add_saves_at_once(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        register = p4.register_view(wb)
        grid = wb.view(p4.power_interest_grid)
        gaps = wb.view(p4.gaps)
        ui = p4.exercise(wb)
        self.one(ui, "Dropdown", "Start from").value = "prompt:prompt_midwifery"
        role = self.one(ui, "Text", "Role or name")
        assert role.value.startswith("Head or director of midwifery")
        assert self.one(ui, "Dropdown", "Sector").value == "health"
        assert self.one(ui, "Dropdown", "Part of the map").value == "nhs_trust_maternity"
        role.value = "Head of midwifery"
        self.one(ui, "Text", "Organisation").value = "Acute trust"
        self.one(ui, "IntSlider", "Influence (1 = little, 5 = a lot)").value = 4
        self.one(ui, "IntSlider", "Interest (1 = little, 5 = a lot)").value = 2
        self.one(ui, "Dropdown", "Relationship today").value = "weak"
        self.one(ui, "Text", "Engagement action").value = "Invite to the hub board"
        self.one(ui, "Text", "Owner").value = "Hub manager"
        self.one(ui, "Text", "Contact").value = "hom@example.org"
        self.one(ui, "Button", "Add stakeholder").click()
        saved = PlanStore(workspace).load(CODE).who_to_engage.stakeholders
        assert len(saved) == 1
        assert (saved[0].role, saved[0].structure, saved[0].prompt, saved[0].influence, saved[0].interest) == (
            "Head of midwifery", "nhs_trust_maternity", "prompt_midwifery", 4, 2)
        assert saved[0].contact == "hom@example.org"
        assert "Saved" in wb.status.value
        assert "Head of midwifery" in register.value and "hom@example.org" not in register.value
        assert "Keep satisfied" in register.value and "0 of 1 stakeholders to manage closely" in grid.value
        assert "NHS trust: maternity" not in gaps.value.split("Structures a hub must engage")[0]
        assert self.one(ui, "Text", "Role or name").value == ""  # the form is ready for the next person

    def test_edit_and_remove_an_existing_stakeholder(self, workspace: Path) -> None:
        PlanStore(workspace).update(CODE, lambda plan: [
            p4.add_stakeholder(plan, "DCS", "local authority", influence=5, interest=2),
            p4.add_stakeholder(plan, "PCN clinical director", "health", structure="primary_care_networks")])
        wb = open_workbook(CODE, workspace, interactive=True)
        register = p4.register_view(wb)
        ui = p4.exercise(wb)
        picker = self.one(ui, "Dropdown", "Stakeholder")
        assert self.one(ui, "Button", "Save changes").disabled
        picker.value = 1
        assert self.one(ui, "Text", "Role or name").value == "PCN clinical director"
        assert self.one(ui, "Dropdown", "Part of the map").value == "primary_care_networks"
        assert self.one(ui, "Button", "Add stakeholder").disabled
        self.one(ui, "IntSlider", "Interest (1 = little, 5 = a lot)").value = 5
        self.one(ui, "Text", "Engagement action").value = "Hub open day"
        self.one(ui, "Button", "Save changes").click()
        saved = PlanStore(workspace).load(CODE).who_to_engage.stakeholders
        assert saved[1].interest == 5 and saved[1].engagement_action == "Hub open day"
        assert picker.value == 1 and "Hub open day" in register.value
        picker.value = 0
        self.one(ui, "Button", "Remove").click()
        saved = PlanStore(workspace).load(CODE).who_to_engage.stakeholders
        assert [s.role for s in saved] == ["PCN clinical director"]
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
        assert len(PlanStore(workspace).load(CODE).who_to_engage.stakeholders) == 1

    def test_notes_are_saved(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        register = p4.register_view(wb)
        ui = p4.exercise(wb)
        self.one(ui, "Textarea", "Notes from the discussion").value = "Maternity is the big gap."
        assert PlanStore(workspace).load(CODE).who_to_engage.notes == "Maternity is the big gap."
        assert "Maternity is the big gap." in register.value

    def test_batch_mode_shows_a_count_not_widgets(self, sample_workspace: Path) -> None:
        wb = open_workbook(CODE, sample_workspace, interactive=False)
        assert isinstance(wb, Workbook)
        assert "9 stakeholder(s) on the register" in p4.exercise(wb).text
        with pytest.raises(ValueError, match="already on the register"):
            wb.edit(lambda plan: p4.add_stakeholder(plan, "Head of midwifery (sample)", "health",
                                                    "Acute trust maternity service (sample)"))


@pytest.mark.notebook
class TestBatch:
    def test_sample_area(self, sample_workspace: Path, tmp_path: Path) -> None:
        executed = run_product(CODE, tmp_path / "out", 4, sample_workspace)
        text = outputs_text(executed)
        plan = PlanStore(sample_workspace).load(CODE)
        for stakeholder in plan.who_to_engage.stakeholders:
            assert stakeholder.role in text
        assert "NHS Hampshire and Isle of Wight ICB (indicative)" in text and "not co-terminous" in text
        assert "to manage closely" in text and "Keep satisfied" in text
        assert "Contact details are kept in the plan for 1 stakeholder(s)" in text
        assert CONTACT not in executed.read_text(encoding="utf-8"), "a contact leaked into a batch output"
        assert "Traceback" not in text

    def test_gap_in_a_sample_plan(self, sample_workspace: Path, tmp_path: Path) -> None:
        executed = run_product("E06000026", tmp_path / "out", 4, sample_workspace)
        text = outputs_text(executed)
        assert "Plymouth" in text and "NHS Devon ICB" in text
        gap = text[text.index("No one yet from"):]
        assert "NHS trust: maternity" in gap.split("</div>")[0]

    def test_contacts_only_when_asked_through_papermill(self, sample_workspace: Path, tmp_path: Path) -> None:
        import papermill

        target = tmp_path / "with_contacts.ipynb"
        papermill.execute_notebook(str(notebooks_dir() / "04_who_to_engage.ipynb"), str(target),
                                   parameters={**notebook_parameters(CODE, sample_workspace), "show_contacts": True},
                                   cwd=str(notebooks_dir()), progress_bar=False, kernel_name="python3")
        text = outputs_text(target)
        assert CONTACT in text and "Contact details are kept in the plan" not in text

    def test_area_with_no_plan(self, workspace: Path, tmp_path: Path) -> None:
        executed = run_product("E08000025", tmp_path / "out", 4, workspace)
        text = outputs_text(executed)
        assert "Birmingham" in text and "no saved plan yet" in text and "2 ICBs" in text
        assert "No stakeholders on the register yet" in text
        assert not PlanStore(workspace).exists("E08000025")


def test_samples_hold_the_cases_the_tests_rely_on() -> None:
    """Southampton holds a contact; Plymouth has no one from maternity (so its gap shows)."""
    store = PlanStore(SAMPLES.parent)
    southampton = store.load(CODE).who_to_engage
    assert [s.contact for s in southampton.stakeholders if s.contact] == [CONTACT]
    plymouth = store.load("E06000026").who_to_engage
    assert plymouth.stakeholders and "nhs_trust_maternity" in p4.missing_structures(plymouth)
    for code in ("E10000007", "E06000022"):
        assert store.load(code).who_to_engage.stakeholders
    reference = json.loads((Path(__file__).parent / "reference" / "04_who_to_engage.ipynb").read_text(encoding="utf-8"))
    assert CONTACT not in json.dumps(reference)
