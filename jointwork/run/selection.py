"""Choosing what a batch runs: areas from ``all``, ``region:NAME`` or codes; products from the registry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..core.errors import InputError, JointworkError

ALL = {"all", "*"}


def product_numbers() -> list[int]:
    """The registry's product numbers, in order."""
    from ..products import PRODUCTS

    return [p.number for p in PRODUCTS]


def parse_products(spec: str | int | Iterable[int | str] | None) -> list[int]:
    """Product numbers from ``"all"``, ``"3"``, ``"1,3,5"``, ``"1-3,5"`` (or a list; ``None`` means all).

    Every number must be a product in the registry; a range takes the products numbered within it.
    """
    known = product_numbers()
    if spec is None or (isinstance(spec, str) and spec.strip().casefold() in ALL):
        return known
    if isinstance(spec, int):
        pieces: list[str] = [str(spec)]
    elif isinstance(spec, str):
        pieces = [p.strip() for p in spec.split(",") if p.strip()]
    else:
        pieces = [str(p).strip() for p in spec]
    expected = f"all, or product numbers ({', '.join(map(str, known))}) such as 3, 1,3,5 or 1-3"
    chosen: set[int] = set()
    for piece in pieces:
        match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", piece)
        if not match:
            raise InputError("argument", "products", expected, got=piece)
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first not in known or last not in known or first > last:
            raise InputError("argument", "products", expected + ", lowest first in a range", got=piece)
        chosen.update(n for n in known if first <= n <= last)
    if not chosen:
        raise InputError("argument", "products", expected, got=spec)
    return [n for n in known if n in chosen]


def parse_areas(spec: str | Iterable[str]) -> list[Any]:
    """Areas from ``"all"``, ``"region:NAME"`` or ``"CODE,CODE"`` (codes, DfE codes or names), in the order given.

    Names that contain a comma ("Bristol, City of") work too. Unknown areas raise :class:`AreaNotFound`.
    """
    from ..core.areas import all_areas, areas_in_region, find_area

    if isinstance(spec, str):
        text = spec.strip()
        if text.casefold() in ALL | {"england"}:
            return all_areas()
        if text.casefold().startswith("region:"):
            return areas_in_region(text.split(":", 1)[1])
        pieces = [p.strip() for p in text.split(",") if p.strip()]
    else:
        pieces = [str(p).strip() for p in spec]
    if not pieces:
        raise InputError("argument", "areas", "all, region:NAME or a comma-separated list of area codes", got=spec)
    found: list[Any] = []
    i = 0
    while i < len(pieces):
        area = None
        if i + 1 < len(pieces):  # "Bristol, City of" arrives as two pieces
            try:
                area = find_area(f"{pieces[i]}, {pieces[i + 1]}")
                i += 2
            except JointworkError:
                area = None
        if area is None:
            area = find_area(pieces[i])
            i += 1
        if all(a.code != area.code for a in found):
            found.append(area)
    return found
