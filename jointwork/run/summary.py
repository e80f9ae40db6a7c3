"""The batch's last stage: the cross-area summary and the index page, from what the earlier stages produced.

The summary's columns come from the registry: the area's own columns, then each product's
:attr:`~jointwork.core.product.Product.summary` columns in registry order, then progress across
the products, then the batch's own columns; the area's key indicators (every indicator whose
figures are held, :func:`jointwork.core.indicators.held_indicators`) sit beside the area's columns.
The plans are the ones the plan stage validated (:class:`~jointwork.run.planning.AreaWork`); nothing
here reads a plan file again.

Every output reads as a report: plain-English headings (:func:`summary_headings`, from each column's
description), titles instead of content ids, charts of the partnership scores and of the products
started, and the areas with no plan listed apart (``areas_without_plans.csv`` and their own table)
instead of as rows of blanks. :func:`write_summary` writes ``summary.csv``, ``summary.html`` and
``summary.xlsx`` (the Analysis Function's layout: cover, contents, notes, one table a sheet).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.plan import PlanBase
from .planning import PACK, AreaWork
from .results import BatchResult

INDICATOR_PREFIX = "indicator_"
#: Where the areas without a plan are listed, beside summary.csv.
NO_PLAN_CSV = "areas_without_plans.csv"
AREA_HEADINGS = {
    "code": "GSS code",
    "name": "Area",
    "region": "Region",
    "coterminous": "Coterminous with one integrated care board",
    "icbs": "Integrated care board(s)",
    "plan": "Plan",
    "illustrative": "Illustrative sample plan",
}
PROGRESS_HEADINGS = {"products_started": "Products started (number)", "started": "Products started"}
BATCH_HEADINGS = {"notebooks_failed": "Notebooks that failed", "error": "Problem", "pack": "HTML pack"}
#: The columns an area with no plan is listed with (its indicators follow).
NO_PLAN_COLUMNS = ("code", "name", "region", "coterminous", "icbs")

AREA_COLUMNS = {
    "code": "GSS code of the upper-tier local authority",
    "name": "the area's name",
    "region": "English region",
    "coterminous": "yes when the area and one integrated care board (ICB) cover the same population",
    "icbs": "the integrated care board(s) covering the area",
    "plan": "saved, none (a starter pack: facts and blank exercises) or error",
    "illustrative": "yes for the shipped sample plans (made up to show the workbooks)",
}
PROGRESS_COLUMNS = {
    "products_started": "how many of the products the team has entered anything in",
    "started": "the products started, by number",
}
BATCH_COLUMNS = {
    "notebooks_failed": "product notebooks that failed in this batch run",
    "error": "why the plan could not be read, if it could not",
    "pack": "the area's HTML pack, relative to the output folder",
}


def indicator_columns() -> dict[str, tuple[str, str]]:
    """The key indicators' columns: key -> (heading with unit and period, description)."""
    from ..core.indicators import held_indicators

    return {
        f"{INDICATOR_PREFIX}{h.key}": (
            h.heading,
            f"the area's latest figure for {h.name.lower()}: {h.unit}, {h.period}",
        )
        for h in held_indicators()
    }


def summary_columns() -> dict[str, str]:
    """Every column of the summary, in order, with what it holds."""
    from ..products import PRODUCTS

    columns = dict(AREA_COLUMNS)
    columns.update({key: description for key, (_, description) in indicator_columns().items()})
    for product in PRODUCTS:
        for column in product.summary:
            if column.key in columns or column.key in PROGRESS_COLUMNS or column.key in BATCH_COLUMNS:
                raise ValueError(
                    f"product {product.number} declares the summary column {column.key!r}, "
                    "which another column already uses"
                )
            columns[column.key] = column.description
    return {**columns, **PROGRESS_COLUMNS, **BATCH_COLUMNS}


