"""The registry: the one list of the suite's products, and the plan model built from it.

Each product is a package beside this file that declares its :class:`~jointwork.core.product.Product`
(number, slug, title, plan section, checks, summary columns, report parts) next to its code. To add
a product, write its package and add it to :data:`PRODUCTS`; nothing else in jointwork lists them.
"""

from __future__ import annotations

import os

from ..core.errors import InputError
from ..core.plan import PlanBase, plan_model
from ..core.product import Product
from ..core.store import PlanStore
from . import (
    find_out_more,
    health_priorities,
    hearing_from_others,
    introduction,
    joint_priorities,
    successful_joint_working,
    when_to_engage,
    who_to_engage,
)

#: The products in the order they are numbered, shown and stored.
PRODUCTS: tuple[Product, ...] = (
    introduction.PRODUCT,
    health_priorities.PRODUCT,
    successful_joint_working.PRODUCT,
    who_to_engage.PRODUCT,
    when_to_engage.PRODUCT,
    joint_priorities.PRODUCT,
    hearing_from_others.PRODUCT,
    find_out_more.PRODUCT,
)

#: The plan model: the common fields and one section per product, in registry order.
Plan: type[PlanBase] = plan_model(PRODUCTS, module=__name__)


def get_product(key: int | str) -> Product:
    """A product by number (3), numeric text ("3") or slug ("successful_joint_working")."""
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key)
    for product in PRODUCTS:
        if key in (product.number, product.slug):
            return product
    numbers = ", ".join(str(p.number) for p in PRODUCTS)
    raise InputError("argument", "product", f"a product number ({numbers}) or a product slug", got=key)


def plan_store(workspace: str | os.PathLike[str] | None = None, **options: object) -> PlanStore:
    """The plans of a workspace (default ``$JOINTWORK_WORKSPACE`` or ``./workspace``), as this suite's plans."""
    return PlanStore(workspace, Plan, **options)  # type: ignore[arg-type]
