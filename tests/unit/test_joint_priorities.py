"""Product 6: starter principles, decisions, ranks, the draft agreement (HTML and Markdown) and widgets."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest
import yaml

from jointwork.core.areas import find_area
from jointwork.core.content import content_path
from jointwork.core.errors import PlanError
from jointwork.products import Plan, plan_store
from jointwork.products import joint_priorities as p6
from jointwork.products.joint_priorities import PrincipleChoice
from jointwork.session import open_workbook

from conftest import find_widgets

CODE = "E06000045"  # Southampton: one ICB
TWO_ICBS = "E06000064"  # Westmorland and Furness: spans two ICBs, no sample plan


@pytest.fixture
def ids() -> list[str]:
    return [p.id for p in p6.principles()]


@pytest.fixture
def decided(ids: list[str]) -> Plan:
    """Principle 0 adapted (rank 2), 1 adopted (rank 1), 2 adopted unranked, 3 set aside, the rest undecided."""
    plan = Plan(area_code=CODE)
    p6.set_decision(plan, ids[0], "adapt")
    p6.set_local_wording(plan, ids[0], "Our own words for the first principle.")
    p6.set_rank(plan, ids[0], 2)
    p6.set_commitment(plan, ids[0], "Both boards sign off the shared outcomes by March.")
    p6.set_decision(plan, ids[1], "adopt")
    p6.set_rank(plan, ids[1], 1)
    p6.set_decision(plan, ids[2], "adopt")
    p6.set_decision(plan, ids[3], "set aside")
    p6.set_reason(plan, ids[3], "Already covered by the ICB's governance review.")
    p6.set_agreement_title(plan, "Our test agreement")
    p6.set_signatories(plan, "Director of Children's Services\nICB Chief Nurse")
    return plan


def title(principle_id: str) -> str:
    return p6.principle_titles()[principle_id]


class TestContent:
    def test_at_least_ten_principles_each_saying_how_things_stand_today(self) -> None:
        assert len(p6.principles()) >= 10
        for principle in p6.principles():
            assert principle.get("today"), principle.id

    def test_cross_references_resolve(self) -> None:
        assert list(p6.content_checks()) == []

    def test_a_broken_copy_of_the_content_is_reported(self, broken_content) -> None:
        raw = yaml.safe_load(content_path(p6.SLUG).read_text(encoding="utf-8"))
        first, second = raw["entries"]["principles"][:2]
        example = raw["entries"]["practice_examples"][0]

        def damage(entries: dict) -> None:
            entries["principles"][0]["examples"] = [*first["examples"], "ex_nowhere"]
            entries["principles"][1]["examples"] = []
            entries["practice_examples"][0]["place"] = ""
            entries["practice_examples"][0]["source"] = [example["source"], "no_address"]

        broken_content(
            p6.SLUG, damage, sources=lambda s: s.update(no_address={"publisher": "A council", "title": "A leaflet"})
        )
        assert list(p6.content_checks()) == [
            f"principle {first['id']!r} names example 'ex_nowhere', which is not in 'practice_examples'",
            f"principle {second['id']!r} names no practice examples",
            f"practice example {example['id']!r} names no place",
            f"practice example {example['id']!r} cites source 'no_address', which has no url",
        ]

    def test_principles_are_marked_as_a_reconstruction(self) -> None:
        for principle in p6.principles():
            assert not principle.verified and "reconstruct" in principle.note.lower(), principle.id
        shown = p6.principles_table()
        assert "reconstruction" in shown.text and "[unverified]" in shown.text
        assert "starter for 10" in shown.text


class TestCheck:
    def test_unknown_principle_is_refused_on_save(self, workspace: Path) -> None:
        store = plan_store(workspace)

        def bad(plan: Plan) -> None:
            plan.joint_priorities.choices.append(PrincipleChoice(principle="no_such_principle", decision="adopt"))

        with pytest.raises(PlanError, match="starter principle ids"):
            store.update(CODE, bad)
        assert not store.exists(CODE)

    def test_duplicate_rank_among_kept_principles(self, decided: Plan, ids: list[str]) -> None:
        section = decided.joint_priorities
        section.choices[2].rank = 1  # ids[2] is adopted; ids[1] already has rank 1
        problems = list(p6.check(section))
        assert problems == [(("choices", 2, "rank"), problems[0][1])] and "rank 1" in problems[0][1]

    def test_rank_on_a_set_aside_principle_is_ignored(self, decided: Plan) -> None:
        decided.joint_priorities.choices[3].rank = 1  # set aside
        assert list(p6.check(decided.joint_priorities)) == []

    def test_principle_listed_twice(self, decided: Plan, ids: list[str]) -> None:
        decided.joint_priorities.choices.append(PrincipleChoice(principle=ids[0]))
        assert [loc for loc, _ in p6.check(decided.joint_priorities)] == [("choices", 4, "principle")]

    def test_hand_edited_duplicate_rank_is_reported_with_its_line(self, workspace: Path, ids: list[str]) -> None:
        path = workspace / "plans" / f"{CODE}.yaml"
        path.write_text(
            "schema_version: 1\narea_code: E06000045\njoint_priorities:\n  choices:\n"
            f"  - principle: {ids[0]}\n    decision: adopt\n    rank: 1\n"
            f"  - principle: {ids[1]}\n    decision: adapt\n    rank: 1\n",
            encoding="utf-8",
        )
        with pytest.raises(PlanError) as caught:
            plan_store(workspace).load(CODE)
        assert caught.value.field == "joint_priorities.choices[1].rank" and caught.value.line == 10


class TestEdits:
    def test_adapting_starts_from_the_starter_wording(self, ids: list[str]) -> None:
        plan = Plan(area_code=CODE)
        p6.set_decision(plan, ids[4], "adapt")
        choice = p6.choice_for(plan.joint_priorities, ids[4])
        assert choice.local_wording == p6.principles()[4].text

    def test_wording_is_kept_when_switching_back_to_adopt_but_not_used(self, decided: Plan, ids: list[str]) -> None:
        p6.set_decision(decided, ids[0], "adopt")
        choice = p6.choice_for(decided.joint_priorities, ids[0])
        assert choice.local_wording == "Our own words for the first principle."
        assert p6.wording(p6.principles()[0], choice) == p6.principles()[0].text

    def test_setting_aside_clears_the_rank(self, decided: Plan, ids: list[str]) -> None:
        p6.set_decision(decided, ids[1], "set aside")
        assert p6.choice_for(decided.joint_priorities, ids[1]).rank is None
        p6.set_decision(decided, ids[1], "adopt")  # re-adopting does not clash with a stale rank
        p6.set_rank(decided, ids[2], 1)

    def test_a_stale_rank_is_dropped_when_adopting(self, decided: Plan, ids: list[str]) -> None:
        p6.choice_for(decided.joint_priorities, ids[3]).rank = 1  # set aside, with a rank a kept principle has
        p6.set_decision(decided, ids[3], "adopt")
        assert p6.choice_for(decided.joint_priorities, ids[3]).rank is None
        assert list(p6.check(decided.joint_priorities)) == []

    def test_a_rank_already_taken_is_refused_in_words(self, decided: Plan, ids: list[str]) -> None:
        with pytest.raises(ValueError, match=f"rank 1 is already given to '{re.escape(title(ids[1]))}'"):
            p6.set_rank(decided, ids[2], 1)

    @pytest.mark.parametrize("rank", [0, None])
    def test_rank_can_be_cleared(self, decided: Plan, ids: list[str], rank: int | None) -> None:
        p6.set_rank(decided, ids[1], rank)
        assert p6.choice_for(decided.joint_priorities, ids[1]).rank is None

    def test_only_kept_principles_are_ranked(self, decided: Plan, ids: list[str]) -> None:
        with pytest.raises(ValueError, match="only adopted or adapted"):
            p6.set_rank(decided, ids[3], 5)
        with pytest.raises(ValueError, match="from 1 to 50"):
            p6.set_rank(decided, ids[2], 51)

    def test_wording_needs_adapt_and_cannot_be_blank(self, decided: Plan, ids: list[str]) -> None:
        with pytest.raises(ValueError, match="choose Adapt"):
            p6.set_local_wording(decided, ids[1], "New words")
        with pytest.raises(ValueError, match="cannot be blank"):
            p6.set_local_wording(decided, ids[0], "   ")

    def test_unknown_principle_and_decision(self, decided: Plan, ids: list[str]) -> None:
        with pytest.raises(ValueError, match="no starter principle"):
            p6.set_decision(decided, "nope", "adopt")
        with pytest.raises(ValueError, match="adopt, adapt, set aside"):
            p6.set_decision(decided, ids[0], "maybe")

    def test_undeciding_an_untouched_principle_leaves_no_entry(self, decided: Plan, ids: list[str]) -> None:
        p6.set_decision(decided, ids[2], None)
        assert p6.choice_for(decided.joint_priorities, ids[2]) is None
        p6.set_decision(decided, ids[0], "")  # keeps its wording and commitment, loses its rank
        kept = p6.choice_for(decided.joint_priorities, ids[0])
        assert kept.decision is None and kept.rank is None and kept.commitment

    def test_renumber_ranks(self, decided: Plan, ids: list[str]) -> None:
        p6.renumber_ranks(decided)
        ranks = {c.principle: c.rank for c in decided.joint_priorities.choices}
        assert ranks == {ids[1]: 1, ids[0]: 2, ids[2]: 3, ids[3]: None}

    def test_signatories(self, decided: Plan) -> None:
        p6.set_signatories(decided, " Director of Public Health \n\nHead of Midwifery\n")
        assert decided.joint_priorities.signatories == ["Director of Public Health", "Head of Midwifery"]
        with pytest.raises(ValueError, match="listed twice"):
            p6.set_signatories(decided, ["A", "A"])
        with pytest.raises(ValueError, match="at most|the most"):
            p6.set_signatories(decided, ["x" * 201])


class TestOutputs:
    def test_kept_principles_in_rank_order_then_unranked(self, decided: Plan, ids: list[str]) -> None:
        assert [p.id for p, _ in p6.agreed(decided.joint_priorities)] == [ids[1], ids[0], ids[2]]
        assert p6.decision_counts(decided.joint_priorities) == {
            "adopt": 2,
            "adapt": 1,
            "set aside": 1,
            None: len(ids) - 4,
        }

    def test_agreement_as_plain_data(self, decided: Plan, ids: list[str]) -> None:
        document = p6.agreement_document(decided)
        assert (document.title, document.area_code, document.started) == ("Our test agreement", CODE, True)
        assert document.parties == tuple(p6.parties(find_area(CODE)))
        assert [(p.position, p.title) for p in document.principles] == [
            (1, title(ids[1])),
            (2, title(ids[0])),
            (None, title(ids[2])),
        ]
        first = document.ranked[0]
        assert (first.commitment, first.how_kept) == ("", "Starter principle adopted as it stands.")
        assert document.ranked[1].wording == "Our own words for the first principle."
        assert document.ranked[1].commitment == "Both boards sign off the shared outcomes by March."
        # examples are numbered in order of first use by the kept principles, each with its sources
        used = list(dict.fromkeys(e for i in (1, 0, 2) for e in p6.principles()[i].get("examples")))
        assert [e.number for e in document.examples] == list(range(1, len(used) + 1))
        assert [e.title for e in document.examples] == [p6.practice_examples()[e].get("title") for e in used]
        assert all(e.sources and all(c.url for c in e.sources) for e in document.examples)
        assert first.draws_on == tuple(
            (p6.practice_examples()[e].get("place"), used.index(e) + 1) for e in p6.principles()[1].get("examples")
        )
        assert document.signatories == ("Director of Children's Services", "ICB Chief Nurse")
        assert [(p.title, p.reason) for p in document.set_aside] == [
            (title(ids[3]), "Already covered by the ICB's governance review.")
        ]

    def test_summary_column_and_report_parts(self, decided: Plan) -> None:
        (column,) = p6.PRODUCT.summary
        assert column.key == "principles_agreed" and column.value(decided) == 3
        assert column.value(Plan(area_code=CODE)) == 0
        assert [part.title for part in p6.PRODUCT.report] == ["The joint working agreement"]
        assert p6.PRODUCT.report[0].render(decided).markup == p6.agreement(decided).markup

    def test_decisions_table(self, decided: Plan, ids: list[str]) -> None:
        text = p6.decisions_table(decided).text
        assert "2 adopted, 1 adapted, 1 set aside" in text
        assert "Our own words for the first principle." in text
        assert "Reason: Already covered by the ICB's governance review." in text
        assert f"{title(ids[5])} | not decided yet" in text

    def test_agreement_document(self, decided: Plan, ids: list[str]) -> None:
        markup = p6.agreement(decided).markup
        area = find_area(CODE)
        for expected in (
            "Our test agreement",
            "DRAFT, for discussion",
            "Southampton (E06000045)",
            "Southampton local authority",
            area.icbs[0].name,
            "Our own words for the first principle.",
            "Both boards sign off the shared outcomes by March.",
            "Director of Children&#x27;s Services",
            "ICB Chief Nurse",
            "reconstruction",
            "Also agreed, not yet ranked",
        ):
            assert expected in markup, expected
        order = [
            markup.index(s)
            for s in (
                f"1. {title(ids[1])}",
                f"2. {title(ids[0])}",
                title(ids[2]),
                "Examples of practice",
                "Signatories",
                "Principles set aside",
                f"{title(ids[3])}: Already covered",
            )
        ]
        assert order == sorted(order)
        assert "ILLUSTRATIVE" not in markup and title(ids[5]) not in markup
        # the examples the kept principles draw on, each cited with its address
        first_example = p6.practice_examples()[p6.principles()[1].get("examples")[0]]
        assert first_example.get("title") in markup
        source = p6.content().sources[first_example.source_keys[0]]
        assert source.url in markup and source.publisher in markup

    def test_illustrative_notice_and_escaping(self, decided: Plan, ids: list[str]) -> None:
        decided.illustrative = True
        p6.set_commitment(decided, ids[1], "<script>alert(1)</script>")
        markup = p6.agreement(decided).markup
        assert "ILLUSTRATIVE" in markup and "<script>" not in markup

    def test_parties_for_an_area_spanning_two_icbs(self) -> None:
        area = find_area(TWO_ICBS)
        plan = Plan(area_code=TWO_ICBS)
        p6.set_decision(plan, p6.principles()[0].id, "adopt")
        markup = p6.agreement(plan).markup
        assert len(area.icbs) == 2 and all(link.name in markup for link in area.icbs)
        assert html.escape(p6.default_title(area)) in markup

    def test_markdown_export(self, decided: Plan, ids: list[str]) -> None:
        p6.set_commitment(decided, ids[1], "Share *all* data | monthly\n# not a heading")
        text = p6.agreement_markdown(decided, find_area(CODE))
        assert text.startswith("# Our test agreement\n")
        assert f"### 1. {title(ids[1])}" in text and f"### 2. {title(ids[0])}" in text
        assert "**Our commitment:**\n\n" + r"Share \*all\* data \| monthly" + "\n\n" + r"\# not a heading" in text
        assert "| Director of Children's Services |  |  |  |" in text
        assert "## Principles set aside" in text
        assert text.index("## Signatories") < text.index("## Principles set aside")
        assert text == p6.agreement_markdown(decided)  # deterministic; area found from the plan

    def test_export_link_holds_the_markdown(self, decided: Plan) -> None:
        markup = p6.agreement_export(decided).markup
        encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", markup).group(1)
        assert base64.b64decode(encoded).decode("utf-8") == p6.agreement_markdown(decided)
        assert f'download="{CODE}-joint-working-agreement-draft.md"' in markup

    def test_blank_plan_says_nothing_yet(self) -> None:
        plan = Plan(area_code=CODE)
        assert "No decisions yet" in p6.decisions_table(plan).text
        assert "No agreement yet" in p6.agreement(plan).text
        assert "Nothing to export yet" in p6.agreement_export(plan).text

    def test_only_set_aside(self, ids: list[str]) -> None:
        plan = Plan(area_code=CODE)
        p6.set_decision(plan, ids[0], "set aside")
        text = p6.agreement(plan).markup
        assert "No principles adopted or adapted yet" in text and title(ids[0]) in text


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def saved(self, workspace: Path, principle_id: str):
        return p6.choice_for(plan_store(workspace).load(CODE).joint_priorities, principle_id)

    def test_decide_adapt_rank_and_commit(self, workspace: Path, ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        table = wb.view(p6.decisions_table)
        document = wb.view(p6.agreement)
        ui = p6.exercise(wb)
        decision = self.find(ui, "ToggleButtons", "Decision")[0]
        rank = self.find(ui, "Dropdown", "Rank")[0]
        commitment = self.find(ui, "Textarea", "Our commitment")[0]
        assert self.find(ui, "Textarea", "Our wording")[0].value == "" and "No agreement yet" in document.value
        adapt = decision.options.index(("Adapt", "adapt"))
        assert decision.tooltips[adapt] == "Keep the principle, reworded for local use"

        wording = self.find(ui, "Textarea", "Our wording")[0]
        decision.value = "adapt"
        assert self.saved(workspace, ids[0]).decision == "adapt"
        assert self.find(ui, "Textarea", "Our wording")[0] is wording, "the same box, not a new one"
        assert wording.value == p6.principles()[0].text  # prefilled with the starter text, and shown
        assert f"Saved the decision for &#x27;{title(ids[0])}&#x27;" in wb.status.value and "adapted" in table.value

        wording.value = "Three shared outcomes for Southampton's under-fives."
        rank.value = 1
        commitment.value = "Agree the outcomes at the March board."
        assert f"Saved the commitment for &#x27;{title(ids[0])}&#x27;" in wb.status.value
        choice = self.saved(workspace, ids[0])
        assert (choice.local_wording, choice.rank, choice.commitment) == (
            "Three shared outcomes for Southampton's under-fives.",
            1,
            "Agree the outcomes at the March board.",
        )
        assert "Three shared outcomes for Southampton&#x27;s under-fives." in document.value
        assert "Agree the outcomes at the March board." in document.value
        accordion = self.find(ui, "Accordion")[0]
        assert accordion.get_title(0) == f"{title(ids[0])} (adapted, rank 1)"
        assert accordion.get_title(1) == f"{title(ids[1])} (not decided yet)"

    def test_saved_decisions_are_shown_when_the_exercise_opens(
        self, workspace: Path, decided: Plan, ids: list[str]
    ) -> None:
        plan_store(workspace).save(decided)
        ui = p6.exercise(open_workbook(CODE, workspace, interactive=True))
        decisions = self.find(ui, "ToggleButtons", "Decision")
        assert [d.value for d in decisions[:5]] == ["adapt", "adopt", "adopt", "set aside", ""]
        assert [r.value for r in self.find(ui, "Dropdown", "Rank")[:3]] == [2, 1, 0]
        assert self.find(ui, "Textarea", "Our wording")[0].value == "Our own words for the first principle."
        assert self.find(ui, "Textarea", "Why set aside")[3].value == "Already covered by the ICB's governance review."
        assert self.find(ui, "Accordion")[0].get_title(3) == f"{title(ids[3])} (set aside)"

    def test_wording_box_only_shown_when_adapting(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p6.exercise(wb)
        decision = self.find(ui, "ToggleButtons", "Decision")[0]
        reason = self.find(ui, "Textarea", "Why set aside")[0]

        def wording_box():
            box = self.find(ui, "Textarea", "Our wording")[0]
            return [parent for parent in self.find(ui, "VBox") if box in parent.children][0]

        rank_and_commitment = [
            box for box in self.find(ui, "VBox") if self.find(ui, "Dropdown", "Rank")[0] in box.children
        ][0]
        assert wording_box().layout.display == "none" and reason.layout.display == "none"
        assert rank_and_commitment.layout.display == "none"
        decision.value = "adapt"
        assert wording_box().layout.display is None and rank_and_commitment.layout.display is None
        decision.value = "set aside"
        assert wording_box().layout.display == "none" and reason.layout.display is None
        assert rank_and_commitment.layout.display == "none"

    def test_refused_rank_is_shown_in_words_and_reset(self, workspace: Path, ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p6.exercise(wb)
        decisions = self.find(ui, "ToggleButtons", "Decision")
        ranks = self.find(ui, "Dropdown", "Rank")
        decisions[0].value = "adopt"
        decisions[1].value = "adopt"
        ranks[0].value = 1
        ranks[1].value = 1
        assert "Not saved" in wb.status.value and "already given" in wb.status.value
        assert ranks[1].value == 0 and self.saved(workspace, ids[1]).rank is None
        assert self.saved(workspace, ids[0]).rank == 1

    def test_setting_aside_clears_the_rank_on_screen(self, workspace: Path, ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p6.exercise(wb)
        decision = self.find(ui, "ToggleButtons", "Decision")[0]
        rank = self.find(ui, "Dropdown", "Rank")[0]
        decision.value = "adopt"
        rank.value = 3
        decision.value = "set aside"
        assert rank.value == 0 and self.saved(workspace, ids[0]).rank is None

    def test_blank_wording_is_refused_and_restored(self, workspace: Path, ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p6.exercise(wb)
        self.find(ui, "ToggleButtons", "Decision")[0].value = "adapt"
        wording = self.find(ui, "Textarea", "Our wording")[0]
        wording.value = ""
        assert "Not saved" in wb.status.value and "cannot be blank" in wb.status.value
        assert wording.value == p6.principles()[0].text == self.saved(workspace, ids[0]).local_wording

    def test_set_aside_with_reason_and_renumber(self, workspace: Path, ids: list[str]) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        document = wb.view(p6.agreement)
        ui = p6.exercise(wb)
        decisions = self.find(ui, "ToggleButtons", "Decision")
        decisions[2].value = "set aside"
        self.find(ui, "Textarea", "Why set aside")[2].value = "Covered elsewhere"
        assert self.saved(workspace, ids[2]).reason == "Covered elsewhere"
        assert f"{title(ids[2])}: Covered elsewhere" in document.value
        decisions[4].value = "adopt"
        decisions[3].value = "adapt"
        self.find(ui, "Button", "Renumber ranks 1, 2, 3...")[0].click()
        assert self.saved(workspace, ids[3]).rank == 1 and self.saved(workspace, ids[4]).rank == 2
        assert self.find(ui, "Dropdown", "Rank")[4].value == 2
        assert self.find(ui, "Accordion")[0].get_title(4) == f"{title(ids[4])} (adopted, rank 2)"

    def test_agreement_title_and_signatories(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        self.find(p6.exercise(wb), "ToggleButtons", "Decision")[0].value = "adopt"
        document = wb.view(p6.agreement)
        export = wb.view(p6.agreement_export)
        ui = p6.agreement_exercise(wb)
        title_box = self.find(ui, "Text", "Agreement title")[0]
        assert title_box.placeholder == p6.default_title(find_area(CODE))
        title_box.value = "Southampton hubs compact"
        signatories = self.find(ui, "Textarea", "Signatories (one role per line)")[0]
        signatories.value = "Director of Public Health\nICB Place Director"
        section = plan_store(workspace).load(CODE).joint_priorities
        assert section.agreement_title == "Southampton hubs compact"
        assert section.signatories == ["Director of Public Health", "ICB Place Director"]
        assert "Southampton hubs compact" in document.value and "ICB Place Director" in document.value
        assert "# Southampton hubs compact" in export.value
        signatories.value = "Same\nSame"
        assert "Not saved" in wb.status.value and "listed twice" in wb.status.value
        assert signatories.value == "Director of Public Health\nICB Place Director"


def test_the_agreement_as_word_on_each_surface(sample_workspace) -> None:
    """Product 6's page offers the agreement as a Word document: the app's download, the file beside a
    pack, or in JupyterLab where it is made."""
    from jointwork.products import get_product, plan_store
    from jointwork.products import joint_priorities as p6

    plan = plan_store(sample_workspace).load("E06000045")
    app = p6.agreement_word(plan, "app").markup
    assert (
        'href="../../jointwork/download/E06000045/agreement.docx"' in app
        and 'download="E06000045_agreement.docx"' in app
    )
    assert 'href="agreement.docx"' in p6.agreement_word(plan, "pack").markup
    assert (
        "jointwork batch" in p6.agreement_word(plan, "lab").text and "<a " not in p6.agreement_word(plan, "lab").markup
    )
    assert [d.file_name for d in get_product(6).documents] == [p6.AGREEMENT_FILE]
    blank = plan_store(sample_workspace).new("E06000046")
    assert "Nothing to download yet" in p6.agreement_word(blank, "app").text
