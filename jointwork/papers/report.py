"""The short report's content: the area's facts, then each product's "short report" parts.

What the partnership agreed and where it stands, in the registry's order: each product declares
the parts a short report shows (:attr:`jointwork.core.product.Product.report`), and each part's view
returns :class:`~jointwork.render.display.Html` carrying its :mod:`~jointwork.render.document` parts.
The print view (:mod:`.html`) and the Word document (:mod:`.word`) both render these sections, so the
two always say the same. An area with no saved plan gets a report that says so plainly, with its
facts and the published figures held for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..core.areas import Area
from ..core.licence import ATTRIBUTION
from ..core.plan import PlanBase
from ..render import document as doc
from .workbook import facts_table

#: The products' parts that a report for an area with no plan still shows (product number, part title).
WITHOUT_PLAN = ((2, "The area's figures"),)


@dataclass(frozen=True)
class Block:
    """One part of the report: its heading and the document parts under it."""

    title: str
    parts: tuple[doc.Part, ...]

    def depth(self, heading: doc.Heading) -> int:
        """How far below the block's title a heading sits: 1 for the block's highest headings."""
        top = min(part.level for part in self.parts if isinstance(part, doc.Heading))
        return 1 + heading.level - top


@dataclass(frozen=True)
class Section:
    """A section of the report (the area, or one product) and its blocks."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    """The whole short report: title, the lines under it, its sections and the attribution."""

    title: str
    subtitle: tuple[str, ...]
    sections: tuple[Section, ...]
    attribution: str = ATTRIBUTION


def no_plan_text(area: Area) -> str:
    """What a report says when the area has no saved plan."""
    return (
        f"No plan has been saved for {area.name} yet, so there is nothing the partnership has agreed to "
        "report: no self-assessment, priorities, actions, stakeholders, stage plan or agreement. This report "
        "shows the area's facts and the published figures held for it. Open the products in the jointwork "
        "app to start the plan."
    )


def area_section(area: Area, plan: PlanBase | None) -> Section:
    """The area: who it is, its integrated care board(s), and what kind of plan this is."""
    parts: list[doc.Part] = [doc.Paragraph(area.describe(date.today()))]
    parts += [doc.Paragraph(text) for text in area.icb_caveats()]
    parts.append(facts_table(area))
    if plan is None:
        parts.append(doc.Notice(no_plan_text(area), "warning"))
    elif plan.illustrative:
        parts.append(
            doc.Notice(
                "This is an illustrative sample plan: its entries were made up to show how the workbooks work, "
                "and are no one's real views.",
                "warning",
            )
        )
    return Section("The area", (Block(f"{area.name} and its integrated care boards", tuple(parts)),))


def product_sections(plan: PlanBase, responses: Any = None, only: tuple[tuple[int, str], ...] = ()) -> list[Section]:
    """One section per product that declares report parts (only the parts in ``only``, when given)."""
    from ..products import PRODUCTS

    sections = []
    for product in PRODUCTS:
        blocks = tuple(
            Block(part.title, part.show(plan, responses).parts)
            for part in product.report
            if not only or (product.number, part.title) in only
        )
        if blocks:
            sections.append(Section(product.short_title, blocks))
    return sections


#: The reports built inside :func:`reports_shared`, by the ids of the area, plan and responses they are of.
_SHARED: ContextVar[dict[tuple[int, int, int], tuple[Any, ...]] | None] = ContextVar("shared_reports", default=None)


@contextmanager
def reports_shared() -> Iterator[None]:
    """Inside this block :func:`area_report` builds an area's report once for the same area, plan and
    responses objects, so the papers that show it (``report.html``, ``report.docx``) share one."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def area_report(area: Area, plan: PlanBase | None, responses: Any = None) -> Report:
    """The short report of ``area`` from its saved plan (``None``: no plan saved yet); built once per
    area, plan and responses inside :func:`reports_shared`."""
    shared = _SHARED.get()
    if shared is None:
        return _build_report(area, plan, responses)
    key = (id(area), id(plan), id(responses))
    if key not in shared:  # the objects are kept with their report, so their ids stay theirs
        shared[key] = (area, plan, responses, _build_report(area, plan, responses))
    return shared[key][-1]


def _build_report(area: Area, plan: PlanBase | None, responses: Any) -> Report:
    if plan is None:
        from ..products import Plan

        sections = [area_section(area, None), *product_sections(Plan(area_code=area.code), None, WITHOUT_PLAN)]
        status = "No plan saved yet."
    else:
        sections = [area_section(area, plan), *product_sections(plan, responses)]
        status = "Illustrative sample plan." if plan.illustrative else "From the area's saved plan."
    subtitle = (f"{area.name} ({area.code}), {area.region}", f"{status} Made on {date.today():%d %B %Y}.")
    return Report(f"{area.name}: joint working report", subtitle, tuple(sections))
