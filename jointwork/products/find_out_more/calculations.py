"""Product 8's calculations: addresses and successors, product names, search and filter, and the
index as a table (with the team's bookmarks and notes)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ...core.content import Entry
from ...core.product import Product
from .content import STATUS_LABEL, content, kinds, readings, source_of
from .model import ReadingNote, ReadingSection

if TYPE_CHECKING:
    import pandas as pd

#: The CSV's columns, in order; the team's two columns follow when there is a plan.
COLUMNS = [
    "id",
    "title",
    "publisher",
    "year",
    "kind",
    "status",
    "superseded_by",
    "topics",
    "products",
    "address",
    "original_address",
    "summary",
    "verified",
    "content_note",
]
TEAM_COLUMNS = ["bookmarked", "team_note"]


# ---- Addresses and successors --------------------------------------------------------------
def address(entry: Entry) -> tuple[str, str]:
    """(address to follow, the original address when that is an archived copy).

    An archived address is given where the original has gone; ("", "") when none was confirmed.
    """
    src = source_of(entry)
    if src.archived_url:
        return src.archived_url, src.url or ""
    return src.url or "", ""


def successor(entry: Entry) -> Entry | None:
    """The reading in the index that replaced ``entry``, when its ``superseded_by`` names one."""
    named = (entry.get("superseded_by") or "").strip()
    if not named:
        return None
    year = re.search(r"\b(19|20)\d{2}\b", named)
    stem = re.sub(r"\s*\([^)]*\)\s*$", "", named).strip().lower()
    current = content()  # read once, not once for each reading compared
    for other in current.group("readings"):
        if other.id == entry.id:
            continue
        titles = (str(other.get("title")).lower(), current.sources[other.source_keys[0]].title.lower())
        if any(t.startswith(stem) for t in titles) and (not year or str(other.get("year")) in named):
            return other
    return None


def product_names(numbers: Iterable[int], products: Sequence[Product]) -> str:
    """``"1 Introduction; 8 Find out more"``: each number with its product's title up to the colon."""
    titles = {p.number: p.title for p in products}
    return "; ".join(f"{n} {titles[n].split(':')[0]}" if n in titles else str(n) for n in numbers)


# ---- Search and filter ----------------------------------------------------------------------
def _haystack(entry: Entry) -> str:
    """Everything a search looks in, in lower case."""
    src = source_of(entry)
    parts = [
        entry.get("title"),
        entry.text,
        src.publisher,
        src.title,
        str(entry.get("year") or ""),
        entry.get("kind"),
        entry.get("status"),
        entry.get("superseded_by") or "",
        *(entry.get("topics") or []),
    ]
    return " ".join(str(p) for p in parts).lower()


def _numbering(numbers: list[int]) -> str:
    """``"1 to 8"`` for a run of numbers, else the numbers listed."""
    if numbers and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]} to {numbers[-1]}"
    return ", ".join(map(str, numbers)) or "(none: the suite is empty)"


def _as_product(value: Any, numbers: list[int]) -> int:
    """A product number of the suite from a number or its text; refused in words otherwise."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number not in numbers:
        raise ValueError(f"products are numbered {_numbering(numbers)}, got {value!r}")
    return number


def filter_readings(
    suite: Sequence[Product],
    text: str = "",
    topics: Iterable[str] = (),
    products: Iterable[int | str] = (),
    kind: str | None = None,
    status: str | None = None,
) -> list[Entry]:
    """The readings matching every word of ``text``, any of ``topics``, any of ``products``, ``kind`` and ``status``.

    ``text`` is searched (ignoring case) in the title, summary, publisher, year, kind, status, what
    replaced it and the topics. ``products`` are numbers of the products in ``suite`` (the plan's
    products). Empty filters match everything. Content order is kept.
    """
    topics = [topics] if isinstance(topics, str) else topics
    products = [products] if isinstance(products, (str, int)) else products
    all_topics = {t for r in readings() for t in r.get("topics") or []}
    wanted_topics = {str(t).strip().lower() for t in topics}
    unknown = sorted(wanted_topics - all_topics)
    if unknown:
        raise ValueError(f"no topic {unknown[0]!r}; choose from: " + ", ".join(sorted(all_topics)))
    numbers = sorted(p.number for p in suite)
    wanted_products = {_as_product(p, numbers) for p in products}
    if kind and kind not in kinds():
        raise ValueError(f"kind must be one of {', '.join(kinds())}, got {kind!r}")
    if status and status not in STATUS_LABEL:
        raise ValueError(f"status must be one of {', '.join(STATUS_LABEL)}, got {status!r}")
    words = str(text or "").lower().split()
    return [
        r
        for r in readings()
        if (not kind or r.get("kind") == kind)
        and (not status or r.get("status") == status)
        and (not wanted_topics or wanted_topics & set(r.get("topics") or []))
        and (not wanted_products or wanted_products & set(r.get("products") or []))
        and all(word in _haystack(r) for word in words)
    ]


# ---- The team's bookmarks and notes, and the index as a table -------------------------------
def notes_by_reading(section: ReadingSection) -> dict[str, ReadingNote]:
    """The team's bookmark and note on each reading it has marked, by reading id."""
    return {n.reading: n for n in section.notes}


def readings_frame(section: ReadingSection | None = None) -> pd.DataFrame:
    """One row per reading, in content order; with a plan's ``section``, the team's bookmark and note columns too."""
    import pandas as pd

    notes = notes_by_reading(section) if section is not None else {}
    rows = []
    for r in readings():
        src = source_of(r)
        follow, original = address(r)
        row = {
            "id": r.id,
            "title": r.get("title"),
            "publisher": src.publisher,
            "year": r.get("year") or src.year,
            "kind": r.get("kind"),
            "status": r.get("status"),
            "superseded_by": r.get("superseded_by") or "",
            "topics": "; ".join(r.get("topics") or []),
            "products": "; ".join(str(n) for n in r.get("products") or []),
            "address": follow,
            "original_address": original,
            "summary": r.text,
            "verified": r.verified,
            "content_note": " ".join(x.strip() for x in (r.note, src.note) if x),
        }
        if section is not None:
            mine = notes.get(r.id)
            row["bookmarked"] = bool(mine and mine.bookmarked)
            row["team_note"] = mine.note if mine else ""
        rows.append(row)
    columns = COLUMNS + (TEAM_COLUMNS if section is not None else [])
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("Int64")  # whole years, with readings of no known year left empty
    return frame
