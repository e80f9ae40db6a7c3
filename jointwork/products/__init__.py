"""The eight products of the suite: one module, one content file and one notebook each."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..content import PRODUCT_SLUGS

if TYPE_CHECKING:
    from ..plan import Plan

TITLES: dict[int, str] = {
    1: "Introduction: health and the Every Child Matters outcomes",
    2: "Health priorities: what centres and hubs can contribute",
    3: "Successful joint working needs...",
    4: "Who to engage with: children's services and health, then and now",
    5: "When to engage health while a centre or hub develops",
    6: "Our joint priorities: principles for working together",
    7: "Hearing from others: practitioners on barriers and good practice",
    8: "Find out more: a reading index",
}


@dataclass(frozen=True)
class Product:
    number: int
    slug: str
    title: str

    @property
    def notebook(self) -> str:
        """The notebook's file name, e.g. ``03_successful_joint_working.ipynb``."""
        return f"{self.number:02d}_{self.slug}.ipynb"

    @property
    def module_name(self) -> str:
        return f"{__name__}.{self.slug}"

    @property
    def available(self) -> bool:
        """Whether this product's module exists in this version of jointwork."""
        return importlib.util.find_spec(self.module_name) is not None

    def module(self) -> ModuleType:
        return importlib.import_module(self.module_name)


PRODUCTS: dict[int, Product] = {n: Product(n, slug, TITLES[n]) for n, slug in PRODUCT_SLUGS.items()}


def get_product(key: int | str) -> Product:
    """A product by number (3), numeric text ("3") or slug ("successful_joint_working")."""
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key)
    if isinstance(key, int) and key in PRODUCTS:
        return PRODUCTS[key]
    for product in PRODUCTS.values():
        if product.slug == key:
            return product
    from ..errors import InputError

    raise InputError("argument", "product", "a product number from 1 to 8 or a product slug", got=key)


def available_products() -> list[Product]:
    return [p for p in PRODUCTS.values() if p.available]


def check_references(plan: Plan) -> list[tuple[str, tuple[Any, ...], str]]:
    """Problems where a plan names content that does not exist, as (field, loc, expected)."""
    from ..validation import field_path

    problems = []
    for product in available_products():
        checker = getattr(product.module(), "check", None)
        if checker is None:
            continue
        for loc, expected in checker(plan.section(product.slug)):
            full = (product.slug, *loc)
            problems.append((field_path(full), full, expected))
    return problems
