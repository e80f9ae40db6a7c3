"""The facilitator's room page (jointwork/app/respond/room.py): open a round to the phones, show its
join address, QR code and counts by sector, stop sharing or close the round; and the command's
--share options. No server: the page functions are called directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork.app.respond.codes import SharedRound, WorkshopCodes
from jointwork.app.respond.network import share_address, share_host
from jointwork.app.respond.room import Sharing, apply_room_form, counts_json, room_page
from jointwork.cli import main
from jointwork.core.errors import InputError
from jointwork.core.plan import Sector
from jointwork.core.responses import Response, ResponseStore, answered_by_sector
from jointwork.products import get_product

AREA = "E06000045"
P3 = get_product(3)


@pytest.fixture
def sharing() -> Sharing:
    return Sharing(WorkshopCodes(), share_address("192.168.1.20", 8867))


def test_open_a_round_and_the_page_shows_its_join_address_and_qr_code(workspace: Path, sharing: Sharing) -> None:
    outcome = apply_room_form(AREA, "3", {"do": "open", "name": "Workshop, December 2026"}, workspace, sharing)
    assert outcome.saved and "Phones can now join 'Workshop, December 2026'" in outcome.message
    [shared] = sharing.codes.shared()
    code = sharing.codes.code_of(shared)
    status, page = room_page(AREA, "3", workspace, sharing, outcome=outcome)
    assert status == 200 and f'<p class="address">http://192.168.1.20:8867/j/{code}</p>' in page
    assert '<svg role="img" aria-label="QR code of the join address"' in page
    assert "Nobody has answered in round &#39;Workshop, December 2026&#39; yet." in page
    assert "Stop phones joining" in page and "Close the round" in page and "static/room.js" in page


def test_counts_are_by_sector_and_only_of_those_who_answered(workspace: Path, sharing: Sharing) -> None:
    apply_room_form(AREA, "3", {"do": "open", "name": "Workshop"}, workspace, sharing)
    store = ResponseStore(workspace)
    first = P3.questionnaire.question_ids()[0]
    for sector, answers in [
        (Sector.HEALTH, {first: {"value": 3}}),
        (Sector.HEALTH, {first: {"value": 2}}),
        (Sector.OTHER, {}),  # joined, answered nothing yet
    ]:
        store.save(AREA, P3.questionnaire, Response("", "workshop", P3.slug, sector, "", answers, "Named Person"))
    data = counts_json(AREA, "3", workspace, sharing)
    assert data["rounds"]["workshop"] == {
        "text": "2 have answered in round 'Workshop': Health 2. 1 more entry has no answer yet.",
        "open": True,
        "shared": True,
    }
    assert "Named Person" not in room_page(AREA, "3", workspace, sharing)[1], "counts never say who"
    assert answered_by_sector(store.responses(AREA, P3.slug, "workshop"), P3.questionnaire) == {
        Sector.LOCAL_AUTHORITY: 0,
        Sector.HEALTH: 2,
        Sector.OTHER: 0,
    }


def test_stop_ends_the_code_and_close_closes_the_round(workspace: Path, sharing: Sharing) -> None:
    apply_room_form(AREA, "3", {"do": "open", "name": "Workshop"}, workspace, sharing)
    shared = SharedRound(AREA, P3.slug, "workshop")
    code = sharing.codes.code_of(shared)
    stopped = apply_room_form(AREA, "3", {"do": "stop", "round": "workshop"}, workspace, sharing)
    assert stopped.saved and sharing.codes.find(code) is None
    assert ResponseStore(workspace).round(AREA, P3.slug, "workshop").is_open
    again = apply_room_form(AREA, "3", {"do": "share", "round": "workshop"}, workspace, sharing)
    new_code = sharing.codes.code_of(shared)
    assert again.saved and new_code and new_code != code, "sharing again gives a new code"
    asked = apply_room_form(AREA, "3", {"do": "close", "round": "workshop"}, workspace, sharing)
    assert not asked.saved and asked.confirm == "workshop" and sharing.codes.find(new_code), "closing asks first"
    assert 'value="close-now">Yes, close the round' in room_page(AREA, "3", workspace, sharing, outcome=asked)[1]
    closed = apply_room_form(AREA, "3", {"do": "close-now", "round": "workshop"}, workspace, sharing)
    assert closed.saved and sharing.codes.find(new_code) is None
    assert not ResponseStore(workspace).round(AREA, P3.slug, "workshop").is_open
    refused = apply_room_form(AREA, "3", {"do": "share", "round": "workshop"}, workspace, sharing)
    assert not refused.saved and "is closed" in refused.message


def test_refusals_in_words(workspace: Path, sharing: Sharing) -> None:
    apply_room_form(AREA, "3", {"do": "open", "name": "Workshop"}, workspace, sharing)
    twice = apply_room_form(AREA, "3", {"do": "open", "name": "Workshop"}, workspace, sharing)
    assert not twice.saved and "a name not already used for this product" in twice.message
    assert (
        "one of the rounds of this product"
        in apply_room_form(AREA, "3", {"do": "stop", "round": "x"}, workspace, sharing).message
    )
    status, page = room_page(AREA, "6", workspace, sharing)
    assert status == 404 and "asks no questions of each partner; phones can answer products 2, 3" in page
    assert room_page("Nowhere", "3", workspace, sharing)[0] == 404


def test_without_share_the_page_says_how_to_start_the_service(workspace: Path) -> None:
    local = Sharing(WorkshopCodes())
    outcome = apply_room_form(AREA, "3", {"do": "open", "name": "Workshop"}, workspace, local)
    assert outcome.saved and "started without --share" in outcome.message and local.codes.shared() == []
    page = room_page(AREA, "3", workspace, local)[1]
    assert "jointwork app --share" in page and 'class="address"' not in page


def test_share_options(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert share_host("127.0.0.1") == "127.0.0.1"
    for wrong in ("0.0.0.0", "laptop", "::"):
        with pytest.raises(InputError, match="--share-host"):
            share_host(wrong)
    assert main(["app", "--share-host", "127.0.0.1", "--no-browser"]) != 0
    assert "--share as well" in capsys.readouterr().err
