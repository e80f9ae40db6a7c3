"""The structure behind every view: headings, paragraphs, notices, lists, tables and charts as data.

Each :class:`~jointwork.render.display.Html` a view returns carries, beside its markup, the parts it
was built from. The HTML is one rendering of them; the Word and Excel outputs render the same parts
their own way (a Word table with a header row, an Excel sheet, a chart redrawn as an image) without
ever reading HTML back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Notice:
    """A highlighted note (``info``, ``warning`` or ``error``)."""

    text: str
    kind: str = "info"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table: its caption, its columns and its rows as plain values (text, numbers, None)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, Any], ...]
    empty: str = "Nothing recorded yet."


@dataclass(frozen=True)
class Chart:
    """A chart's data, so any renderer can draw it: ``kind`` says which of the fields are used.

    ``bar``: ``categories`` and ``series`` ((name, values), ...) up to ``max_value``;
    ``dot``: ``categories`` and ``series`` as for ``bar``, each value a dot on a scale from ``min_value``
    to ``max_value`` (a row per category, a dot per series: e.g. this round's and the last round's means);
    ``quadrant``: ``points`` ((label, x, y, group), ...) with ``quadrants`` and ``scale``;
    ``timeline``: ``rows`` ((label, start, end, status), ...).
    """

    kind: Literal["bar", "dot", "quadrant", "timeline", "diagram"]
    title: str
    description: str
    data: Table
    categories: tuple[str, ...] = ()
    series: tuple[tuple[str, tuple[float | None, ...]], ...] = ()
    max_value: float = 0.0
    min_value: float = 0.0
    value_format: str = "{:.1f}"
    axis_label: str = ""
    points: tuple[tuple[str, float, float, int], ...] = ()
    quadrants: tuple[str, ...] = ()
    x_label: str = ""
    y_label: str = ""
    scale: int = 5
    rows: tuple[tuple[Any, ...], ...] = ()
    svg: str = field(default="", compare=False)


@dataclass(frozen=True)
class Text:
    """Content that was written as markup directly: kept as its plain text."""

    text: str


Part = Heading | Paragraph | Notice | Bullets | Table | Chart | Text


def tables(parts: Sequence[Part]) -> list[Table]:
    """Every table among ``parts``, charts' data tables included, in order."""
    found: list[Table] = []
    for part in parts:
        if isinstance(part, Table):
            found.append(part)
        elif isinstance(part, Chart):
            found.append(part.data)
    return found