def summary_headings() -> dict[str, str]:
    """Every column's plain-English heading (what the CSV, HTML and Excel summaries show), by key."""
    from ..products import PRODUCTS

    headings = dict(AREA_HEADINGS)
    headings.update({key: heading for key, (heading, _) in indicator_columns().items()})
    for product in PRODUCTS:
        headings.update({column.key: column.title for column in product.summary})
    return {**headings, **PROGRESS_HEADINGS, **BATCH_HEADINGS}


def plan_columns(plan: PlanBase, responses: Any = None) -> tuple[dict[str, Any], list[str]]:
    """The summary's columns that come from a plan (and the area's responses), and the columns that could
    not be worked out.

    ``illustrative``, each product's summary columns and the progress columns. A product column
    whose value raises is left empty and reported (``"key: error"``).
    """
    from ..products import PRODUCTS

    row: dict[str, Any] = {"illustrative": "yes" if plan.illustrative else "no"}
    problems = []
    for product in PRODUCTS:
        for column in product.summary:
            try:
                row[column.key] = column.compute(plan, responses)
            except Exception as exc:
                row[column.key] = None
                problems.append(f"{column.key}: {type(exc).__name__}: {exc}")
    started = [
        p.number
        for p in PRODUCTS
        if plan.is_started(p.slug) or (responses is not None and p.questionnaire and responses.answers(p.slug))
    ]
    row["products_started"] = len(started)
    row["started"] = ",".join(map(str, started))
    return row, problems


def indicator_values(area_code: str) -> dict[str, float | None]:
    """The area's key indicators (None where the area has no figure of its own)."""
    from ..core.indicators import latest_value

    values = {}
    for key in indicator_columns():
        value = latest_value(area_code, key.removeprefix(INDICATOR_PREFIX))
        values[key] = None if value != value else round(value, 1)
    return values


def area_row(work: AreaWork, result: BatchResult | None = None) -> dict[str, Any]:
    """One row of the summary: the area, its plan's columns (or the plan's error) and the batch's outcome."""
    area = work.area
    row: dict[str, Any] = {c: None for c in summary_columns()}
    row.update(
        code=area.code,
        name=area.name,
        region=area.region,
        coterminous="yes" if area.coterminous else "no",
        icbs=area.icb_names,
        plan=work.plan_state,
    )
    row.update(indicator_values(area.code))
    if work.plan is None:
        row["error"] = work.plan_error
    else:
        values, problems = plan_columns(work.plan, work.responses)
        row.update(values)
        if problems:
            row["error"] = "; ".join(problems)
    if result is not None:
        failures = [f for f in result.failures if f.area == area.code]
        row["notebooks_failed"] = sum(1 for f in failures if f.product)
        if not row["error"]:
            row["error"] = next((f.error for f in failures if f.product is None), None)
        if area.code in result.packs:
            row["pack"] = f"{area.code}/{PACK}"
    return row


def write_summary(out_dir: Path, rows: Sequence[Mapping[str, Any]]) -> tuple[Path, Path]:
    """Write ``summary.csv``, ``summary.html`` and ``summary.xlsx``, and ``areas_without_plans.csv``.

    The areas with a plan (saved, or one that could not be read) are the summary's rows; the areas with no
    plan are listed apart with their facts and indicators. Returns the paths of the CSV and the HTML page.
    """
    from ..render.cells import csv_bytes
    from ..render.pack import summary_page

    columns, headings = summary_columns(), summary_headings()
    with_plans = [r for r in rows if r.get("plan") != "none"]
    without = [r for r in rows if r.get("plan") == "none"]
    apart = [*NO_PLAN_COLUMNS, *indicator_columns(), "pack"]
    csv_path = out_dir / "summary.csv"
    csv_path.write_bytes(csv_bytes([headings[c] for c in columns], _headed(with_plans, columns, headings)))
    (out_dir / NO_PLAN_CSV).write_bytes(csv_bytes([headings[c] for c in apart], _headed(without, apart, headings)))
    charts = summary_charts(with_plans, len(rows))
    shown = [{**{headings[c]: _as_written(r.get(c)) for c in columns}, "href": r.get("pack")} for r in with_plans]
    shown_apart = [{**{headings[c]: _as_written(r.get(c)) for c in apart}, "href": r.get("pack")} for r in without]
    html_path = summary_page(
        out_dir / "summary.html",
        shown,
        [(title, [headings[c] for c in keys]) for title, keys in html_tables()],
        {headings[c]: d for c, d in columns.items()},
        apart=shown_apart,
        apart_columns=[headings[c] for c in apart if c != "pack"],
        charts=[chart for chart, _ in charts],
    )
    (out_dir / "summary.xlsx").write_bytes(summary_workbook(with_plans, without, charts))
    return csv_path, html_path


