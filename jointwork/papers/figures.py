"""Charts redrawn as PNG images for Word and print, from the data of :class:`~jointwork.render.document.Chart`.

Drawn with matplotlib's Agg canvas (no pyplot, no window, nothing shared between calls) in the
Analysis Function style of the ``afcharts`` package: its style sheet and its palettes, the chart's
active title (the finding in words) at the top left, values written on the bars instead of read off
an axis (so bar charts have no value axis or grid lines), and a legend only when a chart has more
than one series. Images are small (130 dpi,
6.3 inches wide: within the text width of an A4 page with 2 cm margins).
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from ..render import document as doc

WIDTH_IN = 6.3  # 160 mm: within the text width of A4 with 2 cm margins (170 mm)
DPI = 130
STYLE = "afcharts.afcharts"
#: Status words of a timeline's rows and the afcharts colour each is drawn in.
STATUS_COLOURS = {"red": "#801650", "amber": "#F46A25", "green": "#28A197"}
#: matplotlib's style settings are global: one chart is drawn at a time (the app draws in threads).
_DRAWING = threading.Lock()


@cache
def _af_colours(name: str) -> tuple[str, ...]:
    """One of afcharts' palettes (read from its file once per process)."""
    from afcharts.af_colours import get_af_colours

    return tuple(get_af_colours(name))


def palette(count: int) -> list[str]:
    """The Analysis Function's colours for ``count`` series: the duo palette for two, categorical otherwise."""
    if count == 2:
        return list(_af_colours("duo"))
    colours = _af_colours("categorical")
    return [colours[i % len(colours)] for i in range(max(count, 1))]


def can_draw(chart: doc.Chart) -> bool:
    """Whether :func:`chart_png` draws this chart (diagrams are shown as their table instead)."""
    if chart.kind in ("bar", "dot"):
        return bool(chart.categories and chart.series)
    if chart.kind == "quadrant":
        return bool(chart.points)
    if chart.kind == "timeline":
        return bool(chart.rows)
    return False


def alt_text(chart: doc.Chart) -> str:
    """The image's alternative text: its title and its description (the data follows as a table)."""
    return f"{chart.title}. {chart.description}".strip()


def chart_png(chart: doc.Chart) -> bytes:
    """The chart as a PNG image. Raises ValueError for a chart :func:`can_draw` refuses."""
    if not can_draw(chart):
        raise ValueError(f"a {chart.kind} chart with no data to draw: {chart.title!r}")
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    draw = {"bar": _bar, "dot": _dot, "quadrant": _quadrant, "timeline": _timeline}[chart.kind]
    with _DRAWING, matplotlib.style.context(STYLE):
        height = _height(chart)
        title = textwrap.wrap(chart.title, 72)[:3]
        figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        FigureCanvasAgg(figure)
        top = 0.3 + 0.22 * len(title) + (0.3 if chart.kind in ("bar", "dot") and len(chart.series) > 1 else 0)
        left = {"bar": 2.2, "dot": 2.2, "timeline": 2.1}.get(chart.kind, 0.6)
        figure.subplots_adjust(left=left / WIDTH_IN, right=0.95, top=1 - top / height, bottom=0.55 / height)
        axes = figure.add_subplot()
        draw(axes, chart)
        figure.text(0.01, 1 - 0.12 / height, "\n".join(title), ha="left", va="top", fontsize=10.5, weight="bold")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _height(chart: doc.Chart) -> float:
    if chart.kind == "bar":
        bars = len(chart.categories) * max(len(chart.series), 1)
        return min(7.0, 1.3 + 0.2 * bars + 0.12 * len(chart.categories))
    if chart.kind == "dot":
        return min(7.0, 1.6 + 0.3 * len(chart.categories))
    if chart.kind == "timeline":
        return min(8.5, 1.5 + 0.4 * len(chart.rows))
    return 4.6


def _label(text: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(str(text), width)[:3]) or " "


def _bar(axes: Any, chart: doc.Chart) -> None:
    """Horizontal bars, one group per category (top to bottom in order), each bar labelled with its value."""
    series = list(chart.series)
    colours = palette(len(series))
    count = len(chart.categories)
    height = 0.8 / max(len(series), 1)
    for index, (name, values) in enumerate(series):
        positions = [c + (index - (len(series) - 1) / 2) * height for c in range(count)]
        drawn = [0.0 if v is None else float(v) for v in values]
        bars = axes.barh(positions, drawn, height=height * 0.92, color=colours[index], label=name)
        for bar, value in zip(bars, values, strict=False):
            text = "no figure" if value is None else chart.value_format.format(value)
            axes.annotate(
                text,
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
    axes.set_yticks(range(count), [_label(c) for c in chart.categories], fontsize=8)
    axes.invert_yaxis()
    top = chart.max_value or max((v or 0 for _, values in series for v in values), default=1) or 1
    axes.set_xlim(0, top * 1.12)
    axes.grid(visible=False)  # every bar carries its value, so no value axis or grid lines are needed
    axes.tick_params(axis="x", bottom=False, labelbottom=False)
    axes.tick_params(axis="y", length=0)
    if chart.axis_label:
        axes.set_xlabel(chart.axis_label, fontsize=9)
    if len(series) > 1:
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=min(len(series), 4), fontsize=8)


