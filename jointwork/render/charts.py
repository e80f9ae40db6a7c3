"""Accessible charts as inline SVG: deterministic, offline, readable by screen readers.

Each chart states its finding in the title, carries a text description, labels values directly
(so colour is never the only carrier of meaning) and comes with its data as a table.
Colours are the Analysis Function ``afcharts`` palette.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from math import ceil, sqrt

from . import document as doc
from .display import Html, esc, table

PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
FONT = "font-family:Arial,Helvetica,sans-serif;font-size:12px"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chart"


def _figure(
    svg_body: str,
    width: int,
    height: int,
    title: str,
    description: str,
    data: Html,
    chart: dict[str, object] | None = None,
) -> Html:
    """The chart as a figure: the SVG with its title and description, the text alternative, and the
    data as a table; ``chart`` holds the fields of its :class:`~jointwork.render.document.Chart` part."""
    ident = _slug(title)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-t {ident}-d" style="{FONT}">'
        f'<title id="{ident}-t">{esc(title)}</title><desc id="{ident}-d">{esc(description)}</desc>'
        f"{svg_body}</svg>"
    )
    markup = (
        f'<figure class="jw-chart" style="margin:8px 0"><figcaption><strong>{esc(title)}</strong></figcaption>'
        f"{svg}<p>{esc(description)}</p><details><summary>Chart data as a table</summary>"
        f"{data.markup}</details></figure>"
    )
    table_part = next((p for p in data.parts if isinstance(p, doc.Table)), doc.Table(title, (), ()))
    part = doc.Chart(**{"kind": "bar", **(chart or {})}, title=title, description=description, data=table_part, svg=svg)
    return Html(markup, f"{title}\n{description}\n{data.text}", (part,))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    title: str,
    description: str,
    max_value: float,
    value_format: str = "{:.1f}",
    axis_label: str = "",
) -> Html:
    """Horizontal bars, grouped by category, one bar per series, each labelled with series and value."""
    label_width, bar_area, bar_h, gap = 260, 320, 16, 10
    group_h = bar_h * len(series) + gap
    height = 40 + group_h * len(categories) + 30
    width = label_width + bar_area + 140
    parts = []
    for tick in range(0, 5):
        x = label_width + bar_area * tick / 4
        value = max_value * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="30" x2="{x:.1f}" y2="{height - 30}" stroke="#ccc"/>'
            f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{esc(value_format.format(value))}</text>'
        )
    if axis_label:
        parts.append(
            f'<text x="{label_width + bar_area / 2:.1f}" y="{height - 1}" text-anchor="middle">{esc(axis_label)}</text>'
        )
    for i, category in enumerate(categories):
        top = 34 + i * group_h
        parts.append(
            f'<text x="{label_width - 8}" y="{top + bar_h * len(series) / 2 + 4:.1f}" '
            f'text-anchor="end">{esc(_shorten(category, 40))}</text>'
        )
        for j, s in enumerate(series):
            value = s.values[i]
            y = top + j * bar_h
            colour = PALETTE[j % len(PALETTE)]
            if value is None:
                parts.append(
                    f'<text x="{label_width + 4}" y="{y + bar_h - 4}" fill="#3D3D3D">{esc(s.name)}: no rating</text>'
                )
                continue
            w = bar_area * max(0.0, min(value, max_value)) / max_value
            parts.append(
                f'<rect x="{label_width}" y="{y + 1}" width="{w:.1f}" height="{bar_h - 3}" fill="{colour}">'
                f"<title>{esc(s.name)}: {esc(value_format.format(value))}</title></rect>"
                f'<text x="{label_width + w + 4:.1f}" y="{y + bar_h - 4}">{esc(s.name)} '
                f"{esc(value_format.format(value))}</text>"
            )
    rows = [
        {"": c, **{s.name: (None if s.values[i] is None else value_format.format(s.values[i])) for s in series}}
        for i, c in enumerate(categories)
    ]
    chart = {
        "kind": "bar",
        "categories": tuple(categories),
        "series": tuple((s.name, tuple(s.values)) for s in series),
        "max_value": max_value,
        "value_format": value_format,
        "axis_label": axis_label,
    }
    return _figure("".join(parts), width, height, title, description, table(rows, title), chart)


def dot_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    title: str,
    description: str,
    min_value: float,
    max_value: float,
    value_format: str = "{:.1f}",
    axis_label: str = "",
) -> Html:
    """A dot chart: one row per category, a dot per series on a scale from ``min_value`` to ``max_value``,
    each dot labelled with its series and value on its own line (shape and text, not colour alone)."""
    label_width, plot, line_h, gap = 260, 320, 16, 10
    span = (max_value - min_value) or 1.0
    group_h = line_h * max(1, len(series)) + gap
    height = 40 + group_h * len(categories) + 30
    width = label_width + plot + 200
    shapes = ("circle", "square", "diamond")
    parts = []
    steps = int(span) if float(span).is_integer() and span <= 10 else 4
    for tick in range(steps + 1):
        value = min_value + span * tick / steps
        x = label_width + plot * tick / steps
        parts.append(
            f'<line x1="{x:.1f}" y1="30" x2="{x:.1f}" y2="{height - 30}" stroke="#ccc"/>'
            f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{esc(value_format.format(value))}</text>'
        )
    if axis_label:
        parts.append(
            f'<text x="{label_width + plot / 2:.1f}" y="{height - 1}" text-anchor="middle">{esc(axis_label)}</text>'
        )
    for i, category in enumerate(categories):
        top = 34 + i * group_h
        middle = top + line_h * len(series) / 2
        parts.append(
            f'<text x="{label_width - 8}" y="{middle + 4:.1f}" text-anchor="end">{esc(_shorten(category, 40))}</text>'
            f'<line x1="{label_width}" y1="{middle:.1f}" x2="{label_width + plot}" y2="{middle:.1f}" stroke="#999"/>'
        )
        for j, s in enumerate(series):
            value = s.values[i]
            y = top + j * line_h + line_h / 2
            colour = PALETTE[j % len(PALETTE)]
            if value is None:
                parts.append(
                    f'<text x="{label_width + plot + 8}" y="{y + 4:.1f}" fill="#3D3D3D">{esc(s.name)}: no rating</text>'
                )
                continue
            x = label_width + plot * (max(min_value, min(value, max_value)) - min_value) / span
            tip = f"<title>{esc(s.name)}: {esc(value_format.format(value))}</title>"
            shape = shapes[j % len(shapes)]
            if shape == "circle":
                mark = f'<circle cx="{x:.1f}" cy="{middle:.1f}" r="6" fill="{colour}">{tip}</circle>'
            elif shape == "square":
                mark = f'<rect x="{x - 5:.1f}" y="{middle - 5:.1f}" width="10" height="10" fill="{colour}">{tip}</rect>'
            else:
                mark = (
                    f'<polygon points="{x:.1f},{middle - 7:.1f} {x + 7:.1f},{middle:.1f} {x:.1f},{middle + 7:.1f} '
                    f'{x - 7:.1f},{middle:.1f}" fill="{colour}">{tip}</polygon>'
                )
            parts.append(
                mark + f'<text x="{label_width + plot + 8}" y="{y + 4:.1f}" fill="{colour}">'
                f"{esc(_shorten(s.name, 24))} {esc(value_format.format(value))}</text>"
            )
    rows = [
        {"": c, **{s.name: (None if s.values[i] is None else value_format.format(s.values[i])) for s in series}}
        for i, c in enumerate(categories)
    ]
    chart = {
        "kind": "dot",
        "categories": tuple(categories),
        "series": tuple((s.name, tuple(s.values)) for s in series),
        "min_value": min_value,
        "max_value": max_value,
        "value_format": value_format,
        "axis_label": axis_label,
    }
    return _figure("".join(parts), width, height, title, description, table(rows, title), chart)


#: How many characters of a label the key beside a quadrant grid shows, and the room it leaves them.
KEY_LABEL_CHARS = 36
KEY_TEXT_WIDTH = 250


def quadrant_grid(
    points: Sequence[tuple[str, float, float, int]],
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    quadrants: tuple[str, str, str, str],
    scale: int = 5,
) -> Html:
    """A 2x2 grid (e.g. power/interest): points are (label, x, y, colour group), scores from 1 to ``scale``.

    Each dot carries its number (1, 2... in the order given) and a key beside the grid lists
    "number. label", so labels never collide. Dots with the same scores sit side by side around
    their point, inside its cell, so none hides another. ``quadrants`` are named top-left,
    top-right, bottom-left, bottom-right (written just outside the grid's corners).
    """
    size, pad, row_h = 360, 50, 18
    cell = size / scale
    key_x = pad + size + 24
    width = key_x + 18 + KEY_TEXT_WIDTH
    height = max(size + pad * 2, pad + row_h * len(points) + 10)

    def sx(v: float) -> float:
        return pad + size * (v - 0.5) / scale

    def sy(v: float) -> float:
        return pad + size - size * (v - 0.5) / scale

    mid = pad + size / 2
    parts = [
        f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" stroke="#3D3D3D"/>',
        f'<line x1="{mid}" y1="{pad}" x2="{mid}" y2="{pad + size}" stroke="#3D3D3D" stroke-dasharray="4"/>',
        f'<line x1="{pad}" y1="{mid}" x2="{pad + size}" y2="{mid}" stroke="#3D3D3D" stroke-dasharray="4"/>',
        f'<text x="{mid}" y="{pad + size + 38}" text-anchor="middle">{esc(x_label)}</text>',
        f'<text x="14" y="{mid}" text-anchor="middle" transform="rotate(-90 14 {mid})">{esc(y_label)}</text>',
    ]
    corners = [
        (pad, pad - 8, "start"),
        (pad + size, pad - 8, "end"),
        (pad, pad + size + 16, "start"),
        (pad + size, pad + size + 16, "end"),
    ]
    for (x, y, anchor), name in zip(corners, quadrants, strict=True):
        parts.append(
            f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="#3D3D3D" font-style="italic">{esc(name)}</text>'
        )

    # dots that share a position: a small block of rows inside the cell, the same spacing for every group
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (_label, x, y, _group) in enumerate(points):
        groups.setdefault((x, y), []).append(i)
    largest = max((len(g) for g in groups.values()), default=1)
    across = ceil(sqrt(largest))
    spacing = min(22.0, (cell - 4) / across)
    radius = min(9.0, spacing / 2 - 1.5)
    centre: dict[int, tuple[float, float]] = {}
    for (x, y), members in groups.items():
        for i, (dx, dy) in zip(members, _spread(len(members), spacing), strict=True):
            centre[i] = (sx(x) + dx, sy(y) + dy)

    parts.append(f'<text x="{key_x}" y="{pad - 8}" font-weight="bold">Numbers on the grid</text>')
    for i, (label, x, y, group) in enumerate(points):
        number = str(i + 1)
        fill = PALETTE[group % len(PALETTE)]
        cx, cy = centre[i]
        font = min(11.0, (2 * radius - 3) / (0.62 * len(number)), (radius - 0.5) / 0.65)  # fits across and up
        parts.append(
            f'<g><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{fill}">'
            f"<title>{esc(f'{number}. {label}: {x_label} {x}; {y_label} {y}')}</title></circle>"
            f'<text x="{cx:.1f}" y="{cy + font * 0.35:.1f}" text-anchor="middle" font-size="{font:.1f}px" '
            f'font-weight="bold" fill="{_text_colour(fill)}">{number}</text></g>'
        )
        top = pad + row_h * i
        parts.append(
            f'<circle cx="{key_x + 6}" cy="{top + 9}" r="5" fill="{fill}"/>'
            f'<text x="{key_x + 18}" y="{top + 13}">{esc(number)}. '
            f"{esc(_shorten(label, KEY_LABEL_CHARS))}</text>"
        )
    rows = [{"": f"{i + 1}. {label}", x_label: x, y_label: y} for i, (label, x, y, _) in enumerate(points)]
    chart = {
        "kind": "quadrant",
        "points": tuple(tuple(p) for p in points),
        "quadrants": tuple(quadrants),
        "x_label": x_label,
        "y_label": y_label,
        "scale": scale,
    }
    return _figure("".join(parts), width, height, title, description, table(rows, title), chart)


def _spread(count: int, spacing: float) -> list[tuple[float, float]]:
    """Offsets for ``count`` dots sharing one point: rows of up to ceil(sqrt(count)), centred on it."""
    across = ceil(sqrt(count))
    rows = ceil(count / across)
    offsets = []
    for index in range(count):
        row, column = divmod(index, across)
        in_row = min(across, count - row * across)
        offsets.append(((column - (in_row - 1) / 2) * spacing, (row - (rows - 1) / 2) * spacing))
    return offsets


def _text_colour(fill: str) -> str:
    """White or near-black, whichever contrasts more with ``fill`` (WCAG relative luminance)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(fill[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#FFFFFF" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "#0B0C0C"


def timeline(rows: Sequence[tuple[str, date, date, str]], title: str, description: str) -> Html:
    """A Gantt-style timeline: rows are (label, start, end, status word); the status is written on the bar."""
    status_colour = {"red": "#801650", "amber": "#F46A25", "green": "#28A197"}
    label_width, area, bar_h = 260, 420, 20
    if not rows:
        return Html(
            f"<p><strong>{esc(title)}</strong>: no dated activities yet.</p>", f"{title}: no dated activities yet."
        )
    first = min(r[1] for r in rows)
    last = max(r[2] for r in rows)
    span = max((last - first).days, 1)
    height = 40 + bar_h * len(rows) + 30
    parts = []
    for i, (label, start, end, status) in enumerate(rows):
        y = 34 + i * bar_h
        x = label_width + area * (start - first).days / span
        w = max(area * (end - start).days / span, 3)
        colour = status_colour.get(status, "#12436D")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end">{esc(_shorten(label, 40))}</text>'
            f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 5}" fill="{colour}"/>'
            f'<text x="{x + w + 4:.1f}" y="{y + 14}">{esc(status or "no status")}</text>'
        )
    parts.append(
        f'<text x="{label_width}" y="{height - 10}">{first.isoformat()}</text>'
        f'<text x="{label_width + area}" y="{height - 10}" text-anchor="end">{last.isoformat()}</text>'
    )
    data = table(
        [{"activity": r[0], "start": r[1].isoformat(), "end": r[2].isoformat(), "status": r[3]} for r in rows], title
    )
    chart = {"kind": "timeline", "rows": tuple(tuple(r) for r in rows)}
    return _figure("".join(parts), label_width + area + 120, height, title, description, data, chart)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- Organisation diagrams ------------------------------------------------------------------
#: A generous estimate of one character's width, in ems: labels wrap before they could overflow.
DIAGRAM_CHAR_EM = 0.62
#: Font sizes (px) of a group's heading, a frame's or box's heading and the detail lines under it.
DIAGRAM_SIZES = {"group": 14.0, "frame": 12.0, "box": 12.0, "detail": 11.0}
DIAGRAM_LINE = 1.3  # line height, in ems
DIAGRAM_PAD = 6.0  # space between a box's edge and its text
DIAGRAM_INK = "#0B0C0C"
#: How each relation is drawn: (dash pattern, arrow at the target, colour, legend words).
DIAGRAM_RELATIONS: dict[str, tuple[str, bool, str, str]] = {
    "accountable to": ("", True, PALETTE[0], "solid line, arrow to the body it answers to"),
    "commissions": ("8 4", True, PALETTE[2], "dashed line, arrow to the service commissioned"),
    "works with": ("2 3", False, PALETTE[4], "dotted line, no arrow: the two work together"),
}


@dataclass(frozen=True)
class DiagramBox:
    """One box of an organisation diagram, placed by the caller (top-left ``x``, ``y``, in px).

    ``kind`` is ``box`` (a body, filled), ``frame`` (a body that holds the boxes whose ``parent`` it
    is, heading at its top) or ``group`` (a heading over boxes that belong together, no outline).
    ``name`` is how the text equivalent and the data table refer to it (``heading`` if blank);
    ``facts`` are extra (column, value) pairs for the data table; ``colour`` indexes ``PALETTE``.
    """

    id: str
    heading: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...] = ()
    kind: str = "box"
    parent: str | None = None
    colour: int = 0
    name: str = ""
    facts: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return self.name or self.heading


