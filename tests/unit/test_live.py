"""Following the partners' answers as they arrive: the count of who has answered (by sector only) and
the watcher that notices responses saved by any program, re-drawing results but never the inputs."""

from __future__ import annotations

import asyncio
import gc
from datetime import date
from pathlib import Path

import pytest

from jointwork.core.plan import Sector
from jointwork.core.responses import Response, ResponseStore, Round, RoundResponses
from jointwork.products import health_priorities as p2
from jointwork.products import successful_joint_working as p3
from jointwork.session import open_workbook
from jointwork.workshop import live
from jointwork.workshop.live import ResponseWatcher, follow
from jointwork.workshop.responding import answered_summary, has_answered

from conftest import find_widgets

CODE = "E06000045"


def response(sector: Sector, name: str | None, answers: dict) -> Response:
    return Response("", "baseline", p3.SLUG, sector, name or "", answers, name)


def rated(score: int | None, note: str = "") -> dict:
    return {"health_on_board": {"value": score, "note": note}}


class TestAnsweredSummary:
    ROUND = Round("baseline", p3.SLUG, "Baseline, February 2026", date(2026, 2, 1))

    def test_counts_by_sector_and_never_who(self) -> None:
        entries = (
            response(Sector.LOCAL_AUTHORITY, "Sam Lee", rated(3)),
            response(Sector.HEALTH, None, rated(2)),
            response(Sector.LOCAL_AUTHORITY, "Jo Khan", rated(4)),
            response(Sector.OTHER, "Ali Noor", {}),  # added, nothing answered yet
            response(Sector.HEALTH, "Pat Ode", rated(None, "a note but no rating")),
        )
        text = answered_summary(p3.QUESTIONNAIRE, RoundResponses(self.ROUND, entries))
        assert text == (
            "3 have answered in round 'Baseline, February 2026': Local authority 2, Health 1. "
            "2 more entries have no answer yet."
        )
        assert not any(name in text for name in ("Sam", "Jo", "Ali", "Pat", "Respondent"))

    def test_one_none_and_no_round(self) -> None:
        one = RoundResponses(self.ROUND, (response(Sector.HEALTH, "Sam Lee", rated(1)),))
        assert answered_summary(p3.QUESTIONNAIRE, one) == "1 has answered in round 'Baseline, February 2026': Health 1."
        waiting = RoundResponses(self.ROUND, (response(Sector.OTHER, None, {}),))
        assert answered_summary(p3.QUESTIONNAIRE, waiting) == (
            "Nobody has answered in round 'Baseline, February 2026' yet. 1 more entry has no answer yet."
        )
        assert answered_summary(p3.QUESTIONNAIRE, None) == ""

    def test_a_ranking_counts_once_something_is_ranked(self) -> None:
        first = p2.QUESTIONNAIRE.question_ids()[0]
        assert has_answered(p2.QUESTIONNAIRE, response(Sector.HEALTH, None, {first: {"value": 1, "note": ""}}))
        assert not has_answered(p2.QUESTIONNAIRE, response(Sector.HEALTH, None, {first: {"value": None, "note": "x"}}))


class Owner:
    """Something a watcher can follow: it counts the changes it is told of."""

    def __init__(self, store: ResponseStore) -> None:
        self.store, self.told = store, 0

    def digest(self) -> str:
        return self.store.digest(CODE)

    def changed(self) -> None:
        self.told += 1


def save(
    store: ResponseStore, round_id: str, sector: str, name: str | None, score: int, response_id: str = ""
) -> Response:
    """Save a rating of the first factor as a new response, or into ``response_id``'s."""
    answers = {"health_on_board": {"value": score, "note": ""}}
    return store.save(
        CODE, p3.QUESTIONNAIRE, Response(response_id, round_id, p3.SLUG, Sector(sector), "", answers, name)
    )


