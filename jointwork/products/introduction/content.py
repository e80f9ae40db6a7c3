"""Product 1's content: the 2007-08 suite, the Every Child Matters outcomes, the emotional health
strand, case studies and the then-and-now glossary."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.content import Entry, ProductContent, load_content

SLUG = "introduction"


def content() -> ProductContent:
    """The validated content file of product 1."""
    return load_content(SLUG)


def outcomes() -> list[Entry]:
    """The five Every Child Matters outcomes, in the order of the 2004 framework."""
    return content().group("ecm_outcomes")


def outcome_titles() -> dict[str, str]:
    """Outcome id -> title (``"be_healthy"`` -> ``"Be healthy"``)."""
    return {o.id: o.get("title") for o in outcomes()}


def suite_entries() -> dict[int, Entry]:
    """The 2007-08 products by number, in number order."""
    return {entry.get("number"): entry for entry in sorted(content().group("suite"), key=lambda e: e.get("number"))}


def content_checks() -> Iterator[str]:
    """What the views need from the content and cannot find: a product number used twice in the
    suite, an outcome without a title, aims or today's health priorities."""
    seen: set[int] = set()
    for entry in content().group("suite"):
        number = entry.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            yield f"suite entry {entry.id!r} needs a product number, got {number!r}"
        elif number in seen:
            yield f"suite entry {entry.id!r} uses product number {number}, which another entry already has"
        seen.add(number)
    for outcome in outcomes():
        for field in ("title", "aims", "today"):
            if not outcome.get(field):
                yield f"outcome {outcome.id!r} has no {field!r}"
