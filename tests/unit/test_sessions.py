"""Session plans (jointwork/core/sessions.py): the parts and minutes each product gives, the
proposal for each length, the facilitator's edits, saving with the area through the store."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from jointwork.core import sessions
from jointwork.core.content import ContentPart, load_content
from jointwork.core.errors import InputError, PlanError
from jointwork.core.paths import notebooks_dir
from jointwork.core.sessions import SessionItem, SessionLength, SessionPlan
from jointwork.products import PRODUCTS, get_product, plan_store

SLUGS = [p.slug for p in PRODUCTS]


def slugs(plan: SessionPlan, meeting: int = 0) -> list[str]:
    return list(dict.fromkeys(item.product for item in plan.meetings[meeting].items))


class TestPartsFromTheContent:
    @pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
    def test_parts_are_the_minutes_the_notebook_gives(self, product) -> None:
        """Each product's parts are what its notebook's "How long it takes" says, minute for minute."""
        nb = nbformat.read(notebooks_dir() / product.notebook, 4)
        text = next(c.source for c in nb.cells if c.cell_type == "markdown" and "How long it takes" in c.source)
        line = " ".join(text.split("**How long it takes:**", 1)[1].split("\n\n")[0].split())
        total, *rest = [int(n) for n in re.findall(r"\b(\d+)\b", line)]
        content = load_content(product.slug)
        assert total == content.minutes
        assert [part.minutes for part in content.parts] == (rest or [total])
        assert sum(part.minutes for part in content.parts) == content.minutes

    def test_parts_that_do_not_add_up_are_refused(self) -> None:
        from jointwork.core.content import ProductContent

        base = {"product": 9, "slug": "x", "title": "X", "purpose": "p", "who": "w", "minutes": 30, "entries": {}}
        parts = [{"id": "a", "title": "A", "minutes": 10, "kind": "reading"}]
        with pytest.raises(ValueError, match=r"parts whose minutes add up to minutes \(30\), got 10"):
            ProductContent.model_validate({**base, "parts": parts})
        untimed = [*parts, {"id": "b", "title": "B", "kind": "exercise"}]
        assert ProductContent.model_validate({**base, "parts": untimed}).parts[1].minutes is None
        with pytest.raises(ValueError, match="each part's id once"):
            ProductContent.model_validate({**base, "parts": [*untimed, untimed[1]]})

    def test_a_product_without_parts_is_one_part(self, monkeypatch: pytest.MonkeyPatch) -> None:
        p8 = get_product(8)
        content = load_content(p8.slug).model_copy(update={"parts": []})
        monkeypatch.setattr("jointwork.core.content.load_content", lambda slug: content)
        assert sessions.parts_of(p8) == [ContentPart(id="whole", title=p8.short_title, minutes=20, kind="exercise")]


class TestProposal:
    def test_90_minutes_takes_whole_products_that_fit(self) -> None:
        proposal = sessions.propose("90 minutes", PRODUCTS)
        assert slugs(proposal.plan) == ["introduction", "hearing_from_others"]  # 30 + 60; 2 to 6 are longer
        assert proposal.plan.meetings[0].planned_minutes == 90
        assert "Not in this plan, for lack of time: 2. Health priorities" in proposal.reasons[-1]

    def test_two_hours_and_half_a_day(self) -> None:
        assert slugs(sessions.propose("2 hours", PRODUCTS).plan) == ["introduction", "health_priorities"]
        half = sessions.propose(SessionLength.HALF_DAY, PRODUCTS).plan
        assert slugs(half) == ["introduction", "health_priorities", "successful_joint_working"]
        assert half.meetings[0].planned_minutes == 195 <= SessionLength.HALF_DAY.minutes_each

    def test_a_series_of_three_meetings(self) -> None:
        proposal = sessions.propose("a series of three", PRODUCTS)
        plan = proposal.plan
        assert [m.title for m in plan.meetings] == ["Meeting 1 of 3", "Meeting 2 of 3", "Meeting 3 of 3"]
        assert [slugs(plan, i) for i in range(3)] == [
            ["introduction", "health_priorities"],
            ["successful_joint_working", "find_out_more"],
            ["who_to_engage"],
        ]
        assert all(m.planned_minutes <= 120 for m in plan.meetings)
        assert proposal.left_out == ("when_to_engage", "joint_priorities", "hearing_from_others")

    def test_products_already_started_come_last(self) -> None:
        proposal = sessions.propose("90 minutes", PRODUCTS, started=["introduction", "health_priorities"])
        assert slugs(proposal.plan) == ["successful_joint_working"]
        assert "starting with those this area has not started yet" in proposal.reasons[0]
        every = sessions.propose("90 minutes", PRODUCTS, started=SLUGS)
        assert slugs(every.plan) == ["introduction", "hearing_from_others"], "all started: from the first again"

    def test_every_part_in_order_with_its_own_minutes(self) -> None:
        plan = sessions.propose("2 hours", PRODUCTS).plan
        p3 = [item for item in sessions.propose("90 minutes", PRODUCTS, started=SLUGS[:2]).plan.meetings[0].items]
        assert [(i.part, i.minutes) for i in p3] == [("factors", 15), ("rate", 40), ("discuss_and_act", 35)]
        assert plan.meetings[0].items[0] == SessionItem(
            product="introduction", part="area_and_team", title="Choose the area and record the team", minutes=5
        )

    def test_a_part_without_minutes_is_flagged_never_guessed(self) -> None:
        def parts(product):
            found = sessions.parts_of(product)
            return [found[0].model_copy(update={"minutes": None}), *found[1:]] if product.number == 1 else found

        proposal = sessions.propose("90 minutes", PRODUCTS, parts=parts)
        first = proposal.plan.meetings[0].items[0]
        assert first.minutes is None and proposal.plan.meetings[0].untimed == [first]
        assert "No duration is given for: Choose the area and record the team. Set the minutes yourself." in (
            proposal.reasons
        )
        assert "1 item(s) have no duration yet" in sessions.fit(proposal.plan.meetings[0], SessionLength.MINUTES_90)

    def test_unknown_length_names_the_choices(self) -> None:
        with pytest.raises(InputError, match="'90 minutes', '2 hours', 'half a day', 'a series of three'"):
            sessions.propose("a week", PRODUCTS)


class TestTimings:
    def test_minutes_in_words(self) -> None:
        assert [sessions.minutes_text(m) for m in (0, 1, 45, 60, 95, 210)] == [
            "0 minutes",
            "1 minute",
            "45 minutes",
            "1 hour",
            "1 hour 35 minutes",
            "3 hours 30 minutes",
        ]

    def test_timeline_and_fit(self) -> None:
        meeting = sessions.propose("2 hours", PRODUCTS).plan.meetings[0]
        assert [slot.start for slot in sessions.timeline(meeting)] == [0, 5, 15, 30, 45, 70]
        assert (
            sessions.fit(meeting, SessionLength.HOURS_2) == "1 hour 45 minutes planned of 2 hours: 15 minutes to spare"
        )
        longer = sessions.set_minutes(sessions.SessionPlan(length="2 hours", meetings=[meeting]), 0, 0, 40)
        assert sessions.fit(longer.meetings[0], SessionLength.HOURS_2).endswith(": 20 minutes too long")


class TestEdits:
    def plan(self) -> SessionPlan:
        return sessions.propose("2 hours", PRODUCTS).plan

    def test_adjust_minutes_order_and_items(self) -> None:
        plan = sessions.set_minutes(self.plan(), 0, 1, 20)
        assert plan.meetings[0].items[1].minutes == 20 and self.plan().meetings[0].items[1].minutes == 10
        plan = sessions.move(plan, 0, 0, 1)
        assert [i.part for i in plan.meetings[0].items[:2]] == ["suite_and_outcomes", "area_and_team"]
        assert sessions.move(plan, 0, 0, -1) == plan, "the first item stays first"
        plan = sessions.add_own(plan, 0, "  Break ", 10)
        assert plan.meetings[0].items[-1] == SessionItem(title="Break", minutes=10)
        plan = sessions.remove(plan, 0, 0)
        assert plan.meetings[0].items[0].part == "area_and_team"
        plan = sessions.add_product(plan, 0, get_product(8))
        assert plan.meetings[0].items[-1].part == "reading_index"
        assert sessions.set_minutes(plan, 0, 0, None).meetings[0].items[0].minutes is None

    @pytest.mark.parametrize(
        "edit, message",
        [
            (lambda p: sessions.set_minutes(p, 0, 0, 0), "minutes between 1 and 480, got 0"),
            (lambda p: sessions.set_minutes(p, 1, 0, 5), "there is no meeting 2: the plan has 1"),
            (lambda p: sessions.remove(p, 0, 99), "there is no item 100 in Session"),
            (lambda p: sessions.add_own(p, 0, "  ", 5), "a title for the item"),
            (lambda p: sessions.add_product(p, 0, get_product(1)), "1. Introduction is already in the plan"),
        ],
    )
    def test_refusals_in_words(self, edit, message: str) -> None:
        with pytest.raises(ValueError, match=re.escape(message)):
            edit(self.plan())


class TestSavedWithTheArea:
    def test_saved_and_read_back_through_the_store(self, workspace: Path) -> None:
        store = plan_store(workspace)
        plan = sessions.propose("a series of three", PRODUCTS).plan
        store.update("E06000045", lambda p: setattr(p, "session", plan))
        assert store.load("E06000045").session == plan
        text = store.path_for("E06000045").read_text(encoding="utf-8")
        assert "session:\n  length: a series of three\n" in text and "part: rate\n" in text

    def test_a_plan_without_a_session_is_unchanged(self, workspace: Path) -> None:
        store = plan_store(workspace)
        store.update("E06000045", lambda p: None)
        assert "session" not in store.path_for("E06000045").read_text(encoding="utf-8")

    def test_unknown_product_or_part_is_reported_with_its_line(self, workspace: Path) -> None:
        store = plan_store(workspace)
        store.update("E06000045", lambda p: setattr(p, "session", sessions.propose("90 minutes", PRODUCTS).plan))
        path = store.path_for("E06000045")
        text = path.read_text(encoding="utf-8").replace("part: area_and_team", "part: lunch", 1)
        path.write_text(text.replace("product: hearing_from_others", "product: knitting", 1), encoding="utf-8")
        with pytest.raises(PlanError) as caught:
            store.load("E06000045")
        message = str(caught.value)
        assert "session.meetings[0].items[0].part" in message and "got 'lunch'" in message
        assert "session.meetings[0].items[3].product" in message and "got 'knitting'" in message

    def test_bad_minutes_are_reported(self, workspace: Path) -> None:
        store = plan_store(workspace)
        store.update("E06000045", lambda p: setattr(p, "session", sessions.propose("90 minutes", PRODUCTS).plan))
        path = store.path_for("E06000045")
        path.write_text(path.read_text(encoding="utf-8").replace("minutes: 5\n", "minutes: 900\n", 1), encoding="utf-8")
        with pytest.raises(PlanError, match=r"session\.meetings\[0\]\.items\[0\]\.minutes"):
            store.load("E06000045")