def html_tables() -> list[tuple[str, list[str]]]:
    """The summary page's tables of the areas with a plan, each a few columns wide: (title, column keys).

    The scores (product columns with a ``maximum``) beside the key indicators; then what the teams have
    entered; then the plans themselves and this run's problems. Every table starts with the area's name.
    """
    from ..products import PRODUCTS

    product_columns = [c for p in PRODUCTS for c in p.summary]
    scores = [c.key for c in product_columns if c.maximum]
    entered = [c.key for c in product_columns if not c.maximum]
    return [
        ("Partnership scores beside key indicators", ["name", "region", *indicator_columns(), *scores]),
        ("What the teams have entered", ["name", *entered, *PROGRESS_COLUMNS]),
        ("The plans and this run", ["name", "code", "coterminous", "icbs", "plan", "illustrative",
                                    "notebooks_failed", "error"]),
    ]  # fmt: skip


def _headed(rows: Sequence[Mapping[str, Any]], keys: Sequence[str], headings: Mapping[str, str]) -> list[dict]:
    return [{headings[k]: row.get(k) for k in keys} for row in rows]


def summary_charts(rows: Sequence[Mapping[str, Any]], areas: int) -> list[tuple[Any, Any]]:
    """The summary's charts, each with its data table: one per chart the products' columns name (the areas
    with a plan, one bar per column) and how many areas have started each product."""
    from ..products import PRODUCTS
    from ..render.charts import Series, bar_chart
    from ..render.document import Table

    charts = []
    groups: dict[str, list[Any]] = {}
    for product in PRODUCTS:
        for column in product.summary:
            if column.chart:
                groups.setdefault(column.chart, []).append(column)
    for title, group in groups.items():
        shown = [r for r in rows if any(isinstance(r.get(c.key), (int, float)) for c in group)]
        if not shown:
            continue
        names = [str(r["name"]) for r in shown]
        series = [Series(c.title.split(", ")[-1], [_number(r.get(c.key)) for r in shown]) for c in group]
        maximum = max(c.maximum for c in group) or max(v for s in series for v in s.values if v is not None)
        highest = max(shown, key=lambda r: max(_number(r.get(c.key)) or 0 for c in group))
        chart = bar_chart(
            names,
            series,
            f"{title}: {len(shown)} area(s) with ratings; the highest score is in {highest['name']}",
            f"Horizontal bars show, for each of {len(shown)} areas with a plan and ratings, "
            f"{', '.join(s.name for s in series)} on a scale up to {maximum:g}. Each bar is labelled with its value.",
            maximum,
            "{:.1f}",
            title,
        )
        data = Table(
            f"{title}, by area",
            ("Area", *(c.title for c in group)),
            tuple({"Area": r["name"], **{c.title: r.get(c.key) for c in group}} for r in shown),
        )
        charts.append((chart, data))
    counts = [sum(1 for r in rows if str(p.number) in str(r.get("started") or "").split(",")) for p in PRODUCTS]
    most = max(range(len(PRODUCTS)), key=lambda i: counts[i])
    chart = bar_chart(
        [p.short_title for p in PRODUCTS],
        [Series("Areas", [float(c) for c in counts])],
        f"Most started: {PRODUCTS[most].short_title} ({counts[most]} of {areas} areas)"
        if counts[most]
        else f"No area has started a product yet ({areas} areas)",
        f"Horizontal bars show how many of the {areas} areas have entered anything in each of the "
        f"{len(PRODUCTS)} products; {len(rows)} area(s) have a plan.",
        max(1.0, float(max(counts))),
        "{:.0f}",
        "Areas",
    )
    data = Table(
        "Areas that have started each product",
        ("Product", "Areas started (number)"),
        tuple({"Product": p.short_title, "Areas started (number)": c} for p, c in zip(PRODUCTS, counts, strict=True)),
    )
    charts.append((chart, data))
    return charts


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value else None


