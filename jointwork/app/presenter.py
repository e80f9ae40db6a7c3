"""The presenter view (served by the app itself, no kernel): ``/present?area=E06000045&product=3``.

For the projector: a product's results only, one finding per screen, in large type, the disagreement
between sectors first, moved through with the arrow keys (``static/presenter.js``; without it the
findings follow each other down the page). The findings are the product's own views, drawn from the
area's saved plan and its partners' responses exactly as the workbook draws them (so sector
breakdowns below three respondents stay hidden, as there). The order: the views a product declares
for presenting (``Product.presenter``), else its report parts, with any about disagreement first.
"""

from __future__ import annotations

import os
from typing import Any

from markupsafe import Markup

from ..core.areas import find_area
from ..core.errors import AreaNotFound, JointworkError, PlanError
from ..core.product import Product, ReportPart
from ..core.responses import ResponseStore
from ..products import PRODUCTS, get_product, plan_store
from ..render.pack import clean_fragment
from .kernel import area_key, plan_problem, product_url, start_url
from .pages import page_template

PRESENT_PATH = "present"  # under the app's base URL


def present_url(area_code: str, product: Product, base: str = "/") -> str:
    """The presenter view of a product for an area."""
    return f"{base}{PRESENT_PATH}?area={area_code}&product={product.number}"


def findings(product: Product) -> list[ReportPart]:
    """The product's findings in the order they are shown: its presenter parts, else its report
    parts with those about disagreement first."""
    declared = list(getattr(product, "presenter", ()) or ())
    if declared:
        return declared
    parts = list(product.report)
    return sorted(parts, key=lambda part: 0 if "disagree" in part.title.lower() else 1)


def presenter_page(
    area_query: str | None, product_query: str | None, workspace: str | os.PathLike[str] | None = None, base: str = "/"
) -> tuple[int, str]:
    """The status and the page of the presenter view (a problem in words when it cannot be shown)."""
    page: dict[str, Any] = {"base": base, "title": "Presenter view - jointwork", "slides": [], "problem": Markup()}
    page["back"] = start_url(None, base)
    try:
        product = get_product((product_query or "").strip()[:20] or "3")
        area = find_area(area_key((area_query or "").strip()[:100]))
    except (AreaNotFound, JointworkError) as exc:
        page["problem"] = Markup(f"<p><strong>What is wrong:</strong> {Markup.escape(str(exc))}</p>")
        return 404, page_template("presenter.html.j2").render(page, heading="This presenter view cannot be shown")
    store = plan_store(workspace)
    try:
        plan = store.load(area.code) if store.exists(area.code) else store.new(area.code)
        responses = ResponseStore(workspace).area(area.code)
    except (PlanError, OSError, JointworkError) as exc:
        page["problem"] = Markup(plan_problem(area, store.path_for(area.code), exc).markup)
        return 409, page_template("presenter.html.j2").render(page, heading="This presenter view cannot be shown")
    slides = []
    for part in findings(product):
        shown = part.show(plan, responses)
        slides.append({"title": part.title, "body": Markup(clean_fragment(getattr(shown, "markup", str(shown))))})
    page.update(
        title=f"{product.short_title} - {area.name} - presenter view",
        heading=f"{product.short_title}: {area.name}",
        slides=slides,
        back=product_url(product, area.code, base),
        others=[(p.short_title, present_url(area.code, p, base)) for p in PRODUCTS if p.report and p != product],
    )
    return 200, page_template("presenter.html.j2").render(page)