@dataclass(frozen=True)
class DiagramLink:
    """A line from ``source`` to ``target`` meaning ``relation`` (a key of ``DIAGRAM_RELATIONS``),
    drawn through ``route`` (px, from the source's edge to the target's)."""

    source: str
    relation: str
    target: str
    route: tuple[tuple[float, float], ...]


def text_em(text: str) -> float:
    """A generous estimate of ``text``'s width in ems, in Arial or Helvetica, bold or not: wider than
    the real width of most text, with capitals and the widest letters allowed more."""
    return sum(0.9 if c in "mwMW@%" else 0.75 if c.isupper() else DIAGRAM_CHAR_EM for c in text)


def wrap_label(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines that fit ``width`` px at ``size`` px by :func:`text_em`; a word too long for
    a line is split with a hyphen."""

    def fits(line: str) -> bool:
        return text_em(line) * size <= width

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and not fits(word):
            cut = max(1, max((n for n in range(1, len(word)) if fits(word[:n] + "-")), default=1))
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _label_lines(kind: str, heading: str, lines: Sequence[str], width: float) -> list[tuple[str, float, bool]]:
    """(text, size, bold) for each line a box of ``width`` px shows."""
    inner = width - 2 * DIAGRAM_PAD
    size = DIAGRAM_SIZES[kind]
    out = [(line, size, True) for line in wrap_label(heading, inner, size)]
    for detail in lines:
        out += [(line, DIAGRAM_SIZES["detail"], False) for line in wrap_label(detail, inner, DIAGRAM_SIZES["detail"])]
    return out


def label_height(kind: str, heading: str, lines: Sequence[str], width: float) -> float:
    """The height a box (or a frame's or group's heading) of ``width`` px needs for its text."""
    return 2 * DIAGRAM_PAD + sum(size * DIAGRAM_LINE for _, size, _ in _label_lines(kind, heading, lines, width))


def _tint(colour: str, keep: float) -> str:
    """``colour`` mixed with white, keeping ``keep`` of it."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02X}" for c in (r, g, b))