class TestWatcher:
    def test_notices_every_kind_of_change_once(self, workspace: Path) -> None:
        store = ResponseStore(workspace)
        owner = Owner(store)
        watcher = ResponseWatcher(owner, Owner.digest, Owner.changed)
        assert not watcher.poll() and owner.told == 0  # nothing yet
        made = store.open_round(CODE, p3.SLUG, "Baseline")
        assert watcher.poll() and owner.told == 1
        assert not watcher.poll() and owner.told == 1  # the same state is not reported twice
        saved = save(store, made.id, "health", "Alex", 2)
        assert watcher.poll() and owner.told == 2
        save(store, made.id, "health", "Alex", 3, saved.id)  # the same file, changed
        assert watcher.poll() and owner.told == 3
        store.remove(CODE, p3.SLUG, made.id, saved.id)
        assert watcher.poll() and owner.told == 4
        store.close_round(CODE, p3.SLUG, made.id)
        assert watcher.poll() and owner.told == 5 and watcher.changes == 5

    def test_runs_on_the_event_loop_until_stopped(self, workspace: Path) -> None:
        store = ResponseStore(workspace)
        made = store.open_round(CODE, p3.SLUG, "Baseline")

        async def scenario() -> tuple[bool, bool]:
            noticed = asyncio.Event()
            owner = Owner(store)
            watcher = ResponseWatcher(owner, Owner.digest, lambda _o: noticed.set(), interval=0.01)
            assert follow(watcher)
            started = watcher.running
            save(store, made.id, "local authority", "Sam", 4)  # as another program would
            await asyncio.wait_for(noticed.wait(), timeout=10)
            watcher.stop()
            return started, watcher.running

        assert asyncio.run(scenario()) == (True, False)

    def test_stops_when_its_owner_is_gone(self, workspace: Path) -> None:
        store = ResponseStore(workspace)
        owner = Owner(store)
        watcher = ResponseWatcher(owner, Owner.digest, Owner.changed)
        loop = asyncio.new_event_loop()
        try:
            watcher.start(loop)
            assert watcher.running
            del owner
            gc.collect()
            assert not watcher.poll() and not watcher.running
        finally:
            loop.close()

    def test_a_newer_workbook_takes_over_and_batch_runs_never_follow(self, workspace: Path) -> None:
        async def open_two() -> tuple:
            first = open_workbook(CODE, workspace, interactive=True)
            second = open_workbook(CODE, workspace, interactive=True)
            batch = open_workbook(CODE, workspace, interactive=False)
            states = (first.watcher.running, second.watcher.running, batch.watcher)
            second.watcher.stop()
            return states

        assert asyncio.run(open_two()) == (False, True, None)
        assert open_workbook(CODE, workspace, interactive=True).watcher is None  # no event loop: nothing runs
        assert live._following is not None and not live._following.running


class TestLivePage:
    """Product 3's and product 2's exercises as the facilitator sees them, while others answer."""

    def watched(self, wb) -> ResponseWatcher:
        from jointwork.workshop.workbook import Workbook, _digest

        return ResponseWatcher(wb, _digest, Workbook.follow_responses)

    def test_product_3_count_and_results_follow_without_touching_the_inputs(self, workspace: Path) -> None:
        store = ResponseStore(workspace)
        made = store.open_round(CODE, p3.SLUG, "Baseline")
        mine = save(store, made.id, "local authority", "Sam", 2)
        wb = open_workbook(CODE, workspace, interactive=True)
        watcher = self.watched(wb)
        scores = wb.view(p3.scores_table)
        ui = p3.exercise(wb)
        count = [h for h in find_widgets(ui, "HTML") if "jw-answered" in h._dom_classes][0]
        assert "1 has answered in round &#x27;Baseline&#x27;: Local authority 1." in count.value
        name_box = find_widgets(ui, "Text", "New respondent")[0]
        name_box.value = "Being typed"  # not added yet
        radios = find_widgets(ui, "RadioButtons", "Rating")
        before = scores.value

        save(store, made.id, "health", "Alex", 4)  # another partner, from another program
        assert watcher.poll()
        assert "2 have answered in round &#x27;Baseline&#x27;: Local authority 1, Health 1." in count.value
        assert scores.value != before and "3.0" in scores.value  # the mean of 2 and 4
        assert name_box.value == "Being typed"
        assert find_widgets(ui, "RadioButtons", "Rating") == radios and radios[0].value == 2
        picker = find_widgets(ui, "Dropdown", "Answering as")[0]
        assert picker.value == mine.id and len(picker.options) == 2

        save(store, made.id, "local authority", "Sam", 3, mine.id)  # Sam's own entry, changed elsewhere
        assert watcher.poll()
        assert radios[0].value == 2  # what this page shows is left alone ...
        note = find_widgets(ui, "Button", "Show the saved answers")[0]
        [offer] = [box for box in find_widgets(ui, "HBox") if note in box.children]
        assert offer.layout.display == "flex"  # ... and a note offers the saved answers
        note.click()
        assert radios[0].value == 3 and offer.layout.display == "none"

    def test_product_2_count_and_combined_ranking_follow(self, workspace: Path) -> None:
        store = ResponseStore(workspace)
        made = store.open_round(CODE, p2.SLUG, "Baseline")
        wb = open_workbook(CODE, workspace, interactive=True)
        watcher = self.watched(wb)
        combined = wb.view(p2.combined_ranking_table)
        ui = p2.ranking_exercise(wb)
        count = [h for h in find_widgets(ui, "HTML") if "jw-answered" in h._dom_classes][0]
        assert "Nobody has answered in round &#x27;Baseline&#x27; yet." in count.value
        first = p2.QUESTIONNAIRE.question_ids()[0]
        answers = {first: {"value": 1, "note": ""}}
        store.save(CODE, p2.QUESTIONNAIRE, Response("", made.id, p2.SLUG, Sector.OTHER, "", answers, None))
        assert watcher.poll()
        assert "1 has answered in round &#x27;Baseline&#x27;: Other 1." in count.value
        assert "Combined ranking of 1 partner(s)" in combined.value


@pytest.fixture(autouse=True)
def no_watcher_left() -> None:
    yield
    if live._following is not None:
        live._following.stop()
