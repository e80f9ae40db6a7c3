"""Product 4's content: the structures then and now, the ideas behind the map, the starter prompts
and the four boxes of the power/interest grid."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.content import Entry, ProductContent, load_content
from ...core.plan import Sector

SLUG = "who_to_engage"
ERAS = ("then", "now", "both")
# the boxes of the grid in the order charts.quadrant_grid draws them: top-left, top-right, bottom-left, bottom-right
GRID_ORDER = ("keep_satisfied", "manage_closely", "monitor", "keep_informed")
# the same boxes in the order the strategies table lists them: the most engaged first
STRATEGY_ORDER = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
# where each box sits on the grid: (influence, interest)
BOX_LEVELS = {
    "keep_satisfied": ("high", "low"),
    "manage_closely": ("high", "high"),
    "monitor": ("low", "low"),
    "keep_informed": ("low", "high"),
}


def content() -> ProductContent:
    """The validated content file of product 4."""
    return load_content(SLUG)


def structures() -> list[Entry]:
    """Every structure in the content, including those that have gone (``era: then``)."""
    return content().group("structures")


def current_structures() -> list[Entry]:
    """Structures that exist today: the ones a stakeholder can belong to."""
    return [s for s in structures() if s.get("era") != "then"]


def must_engage() -> list[Entry]:
    """Today's structures that every hub plan should have someone from."""
    return [s for s in current_structures() if s.get("must_engage")]


def structure_titles() -> dict[str, str]:
    """Structure id -> title, for every structure (then and now)."""
    return {s.id: s.get("title") for s in structures()}


def prompts() -> list[Entry]:
    """The starter prompts: roles a hub often forgets, each with why and what to ask."""
    return content().group("stakeholder_prompts")


def quadrants() -> dict[str, Entry]:
    """Box id -> the box of the power/interest grid (title, influence, interest, advice)."""
    return {q.id: q for q in content().group("quadrants")}


def content_checks() -> Iterator[str]:
    """Cross-references in the content that do not resolve: a structure's era or sector, a prompt's
    structure or sector, a gone structure marked must engage, the boxes of the grid."""
    sectors = {s.value for s in Sector}
    current = {s.id for s in current_structures()}
    for s in structures():
        if s.get("era") not in ERAS:
            yield f"structure {s.id!r} has era {s.get('era')!r}; it should be one of {', '.join(ERAS)}"
        if s.get("sector") not in sectors:
            yield f"structure {s.id!r} has sector {s.get('sector')!r}; it should be one of {', '.join(sorted(sectors))}"
        if not (s.get("then") or s.get("now")):
            yield f"structure {s.id!r} says neither what it was then nor what it is now"
        if s.get("must_engage") and s.get("era") == "then":
            yield f"structure {s.id!r} is marked must engage but has gone (era: then)"
    for p in prompts():
        if p.get("structure") is not None and p.get("structure") not in current:
            yield f"prompt {p.id!r} names structure {p.get('structure')!r}, which is not one of today's structures"
        if not p.get("role"):
            yield f"prompt {p.id!r} names no role"
        if p.get("sector") not in sectors:
            yield f"prompt {p.id!r} has sector {p.get('sector')!r}; it should be one of {', '.join(sorted(sectors))}"
    boxes = quadrants()
    if set(boxes) != set(GRID_ORDER):
        yield f"the quadrants should be {', '.join(GRID_ORDER)}; the content has {', '.join(boxes)}"
    for box_id, (influence, interest) in BOX_LEVELS.items():
        box = boxes.get(box_id)
        if box is not None and (box.get("influence"), box.get("interest")) != (influence, interest):
            yield (
                f"quadrant {box_id!r} should have influence {influence} and interest {interest}, "
                f"got {box.get('influence')} and {box.get('interest')}"
            )