def _box_svg(box: DiagramBox) -> str:
    colour = PALETTE[box.colour % len(PALETTE)]
    text = _label_lines(box.kind, box.heading, box.lines, box.width)
    block = sum(size * DIAGRAM_LINE for _, size, _ in text)
    if box.kind == "box":  # the text in the middle of the box
        y = box.y + (box.height - block) / 2
        shape = (
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" rx="4" '
            f'fill="{_tint(colour, 0.14)}" stroke="{colour}" stroke-width="1.5"/>'
        )
    else:  # a frame's or group's heading at its top
        y = box.y + DIAGRAM_PAD
        stroke = f'stroke="{colour}" stroke-width="2"' if box.kind == "frame" else 'stroke="none"'
        fill = _tint(colour, 0.05) if box.kind == "frame" else "none"
        shape = (
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" rx="6" '
            f'fill="{fill}" {stroke}/>'
        )
    parts = [f'<g class="jw-{box.kind}" data-id="{esc(box.id)}">{shape}']
    for line, size, bold in text:
        y += size * DIAGRAM_LINE
        weight = ' font-weight="bold"' if bold else ""
        parts.append(
            f'<text x="{box.x + DIAGRAM_PAD:.1f}" y="{y - size * 0.3:.1f}" font-size="{size:g}px"{weight} '
            f'fill="{DIAGRAM_INK}">{esc(line)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _arrowhead(tip: tuple[float, float], before: tuple[float, float], colour: str) -> str:
    (x2, y2), (x1, y1) = tip, before
    length = max(sqrt((x2 - x1) ** 2 + (y2 - y1) ** 2), 1e-9)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    base_x, base_y = x2 - ux * 8, y2 - uy * 8
    points = [(x2, y2), (base_x - uy * 4, base_y + ux * 4), (base_x + uy * 4, base_y - ux * 4)]
    return f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" fill="{colour}"/>'


def _link_svg(link: DiagramLink) -> str:
    dash, arrow, colour, _words = DIAGRAM_RELATIONS[link.relation]
    pattern = f' stroke-dasharray="{dash}"' if dash else ""
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in link.route)
    head = _arrowhead(link.route[-1], link.route[-2], colour) if arrow else ""
    return (
        f'<g class="jw-link" data-relation="{esc(link.relation)}" data-source="{esc(link.source)}" '
        f'data-target="{esc(link.target)}"><polyline points="{points}" fill="none" stroke="{colour}" '
        f'stroke-width="1.6"{pattern}/>{head}</g>'
    )


