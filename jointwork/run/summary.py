"""The batch's last stage: the cross-area summary and the index page, from what the earlier stages produced.

The summary's columns come from the registry: the area's own columns, then each product's
:attr:`~jointwork.core.product.Product.summary` columns in registry order, then progress across
the products, then the batch's own columns. The plans are the ones the plan stage validated
(:class:`~jointwork.run.planning.AreaWork`); nothing here reads a plan file again.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.plan import PlanBase
from .planning import PACK, AreaWork
from .results import BatchResult

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


def summary_columns() -> dict[str, str]:
    """Every column of the summary, in order, with what it holds."""
    from ..products import PRODUCTS

    columns = dict(AREA_COLUMNS)
    for product in PRODUCTS:
        for column in product.summary:
            if column.key in columns or column.key in PROGRESS_COLUMNS or column.key in BATCH_COLUMNS:
                raise ValueError(
                    f"product {product.number} declares the summary column {column.key!r}, "
                    "which another column already uses"
                )
            columns[column.key] = column.description
    return {**columns, **PROGRESS_COLUMNS, **BATCH_COLUMNS}


def plan_columns(plan: PlanBase) -> tuple[dict[str, Any], list[str]]:
    """The summary's columns that come from a plan, and the columns that could not be worked out.

    ``illustrative``, each product's summary columns and the progress columns. A product column
    whose value raises is left empty and reported (``"key: error"``).
    """
    from ..products import PRODUCTS

    row: dict[str, Any] = {"illustrative": "yes" if plan.illustrative else "no"}
    problems = []
    for product in PRODUCTS:
        for column in product.summary:
            try:
                row[column.key] = column.value(plan)
            except Exception as exc:
                row[column.key] = None
                problems.append(f"{column.key}: {type(exc).__name__}: {exc}")
    started = [p.number for p in PRODUCTS if plan.is_started(p.slug)]
    row["products_started"] = len(started)
    row["started"] = ",".join(map(str, started))
    return row, problems


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
    if work.plan is None:
        row["error"] = work.plan_error
    else:
        values, problems = plan_columns(work.plan)
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
    """Write ``summary.csv`` and ``summary.html`` (the same rows; empty values as empty cells)."""
    from ..render.pack import summary_page

    columns = summary_columns()
    csv_path = out_dir / "summary.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    shown = [{c: _as_written(row.get(c)) for c in columns} for row in rows]
    html_path = summary_page(out_dir / "summary.html", shown, list(columns), columns)
    return csv_path, html_path


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
