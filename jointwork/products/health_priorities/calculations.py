"""Product 2's calculations: how much ground each objective shares with the offer, the ranked priorities,
the measures that fit an objective, and the area's figures."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ...core.content import Entry
from .content import alignments, content, current_objectives, measures, objective_titles, offers
from .model import HealthPrioritiesSection, LocalPriority

if TYPE_CHECKING:
    import pandas as pd


def overlap() -> pd.DataFrame:
    """One row per current objective: how many offer strands it meets then and now, and how strongly."""
    import pandas as pd

    eras = {o.id: o.get("era") for o in offers()}
    rows = []
    for objective in current_objectives():
        links = [a for a in alignments() if a.get("objective") == objective.id]
        rows.append(
            {
                "objective_id": objective.id,
                "objective": objective.get("title"),
                "kind": objective.get("kind"),
                "then": sum(1 for a in links if eras[a.get("offer")] == "then"),
                "now": sum(1 for a in links if eras[a.get("offer")] == "now"),
                "strong": sum(1 for a in links if a.get("strength") == "strong"),
                "links": len(links),
                "ecm": sorted({e for a in links for e in a.get("ecm", [])}),
            }
        )
    return pd.DataFrame(rows)


def ranked(section: HealthPrioritiesSection) -> list[LocalPriority]:
    """The priorities, most important (rank 1) first."""
    return sorted(section.priorities, key=lambda p: (p.rank, p.objective))


def priority_ids(section: HealthPrioritiesSection) -> str:
    """The chosen objectives' ids in rank order, joined by "; " (the cross-area summary's column)."""
    return "; ".join(p.objective for p in sorted(section.priorities, key=lambda p: p.rank))


def priority_titles(section: HealthPrioritiesSection) -> str:
    """The chosen objectives' titles in rank order, joined by "; " (an objective not in the content keeps its id)."""
    titles = objective_titles()
    return "; ".join(titles.get(p.objective, p.objective) for p in sorted(section.priorities, key=lambda p: p.rank))


def suggested_measures(objective_id: str) -> list[Entry]:
    """Measures from the content that fit an objective: the same Fingertips indicator, or named for it."""
    try:
        objective = content().entry(objective_id)
    except KeyError:
        return []
    ids = set(objective.get("fingertips_ids") or [])
    return [
        m
        for m in measures()
        if (m.get("fingertips_id") is not None and m.get("fingertips_id") in ids)
        or objective_id in (m.get("objectives") or [])
    ]


def figures(area_code: str) -> pd.DataFrame | None:
    """The area's indicator snapshot (:func:`jointwork.core.indicators.area_snapshot`), or ``None`` if it has none."""
    from ...core.errors import JointworkError
    from ...core.indicators import area_snapshot

    try:
        return area_snapshot(area_code)
    except JointworkError:
        return None


def series(area_code: str, key: str) -> pd.DataFrame:
    """Every period of one indicator for the area, its region and England (see ``area_series`` in core)."""
    from ...core.indicators import area_series

    return area_series(area_code, key)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: Any, unit: str) -> str:
    """A figure as the notebook shows it: one decimal place and its unit (``61.8%``, ``72.1 per 10,000``);
    a count as a whole number (``12,345 people``), a score with the word (``score 21.5``)."""
    if _missing(value):
        return "not published"
    if unit == "%":
        return f"{float(value):.1f}%"
    if unit == "people":
        return f"{float(value):,.0f} people"
    if unit == "score":
        return f"score {float(value):.1f}"
    return f"{float(value):.1f} {unit}"


#: What the area's cell says when it has no figure of its own, by the snapshot's ``status``.
STATUS_WORDS = {
    "suppressed": "suppressed by the publisher (small numbers)",
    "not published": "not published",
    "former area": "not published for today's area",
    "not downloaded": "not downloaded yet",
}


def area_value_text(row: Any) -> str:
    """The area's latest figure in words: the value, or what stands in its place (never a bare "nan")."""
    status = row.status
    if status == "combined" and not _missing(row.area_value):
        return f"{format_value(row.area_value, row.unit)} (one figure for {row.area} and {row.combined_with})"
    if status == "in combined area":
        if _missing(row.combined_value):
            return f"no figure of its own: counted with {row.combined_with or 'another area'}"
        return (
            f"no figure of its own: counted with {row.combined_with} "
            f"({format_value(row.combined_value, row.unit)} for both)"
        )
    if not _missing(row.area_value):
        return format_value(row.area_value, row.unit)
    return STATUS_WORDS.get(status, "not published")


def comparator_text(row: Any, column: str) -> str:
    """The region's or England's figure (``column`` is ``region_value`` or ``england_value``) in words."""
    if not row.held:
        return "not downloaded yet"
    value = getattr(row, column)
    if _missing(value):
        return "not published" if column == "england_value" else "not published for the region"
    return format_value(value, row.unit)


def trend(row: Any, frame: pd.DataFrame | None) -> str:
    """A short trend in words from the area's series (``frame`` from :func:`series`), with England's."""
    if not row.held or frame is None:
        return "none held"
    mine = frame[frame["area"].notna()]
    if row.status == "in combined area" or mine.empty:
        return "no series of its own"
    if len(mine) < 2:
        return f"one period only ({mine['period'].iloc[0]}): no trend yet"
    first, last = mine.iloc[0], mine.iloc[-1]
    if round(float(last["area"]), 1) == round(float(first["area"]), 1):
        direction = "about the same"
    else:
        direction = "down" if last["area"] < first["area"] else "up"
    gaps = int(frame.loc[first.name : last.name, "area"].isna().sum())
    words = (
        f"{direction}: {format_value(first['area'], row.unit)} in {first['period']}, "
        f"{format_value(last['area'], row.unit)} in {last['period']} ({len(mine)} periods"
        + (f", {gaps} without a figure" if gaps else "")
        + ")"
    )
    england = frame[frame["england"].notna()]
    if len(england) >= 2:
        words += (
            f"; England {format_value(england['england'].iloc[0], row.unit)} to "
            f"{format_value(england['england'].iloc[-1], row.unit)}"
        )
    if row.recent_trend:
        words += f"; Fingertips' recent trend: {row.recent_trend.lower()}"
    return words


def objectives_measured_by(key: str, fingertips_id: str) -> list[Entry]:
    """The current objectives an indicator informs: named by key (``indicator_keys``) or by Fingertips id."""
    return [
        o
        for o in current_objectives()
        if key in (o.get("indicator_keys") or [])
        or str(fingertips_id) in {str(i) for i in o.get("fingertips_ids") or []}
    ]


def figure_for(objective: Entry, snapshot: pd.DataFrame | None) -> str:
    """The area's latest figure for each indicator behind an objective, beside England's."""
    if snapshot is None:
        return "no local figure held"
    parts = []
    for key in objective.get("indicator_keys") or []:
        match = snapshot[(snapshot["key"] == key) & snapshot["held"]]
        if not match.empty:
            r = match.iloc[0]
            parts.append(
                f"{format_value(r.area_value, r.unit)} (England {format_value(r.england_value, r.unit)}, {r.period})"
            )
    return "; ".join(parts) or "no local figure held"