def _legend_svg(x: float, y: float, width: float) -> tuple[str, float]:
    """The key to the lines and frames, in a row (two if it does not fit), and the height it takes."""
    items = [(relation, words) for relation, (_d, _a, _c, words) in DIAGRAM_RELATIONS.items()]
    items.append(("inside a frame", "part of the body named at the frame's top"))
    parts = [f'<g class="jw-legend"><text x="{x:.1f}" y="{y + 12:.1f}" font-weight="bold">Key</text>']
    column = (width - 40) / 2
    for i, (relation, words) in enumerate(items):
        row, col = divmod(i, 2)
        left, top = x + 40 + col * column, y + row * 20
        if relation in DIAGRAM_RELATIONS:
            dash, arrow, colour, _ = DIAGRAM_RELATIONS[relation]
            link = DiagramLink("", relation, "", ((left, top + 8), (left + 44, top + 8)))
            parts.append(_link_svg(link))
        else:
            parts.append(
                f'<rect x="{left:.1f}" y="{top:.1f}" width="44" height="16" rx="4" fill="none" '
                f'stroke="{PALETTE[4]}" stroke-width="2"/><rect x="{left + 10:.1f}" y="{top + 4:.1f}" width="24" '
                f'height="8" rx="2" fill="{_tint(PALETTE[4], 0.14)}" stroke="{PALETTE[4]}"/>'
            )
        parts.append(f'<text x="{left + 52:.1f}" y="{top + 12:.1f}">{esc(relation)}: {esc(words)}</text>')
    parts.append("</g>")
    return "".join(parts), 20 * ceil(len(items) / 2) + 4