def _dot(axes: Any, chart: doc.Chart) -> None:
    """A row per category (top to bottom in order) on a scale from ``min_value`` to ``max_value``, a
    dot per series, the first series' value written beside its dot."""
    series = list(chart.series)
    colours = palette(len(series))
    count = len(chart.categories)
    for index, (name, values) in enumerate(series):
        shown = [(row, float(v)) for row, v in enumerate(values) if v is not None]
        axes.scatter([v for _, v in shown], [row for row, _ in shown], s=55, color=colours[index], label=name, zorder=3)
        if index == 0:
            for row, value in shown:
                axes.annotate(chart.value_format.format(value), (value, row), xytext=(0, 7),
                              textcoords="offset points", ha="center", fontsize=7)  # fmt: skip
    axes.set_yticks(range(count), [_label(c) for c in chart.categories], fontsize=8)
    axes.set_ylim(count - 0.5, -0.7)
    axes.set_xlim(chart.min_value, chart.max_value or 1)
    axes.grid(axis="y", visible=True)
    axes.grid(axis="x", visible=False)
    axes.tick_params(axis="x", labelsize=8)
    axes.tick_params(axis="y", length=0)
    if chart.axis_label:
        axes.set_xlabel(chart.axis_label, fontsize=9)
    if len(series) > 1:
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=min(len(series), 4), fontsize=8)


def _quadrant(axes: Any, chart: doc.Chart) -> None:
    """Points on a square grid split in four at the scale's middle, each numbered as in the data table."""
    colours = palette(max((p[3] for p in chart.points), default=0) + 1)
    low, high = 0.5, chart.scale + 0.5
    middle = (chart.scale + 1) / 2
    seen: dict[tuple[float, float], int] = {}
    for number, (_label_text, x, y, group) in enumerate(chart.points, start=1):
        nudge = seen.get((x, y), 0)
        seen[(x, y)] = nudge + 1
        dx = (nudge % 3 - 1) * 0.18
        dy = (nudge // 3) * 0.2
        axes.scatter([x + dx], [y + dy], s=130, color=colours[group % len(colours)], zorder=3)
        axes.annotate(str(number), (x + dx, y + dy), ha="center", va="center", fontsize=7, color="white", zorder=4)
    axes.axvline(middle, color="#3D3D3D", linewidth=0.8)
    axes.axhline(middle, color="#3D3D3D", linewidth=0.8)
    corners = ((low, high, "left", "top"), (high, high, "right", "top"), (low, low, "left", "bottom"),
               (high, low, "right", "bottom"))  # fmt: skip
    for name, (x, y, ha, va) in zip(chart.quadrants, corners, strict=False):
        axes.text(x + (0.08 if ha == "left" else -0.08), y, _label(name, 26), ha=ha, va=va, fontsize=7, color="#3D3D3D")
    axes.set_xlim(low, high)
    axes.set_ylim(low, high)
    ticks = list(range(1, chart.scale + 1))
    axes.set_xticks(ticks)
    axes.set_yticks(ticks)
    axes.tick_params(labelsize=8)
    axes.grid(visible=False)
    axes.set_xlabel(chart.x_label, fontsize=9)
    axes.set_ylabel(chart.y_label, fontsize=9)
    axes.set_aspect("equal")


def _timeline(axes: Any, chart: doc.Chart) -> None:
    """One bar a row from its start to its end date, coloured and labelled by its status."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num

    rows: Sequence[tuple[Any, ...]] = chart.rows
    for index, (_name, start, end, status, *_rest) in enumerate(rows):
        left = date2num(_day(start))
        width = max(date2num(_day(end)) - left, 2)
        axes.barh([index], [width], left=[left], height=0.6, color=STATUS_COLOURS.get(str(status), "#12436D"))
        axes.annotate(
            str(status or "no status"),
            (left + width, index),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_yticks(range(len(rows)), [_label(r[0], 30) for r in rows], fontsize=8)
    axes.invert_yaxis()
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.tick_params(axis="x", labelsize=8)
    axes.margins(x=0.12)
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", visible=True)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