def summary_workbook(
    with_plans: Sequence[Mapping[str, Any]], without: Sequence[Mapping[str, Any]], charts: Sequence[tuple[Any, Any]]
) -> bytes:
    """``summary.xlsx``: the areas with a plan, the areas without one and each chart's data, one table a sheet."""
    from ..render.document import Table
    from ..render.spreadsheet import Cover, Sheet, workbook_bytes

    columns, headings = summary_columns(), summary_headings()
    keys = [c for c in columns if c != "pack"]
    apart = [*NO_PLAN_COLUMNS, *indicator_columns()]
    sheets = [
        Sheet(
            "Areas with plans",
            Table(
                f"Areas with a plan: partnership scores and progress beside key indicators ({len(with_plans)} areas)",
                tuple(headings[k] for k in keys),
                tuple({headings[k]: r.get(k) for k in keys} for r in with_plans),
            ),
            notes=("typed",),
        ),
        Sheet(
            "Areas without plans",
            Table(
                f"Areas with no plan yet: facts and key indicators ({len(without)} areas)",
                tuple(headings[k] for k in apart),
                tuple({headings[k]: r.get(k) for k in apart} for r in without),
            ),
        ),
        *(Sheet(f"Chart {i} data", data) for i, (_, data) in enumerate(charts, 1)),
        Sheet(
            "Columns",
            Table("What each column holds", ("Column", "What it holds"),
                  tuple({"Column": headings[k], "What it holds": d} for k, d in columns.items())),
        ),
    ]  # fmt: skip
    cover = Cover(
        "Joint working across areas: summary",
        (
            f"{len(with_plans) + len(without)} areas: {len(with_plans)} with a plan and {len(without)} without. "
            "For each area with a plan, its partnership's self-assessment scores, priorities, stakeholders and "
            "progress through the products, beside the area's key indicators.",
        ),
    )
    notes = {"typed": "Text from the plans is as the teams typed it and is never run as a formula."}
    return workbook_bytes(cover, sheets, notes, contents="Summary: contents")


def _as_written(value: Any) -> Any:
    """A value as the CSV writes it, still a number for the HTML table (which right-aligns numbers)."""
    if isinstance(value, float) and value == value:
        return Decimal(str(value))  # the table would round a float to one decimal; the summary shows it whole
    return value


def write_index(out_dir: Path, works: Sequence[AreaWork], result: BatchResult) -> Path:
    """Write ``index.html``: one row per area with its pack, plan, products produced and status."""
    from ..render.pack import index_page

    rows = []
    for work in works:
        code = work.area.code
        failures = [f for f in result.failures if f.area == code]
        produced = sum(1 for r in result.runs if r.area == code and r.status != "failed")
        status = "ok" if not failures else "; ".join(str(f.error)[:160] for f in failures[:3])
        rows.append(
            {
                "Area": work.area.name,
                "Code": code,
                "Region": work.area.region,
                "Plan": "none (starter pack)" if work.plan_state == "none" else "saved",
                "Products": f"{produced} of {len(result.products)}",
                "Status": status,
                "href": f"{code}/{PACK}" if code in result.packs else None,
            }
        )
    return index_page(out_dir / "index.html", rows)
