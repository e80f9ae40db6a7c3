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

from .display import Html, esc, table

PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
FONT = "font-family:Arial,Helvetica,sans-serif;font-size:12px"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chart"


def _figure(svg_body: str, width: int, height: int, title: str, description: str, data: Html) -> Html:
    ident = _slug(title)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-t {ident}-d" style="{FONT}">'
           f'<title id="{ident}-t">{esc(title)}</title><desc id="{ident}-d">{esc(description)}</desc>'
           f"{svg_body}</svg>")
    markup = (f'<figure class="jw-chart" style="margin:8px 0"><figcaption><strong>{esc(title)}</strong></figcaption>'
              f"{svg}<p>{esc(description)}</p><details><summary>Chart data as a table</summary>"
              f"{data.markup}</details></figure>")
    return Html(markup, f"{title}\n{description}\n{data.text}")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def bar_chart(categories: Sequence[str], series: Sequence[Series], title: str, description: str,
              max_value: float, value_format: str = "{:.1f}", axis_label: str = "") -> Html:
    """Horizontal bars, grouped by category, one bar per series, each labelled with series and value."""
    label_width, bar_area, bar_h, gap = 260, 320, 16, 10
    group_h = bar_h * len(series) + gap
    height = 40 + group_h * len(categories) + 30
    width = label_width + bar_area + 140
    parts = []
    for tick in range(0, 5):
        x = label_width + bar_area * tick / 4
        value = max_value * tick / 4
        parts.append(f'<line x1="{x:.1f}" y1="30" x2="{x:.1f}" y2="{height - 30}" stroke="#ccc"/>'
                     f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{esc(value_format.format(value))}</text>')
    if axis_label:
        parts.append(f'<text x="{label_width + bar_area / 2:.1f}" y="{height - 1}" text-anchor="middle">{esc(axis_label)}</text>')
    for i, category in enumerate(categories):
        top = 34 + i * group_h
        parts.append(f'<text x="{label_width - 8}" y="{top + bar_h * len(series) / 2 + 4:.1f}" '
                     f'text-anchor="end">{esc(_shorten(category, 40))}</text>')
        for j, s in enumerate(series):
            value = s.values[i]
            y = top + j * bar_h
            colour = PALETTE[j % len(PALETTE)]
            if value is None:
                parts.append(f'<text x="{label_width + 4}" y="{y + bar_h - 4}" fill="#3D3D3D">{esc(s.name)}: no rating</text>')
                continue
            w = bar_area * max(0.0, min(value, max_value)) / max_value
            parts.append(f'<rect x="{label_width}" y="{y + 1}" width="{w:.1f}" height="{bar_h - 3}" fill="{colour}">'
                         f"<title>{esc(s.name)}: {esc(value_format.format(value))}</title></rect>"
                         f'<text x="{label_width + w + 4:.1f}" y="{y + bar_h - 4}">{esc(s.name)} '
                         f"{esc(value_format.format(value))}</text>")
    rows = [{"": c, **{s.name: (None if s.values[i] is None else value_format.format(s.values[i])) for s in series}}
            for i, c in enumerate(categories)]
    return _figure("".join(parts), width, height, title, description, table(rows, title))


def quadrant_grid(points: Sequence[tuple[str, float, float, int]], title: str, description: str,
                  x_label: str, y_label: str, quadrants: tuple[str, str, str, str], scale: int = 5) -> Html:
    """A 2x2 grid (e.g. power/interest): points are (label, x, y, colour group).

    ``quadrants`` are named top-left, top-right, bottom-left, bottom-right.
    """
    size, pad = 360, 50
    width, height = size + pad * 2 + 200, size + pad * 2

    def sx(v: float) -> float:
        return pad + size * (v - 0.5) / scale

    def sy(v: float) -> float:
        return pad + size - size * (v - 0.5) / scale

    mid = pad + size / 2
    parts = [f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" stroke="#3D3D3D"/>',
             f'<line x1="{mid}" y1="{pad}" x2="{mid}" y2="{pad + size}" stroke="#3D3D3D" stroke-dasharray="4"/>',
             f'<line x1="{pad}" y1="{mid}" x2="{pad + size}" y2="{mid}" stroke="#3D3D3D" stroke-dasharray="4"/>',
             f'<text x="{mid}" y="{height - 12}" text-anchor="middle">{esc(x_label)}</text>',
             f'<text x="14" y="{mid}" text-anchor="middle" transform="rotate(-90 14 {mid})">{esc(y_label)}</text>']
    corners = [(pad + 6, pad + 16, "start"), (pad + size - 6, pad + 16, "end"),
               (pad + 6, pad + size - 8, "start"), (pad + size - 6, pad + size - 8, "end")]
    for (x, y, anchor), name in zip(corners, quadrants):
        parts.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="#3D3D3D" font-style="italic">{esc(name)}</text>')
    placed: dict[tuple[float, float], int] = {}
    for label, x, y, group in points:
        key = (x, y)
        nudge = placed.get(key, 0)
        placed[key] = nudge + 1
        cx, cy = sx(x), sy(y) + nudge * 13
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{PALETTE[group % len(PALETTE)]}"/>'
                     f'<text x="{cx + 8:.1f}" y="{cy + 4:.1f}">{esc(_shorten(label, 28))}</text>')
    rows = [{"": label, x_label: x, y_label: y} for label, x, y, _ in points]
    return _figure("".join(parts), width, height, title, description, table(rows, title))


def timeline(rows: Sequence[tuple[str, date, date, str]], title: str, description: str) -> Html:
    """A Gantt-style timeline: rows are (label, start, end, status word); the status is written on the bar."""
    status_colour = {"red": "#801650", "amber": "#F46A25", "green": "#28A197"}
    label_width, area, bar_h = 260, 420, 20
    if not rows:
        return Html(f"<p><strong>{esc(title)}</strong>: no dated activities yet.</p>", f"{title}: no dated activities yet.")
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
        parts.append(f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end">{esc(_shorten(label, 40))}</text>'
                     f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 5}" fill="{colour}"/>'
                     f'<text x="{x + w + 4:.1f}" y="{y + 14}">{esc(status or "no status")}</text>')
    parts.append(f'<text x="{label_width}" y="{height - 10}">{first.isoformat()}</text>'
                 f'<text x="{label_width + area}" y="{height - 10}" text-anchor="end">{last.isoformat()}</text>')
    data = table([{"activity": r[0], "start": r[1].isoformat(), "end": r[2].isoformat(), "status": r[3]} for r in rows], title)
    return _figure("".join(parts), label_width + area + 120, height, title, description, data)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