def _relations_of(box: DiagramBox, links: Sequence[DiagramLink], names: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"Accountable to": [], "Commissions": [], "Commissioned by": [], "Works with": []}
    for link in links:
        if link.relation == "accountable to" and link.source == box.id:
            found["Accountable to"].append(names[link.target])
        elif link.relation == "commissions" and link.source == box.id:
            found["Commissions"].append(names[link.target])
        elif link.relation == "commissions" and link.target == box.id:
            found["Commissioned by"].append(names[link.source])
        elif link.relation == "works with" and box.id in (link.source, link.target):
            found["Works with"].append(names[link.target if link.source == box.id else link.source])
    return found


def _list_item(box: DiagramBox, relations: dict[str, list[str]]) -> str:
    said = [box.heading + (f" ({'; '.join(box.lines)})" if box.lines else "")]
    said += [f"{key.lower()} {'; '.join(values)}" for key, values in relations.items() if values]
    return ". ".join([said[0][0].upper() + said[0][1:], *(s[0].upper() + s[1:] for s in said[1:])]) + "."


def org_chart(
    boxes: Sequence[DiagramBox],
    links: Sequence[DiagramLink],
    title: str,
    description: str,
    width: int = 1000,
) -> Html:
    """An organisation diagram: boxes, frames and groups placed by the caller, joined by lines that say
    "accountable to", "commissions" or "works with" by their dash pattern and arrows (a key below
    says which is which), with every label written as text in the SVG.

    Beside the SVG come the text equivalent (a nested list of the same boxes, frames inside frames,
    each with its relations) and the data table (a row per box); the chart part is kind "diagram",
    its ``rows`` the boxes ("box", id, kind, parent, name, details) and the links ("link", source,
    relation, target).
    """
    ids = [b.id for b in boxes]
    if len(set(ids)) != len(ids):
        raise ValueError("every box of a diagram needs its own id")
    names = {b.id: b.label for b in boxes}
    for link in links:
        if link.relation not in DIAGRAM_RELATIONS:
            raise ValueError(f"unknown relation {link.relation!r}; use one of {', '.join(DIAGRAM_RELATIONS)}")
        if link.source not in names or link.target not in names:
            raise ValueError(f"a link joins {link.source!r} to {link.target!r}, which are not both boxes")
    order = {"group": 0, "frame": 1, "box": 2}
    body = [_box_svg(b) for b in sorted(boxes, key=lambda b: order.get(b.kind, 2))]
    body += [_link_svg(link) for link in links]
    bottom = max((b.y + b.height for b in boxes), default=0.0)
    legend, legend_height = _legend_svg(8, bottom + 14, width - 16)
    body.append(legend)
    height = ceil(bottom + 14 + legend_height + 8)

    children: dict[str | None, list[DiagramBox]] = {}
    for b in boxes:
        children.setdefault(b.parent, []).append(b)

    def nested(parent: str | None, depth: int) -> tuple[str, list[str]]:
        items, plain = [], []
        for b in children.get(parent, []):
            item = _list_item(b, _relations_of(b, links, names))
            inner, inner_plain = nested(b.id, depth + 1)
            items.append(f"<li>{esc(item)}{inner}</li>")
            plain += ["  " * depth + "- " + item, *inner_plain]
        return (f"<ul>{''.join(items)}</ul>" if items else ""), plain

    def inside(b: DiagramBox) -> str:
        chain = []
        while b.parent is not None:
            b = next(p for p in boxes if p.id == b.parent)
            chain.append(b.label)
        return " / ".join(reversed(chain))

    rows = []
    for b in boxes:
        relations = _relations_of(b, links, names)
        rows.append(
            {
                "Box": b.label,
                "Inside": inside(b) or "(top level)",
                "Details": "; ".join(b.lines),
                **dict(b.facts),
                **{key: "; ".join(values) for key, values in relations.items()},
            }
        )
    columns = ["Box", "Inside", "Details"]
    columns += [key for b in boxes for key, _ in b.facts if key not in columns]
    columns += ["Accountable to", "Commissions", "Commissioned by", "Works with"]
    columns = list(dict.fromkeys(columns))
    data = table([{c: r.get(c, "") for c in columns} for r in rows], title, columns)
    chart = {
        "kind": "diagram",
        "rows": tuple(("box", b.id, b.kind, b.parent, b.label, tuple(b.lines)) for b in boxes)
        + tuple(("link", link.source, link.relation, link.target) for link in links),
    }
    figure = _figure("".join(body), width, height, title, description, data, chart)
    markup, plain = nested(None, 0)
    as_list = Html(
        f'<details class="jw-diagram-list"><summary>The diagram as a list</summary>{markup}</details>',
        "The diagram as a list\n" + "\n".join(plain),
        (doc.Text("The diagram as a list\n" + "\n".join(plain)),),
    )
    return figure + as_list
