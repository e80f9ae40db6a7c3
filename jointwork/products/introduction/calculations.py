"""Product 1's calculations: what each section of a plan holds (the team's progress through the
suite) and which areas match a search."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.areas import Area, search_areas, search_key
from ...core.plan import PlanBase as Plan

if TYPE_CHECKING:
    import pandas as pd

MAX_MATCHES = 12


# ---- Progress through the suite ------------------------------------------------------------
def section_entries(section: Any) -> list[tuple[str, int]]:
    """What each field of a plan section holds, as (label, count), in the order of the fields.

    A list or mapping counts its items (respondents, stakeholders, outcome notes...); a text, date
    or other single value counts 1 when it is filled in. Works for any section of the plan.
    """
    found = []
    for name, field in type(section).model_fields.items():
        value = getattr(section, name)
        if isinstance(value, (list, tuple, dict, set)):
            count = sum(1 for v in (value.values() if isinstance(value, dict) else value) if v not in ("", None))
        elif isinstance(value, str):
            count = 1 if value.strip() else 0
        else:
            count = 0 if value is None or value == field.get_default(call_default_factory=True) else 1
        found.append((name.replace("_", " "), count))
    return found


def _describe(entries: list[tuple[str, int]], section: Any) -> tuple[list[str], list[str]]:
    """The labels of the filled fields (with their counts for lists) and of the empty ones."""
    collections = {
        name.replace("_", " ")
        for name, value in ((n, getattr(section, n)) for n in type(section).model_fields)
        if isinstance(value, (list, tuple, dict, set))
    }
    filled = [f"{label}: {count}" if label in collections else label for label, count in entries if count]
    empty = [label for label, count in entries if not count]
    return filled, empty


def progress(plan: Plan, responses: Any = None) -> pd.DataFrame:
    """One row per product of the plan's suite: whether the team has started it and what its section holds
    (and, for a product that asks each partner, how many responses its current round has).

    Columns: ``number``, ``slug``, ``title``, ``notebook`` (file name), ``started`` (bool),
    ``status`` ("started" or "not started"), ``entries`` (see :func:`section_entries`), ``filled``
    and ``not_filled`` ("; "-joined field labels, e.g. "respondents: 4; actions: 2").
    """
    import pandas as pd

    rows = []
    for product in type(plan).products:
        section = product.section_of(plan)
        entries = section_entries(section)
        filled, empty = _describe(entries, section)
        started = plan.is_started(product.slug)
        if product.questionnaire is not None:
            answered = len(responses.answers(product.slug)) if responses is not None else 0
            entries.insert(0, ("responses", answered))
            (filled.insert(0, f"responses: {answered}") if answered else empty.insert(0, "responses"))
            started = started or answered > 0
        rows.append(
            {
                "number": product.number,
                "slug": product.slug,
                "title": product.title,
                "notebook": product.notebook,
                "started": started,
                "status": "started" if started else "not started",
                "entries": sum(count for _label, count in entries),
                "filled": "; ".join(filled),
                "not_filled": "; ".join(empty),
            }
        )
    return pd.DataFrame(rows)


# ---- Areas ---------------------------------------------------------------------------------
def coterminosity(area: Area) -> str:
    """How the area's boundary fits the NHS from 1 April 2026: one ICB of its own, one shared ICB, or several."""
    basis = "" if area.icb_basis == "exact" else f" ({area.icb_basis})"
    if area.coterminous:
        return f"yes: one ICB, which covers no other council{basis}"
    if area.single_icb:
        return f"no: one ICB, shared with other councils{basis}"
    return f"no: spans {len(area.main_icbs)} ICBs{basis}"


def icb_list(area: Area) -> str:
    """The area's ICBs from 1 April 2026 with their ODS codes, each one's share where it has several, and
    how sure the link is where it is only likely, uncertain or a small sliver."""
    parts = []
    for link in area.icbs:
        share = (
            f" ({link.lsoa_share:.1%} of the area's LSOAs)"
            if link.lsoa_share is not None and not area.single_icb
            else ""
        )
        how = "a small sliver" if link.sliver else link.confidence if link.confidence in ("likely", "uncertain") else ""
        parts.append(f"{link.name} [{link.ods_code}]{share}" + (f" ({how})" if how else ""))
    return "; ".join(parts) or "none recorded"


def find_matches(text: str) -> list[Area]:
    """Areas matching ``text`` (see :func:`jointwork.core.areas.search_areas`), best first.

    An exact code or name comes first, then names that start with the text, then names that
    contain it, then matches on region or ICB; alphabetical within each group.
    """
    needle = search_key(text)
    if not needle:
        return []

    def rank(area: Area) -> int:
        name = search_key(area.name)
        if needle in (name, area.code.casefold(), area.dfe_code.casefold()):
            return 0
        if name.startswith(needle):
            return 1
        return 2 if needle in name else 3

    return sorted(search_areas(text), key=lambda a: (rank(a), a.name))
