"""The printable pre-reads: for each product that asks each partner's own answers (its registry
entry declares a questionnaire), a page of its questions, its rating scale and the area's key
figures, laid out for A4 (:func:`jointwork.render.preread.preread_html`)."""

from __future__ import annotations

from typing import Any

from ..core.areas import Area
from ..core.plan import PlanBase
from ..core.product import Product
from ..render.preread import RoundInfo, preread_html

MEDIA_TYPE = "text/html; charset=utf-8"


def file_name(product: Product) -> str:
    """The pre-read's file name, e.g. ``preread-3.html``."""
    return f"preread-{product.number}.html"


def preread_bytes(
    product: Product, area: Area, plan: PlanBase | None, responses: Any = None, round_info: RoundInfo | None = None
) -> bytes:
    """The pre-read of ``product`` for ``area`` as UTF-8 HTML; an area without a plan gets one from a
    blank plan (its figures and the questions)."""
    if plan is None:
        from ..products import Plan

        plan = Plan(area_code=area.code)
    return preread_html(product, area, plan, round_info).encode("utf-8")
