"""An area's Excel workbook (``workbook.xlsx``): what the team entered and the area's figures, one table a sheet.

The tables come from the registry: each product's :attr:`~jointwork.core.product.Product.workbook` views,
shown for the plan (and the area's responses, for views that take them), give one sheet per table
they hold. Before them come the area's facts and its indicators (:func:`jointwork.core.indicators.area_snapshot`).
An area with no plan gets its facts and indicators, and a cover that says no plan has been saved.
The layout follows the Analysis Function's guidance (see :mod:`jointwork.render.spreadsheet`).
"""

from __future__ import annotations

from typing import Any

from ..core.areas import Area
from ..core.licence import ATTRIBUTION
from ..core.plan import PlanBase
from ..render import document as doc
from ..render.spreadsheet import MEDIA_TYPE, Cover, Sheet, workbook_bytes

FILE_NAME = "workbook.xlsx"
__all__ = ["FILE_NAME", "MEDIA_TYPE", "area_sheets", "area_workbook", "indicator_table"]

NOTES = {
    "illustrative": "This plan is illustrative: it was made up to show the workbook, and holds no one's real views.",
    "indicators": "The indicators are the latest published figures held by jointwork for each indicator; "
    "an indicator whose figures have not been downloaded shows [x] and says how to get them.",
    "typed": "Text in these tables is exactly as the team typed it. Text that starts with =, +, -, @, a tab or a "
    "carriage return is stored as text and is never run as a formula.",
}


def facts_table(area: Area) -> doc.Table:
    """The area's facts: code, name, region, its integrated care boards and whether they share its boundary."""
    rows = (
        {"Fact": "GSS code", "Value": area.code},
        {"Fact": "Name", "Value": area.name},
        {"Fact": "Region", "Value": area.region},
        {"Fact": "Integrated care board(s) from 1 April 2026", "Value": area.icb_names},
        {"Fact": "Integrated care board(s) of July 2022", "Value": area.icb_names_2022},
        {"Fact": "Coterminous with one integrated care board", "Value": "yes" if area.coterminous else "no"},
    )
    return doc.Table(f"{area.name}: the area", ("Fact", "Value"), rows)


def indicator_table(area: Area) -> doc.Table:
    """Every catalogue indicator's latest figure for the area, its region and England, with unit and period."""
    from ..core.indicators import area_snapshot

    snapshot = area_snapshot(area.code)
    region = next((r for r in snapshot["region"] if isinstance(r, str) and r), "the region")
    columns = (
        "Indicator",
        "Period",
        "Unit",
        f"{area.name} value",
        f"Region value ({region})",
        "England value",
        "Compared with England",
        "Better is",
        "Status of the area's figure",
        "Source",
        "Note",
    )
    rows = tuple(
        {
            "Indicator": r.indicator,
            "Period": r.period,
            "Unit": r.unit,
            f"{area.name} value": r.area_value,
            f"Region value ({region})": r.region_value,
            "England value": r.england_value,
            "Compared with England": r.compared,
            "Better is": str(r.polarity).replace(" is better", ""),
            "Status of the area's figure": r.status,
            "Source": r.source,
            "Note": r.note,
        }
        for r in snapshot.itertuples()
    )
    return doc.Table(f"{area.name}: health and early years indicators, latest period held", columns, rows)


def blank_plan(area: Area) -> PlanBase:
    """A plan with nothing entered, for an area that has none."""
    from ..products import Plan

    return Plan(area_code=area.code)


def has_entries(plan: PlanBase | None, responses: Any = None) -> bool:
    """Whether a plan exists and the team has entered anything in it, or the partners have answered a
    product's questionnaire."""
    from ..products import PRODUCTS

    return plan is not None and any(
        plan.is_started(p.slug) or (responses is not None and p.questionnaire is not None and responses.answers(p.slug))
        for p in PRODUCTS
    )


def area_sheets(area: Area, plan: PlanBase | None, responses: Any = None) -> tuple[list[Sheet], list[str]]:
    """The workbook's sheets, and the titles of the product tables that have nothing in them yet."""
    from ..products import PRODUCTS

    notes = ("illustrative",) if plan is not None and plan.illustrative else ()
    sheets = [
        Sheet("Area", facts_table(area), about=(area.describe(),)),
        Sheet("Indicators", indicator_table(area), notes=("indicators",), source="Fingertips (OHID) and DfE, as held"),
    ]
    empty: list[str] = []
    if plan is None and responses is not None:  # partners may have answered before the team saved a plan
        plan = blank_plan(area)
    if not has_entries(plan, responses):
        return sheets, empty
    for product in PRODUCTS:
        for part in product.workbook:
            tables = doc.tables(part.show(plan, responses).parts)
            for i, table in enumerate(tables, 1):
                name = f"P{product.number} {part.title}" + (f" {i}" if len(tables) > 1 else "")
                if table.rows:
                    about = (f"From product {product.short_title}.",)
                    sheets.append(Sheet(name, table, about=about, notes=(*notes, "typed")))
                else:
                    empty.append(f"{product.short_title}: {table.caption}")
    return sheets, empty


def area_workbook(area: Area, plan: PlanBase | None, responses: Any = None) -> bytes:
    """The area's ``workbook.xlsx``, as bytes (``plan`` None: no plan saved yet)."""
    sheets, empty = area_sheets(area, plan, responses)
    intro = [
        f"What the partnership for {area.name} ({area.code}) entered in the joint working workbooks, "
        "and the area's published figures: one table on each sheet, listed on the Contents sheet.",
    ]
    if not has_entries(plan if plan is not None else blank_plan(area), responses):
        intro.append(
            "No plan has been saved for this area yet, or nothing has been entered in it: this workbook holds "
            "the area's facts and figures only."
        )
    elif plan is None:
        intro.append("No plan has been saved for this area yet; the partners' answers so far are included.")
    elif plan.illustrative:
        intro.append(NOTES["illustrative"])
    about = []
    if empty:
        about.append("Nothing recorded yet in: " + "; ".join(empty) + ".")
    about.append(ATTRIBUTION)
    cover = Cover(f"{area.name}: joint working workbook", tuple(intro), tuple(about))
    return workbook_bytes(cover, sheets, NOTES, contents=f"{area.name}: contents")
