"""The facilitator's room page (on the app, 127.0.0.1 only): ``/room?area=E06000045&product=3``.

From here a round of a product is opened to the room: the page shows the join address, its QR code
and the workshop code, and counts who has answered by sector (never who), updated every few
seconds by ``static/room.js`` (without it, a link reloads the counts). "Stop phones joining" ends
the code at once and keeps the round open for the workbook; "Close the round" closes it too.
Without ``jointwork app --share`` the page says how to start the respondent service.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import segno
from markupsafe import Markup

from ...core.areas import Area, find_area
from ...core.errors import AreaNotFound, JointworkError
from ...core.product import Product
from ...core.responses import ResponseError, ResponseStore, Round, RoundResponses, answered_summary
from ...products import PRODUCTS, get_product
from ..kernel import ROOM_PATH, area_key, product_url, room_url, start_url
from ..pages import page_template
from .codes import SharedRound, WorkshopCodes, grouped

COUNTS_PATH = f"{ROOM_PATH}/counts"


@dataclass(frozen=True)
class Sharing:
    """The app's respondent service: its codes and the join addresses' start (``None``: not started)."""

    codes: WorkshopCodes
    address: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a button did, in words; ``confirm`` is a round to ask about before closing it."""

    message: str
    saved: bool
    confirm: str | None = None


def shareable() -> list[Product]:
    """The products whose questionnaire partners can answer from their phones."""
    return [p for p in PRODUCTS if p.questionnaire is not None]


def qr_svg(text: str) -> Markup:
    """A QR code of ``text`` as inline SVG (made here by segno, so nothing outside is fetched)."""
    svg = segno.make(text, error="m").svg_inline(scale=6, border=2, dark="#0b0c0c", light="#ffffff")
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code of the join address" ', 1))


def _find(area_query: str | None, product_query: str | None) -> tuple[Area, Product]:
    product = get_product((product_query or "").strip()[:20] or "3")
    if product.questionnaire is None:
        numbers = ", ".join(str(p.number) for p in shareable())
        raise JointworkError(
            f"product {product.number} asks no questions of each partner; phones can answer products {numbers}"
        )
    return find_area(area_key((area_query or "").strip()[:100])), product


def round_counts(
    area: Area, product: Product, workspace: str | os.PathLike[str] | None, sharing: Sharing
) -> list[dict[str, Any]]:
    """Each round of the product: its name, whether it is open and shared, and who has answered, by sector."""
    store = ResponseStore(workspace)
    rounds = []
    for item in store.rounds(area.code, product.slug):
        shared = SharedRound(area.code, product.slug, item.id)
        if not item.is_open:
            sharing.codes.end(shared)
        responses = RoundResponses(item, tuple(store.responses(area.code, product.slug, item.id)))
        rounds.append(
            {
                "round": item,
                "id": item.id,
                "code": sharing.codes.code_of(shared) if item.is_open else None,
                "text": answered_summary(product.questionnaire, responses),
            }
        )
    return rounds


def counts_json(
    area_query: str | None, product_query: str | None, workspace: str | os.PathLike[str] | None, sharing: Sharing
) -> dict[str, Any]:
    """What ``static/room.js`` polls: each round's count text and whether it is still shared."""
    try:
        area, product = _find(area_query, product_query)
    except (AreaNotFound, JointworkError) as exc:
        return {"problem": str(exc), "rounds": {}}
    return {
        "rounds": {
            r["id"]: {"text": r["text"], "open": r["round"].is_open, "shared": r["code"] is not None}
            for r in round_counts(area, product, workspace, sharing)
        }
    }


def room_page(
    area_query: str | None,
    product_query: str | None,
    workspace: str | os.PathLike[str] | None,
    sharing: Sharing,
    *,
    base: str = "/",
    xsrf: str = "",
    outcome: Outcome | None = None,
    typed_name: str = "",
) -> tuple[int, str]:
    """The status and the room page (a problem in words when the area or product is not right)."""
    page: dict[str, Any] = {
        "base": base,
        "title": "Answer from phones - jointwork",
        "xsrf": Markup(xsrf),
        "outcome": outcome,
        "back": start_url(None, base),
        "problem": "",
        "sharing": sharing.address is not None,
    }
    try:
        area, product = _find(area_query, product_query)
    except (AreaNotFound, JointworkError) as exc:
        page.update(problem=str(exc), heading="Answer from phones", subheading="")
        return 404, page_template("room.html.j2").render(page)
    rounds = round_counts(area, product, workspace, sharing)
    for item in rounds:
        if item["code"] and sharing.address:
            item["join"] = f"{sharing.address}/j/{item['code']}"
            item["qr"] = qr_svg(item["join"])
            item["grouped"] = grouped(item["code"])
    page.update(
        title=f"Answer from phones: {product.short_title} - {area.name} - jointwork",
        heading=f"{area.name}: answer from phones",
        subheading=product.short_title,
        area=area,
        product=product,
        rounds=rounds,
        action=f"{base}{ROOM_PATH}",
        counts=f"{base}{COUNTS_PATH}?area={area.code}&product={product.number}",
        here=room_url(area.code, product, base),
        back=start_url(area.code, base),
        product_page=product_url(product, area.code, base),
        present=f"{base}present?area={area.code}&product={product.number}",
        typed_name=typed_name,
        share_home=f"{sharing.address}/" if sharing.address else "",
    )
    return 200, page_template("room.html.j2").render(page)


def apply_room_form(
    area_query: str | None,
    product_query: str | None,
    form: Mapping[str, str],
    workspace: str | os.PathLike[str] | None,
    sharing: Sharing,
) -> Outcome:
    """One posted change: ``do`` is ``open`` (a new round named ``name``, shared at once), ``share``,
    ``stop``, ``close`` (which only asks) or ``close-now`` (each with ``round``, a round id). Refusals
    come back in words."""
    try:
        area, product = _find(area_query, product_query)
    except (AreaNotFound, JointworkError) as exc:
        return Outcome(f"Not done: {exc}", saved=False)
    store = ResponseStore(workspace)
    action = form.get("do", "")
    try:
        if action == "open":
            made = store.open_round(area.code, product.slug, form.get("name", ""))
            return _share(area, product, made, sharing, opened=True)
        found = store.round(area.code, product.slug, form.get("round", "")[:63])
        shared = SharedRound(area.code, product.slug, found.id)
        if action == "share":
            if not found.is_open:
                return Outcome(f"Not shared: '{found.name}' is closed, so it can take no more answers.", saved=False)
            return _share(area, product, found, sharing)
        if action == "stop":
            sharing.codes.end(shared)
            return Outcome(
                f"Phones can no longer join '{found.name}': its code has ended. The round stays open in the workbook.",
                saved=True,
            )
        if action == "close":  # closing cannot be undone: ask first
            return Outcome(
                f"Close '{found.name}'? Phones can then no longer answer, and its answers can no longer change.",
                saved=False,
                confirm=found.id,
            )
        if action == "close-now":
            sharing.codes.end(shared)
            store.close_round(area.code, product.slug, found.id)
            return Outcome(f"Closed '{found.name}': its code has ended and its answers can no longer change.", True)
    except ResponseError as exc:
        return Outcome(f"Not done: {exc.expected}" + (f" (got {exc.got!r})" if exc.got else "") + ".", saved=False)
    except JointworkError as exc:
        return Outcome(f"Not done: {exc}", saved=False)
    return Outcome("Not done: that button is not one this page knows; reload the page and try again.", saved=False)


def _share(area: Area, product: Product, item: Round, sharing: Sharing, opened: bool = False) -> Outcome:
    first = f"Opened the round '{item.name}'. " if opened else ""
    if sharing.address is None:
        return Outcome(first + "Phones cannot join yet: the app was started without --share (see above).", saved=opened)
    sharing.codes.share(SharedRound(area.code, product.slug, item.id))
    return Outcome(first + f"Phones can now join '{item.name}' at the address below.", saved=True)
