"""An area's published health figures beside its region's and England's (product 2, health priorities).

The tables in ``data/indicators/`` are made by :mod:`jointwork.build.indicators`: the catalogue
(every indicator product 2 shows, with the high impact areas it measures) and the values of those
whose figures are held. They are read once per folder and cached. Every function returns a new
DataFrame, so callers may change it freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError
from .paths import data_dir

ENGLAND_CODE = "E92000001"
REBUILD = "rebuild it with `jointwork data build-indicators --from ../shared/data`"
FETCH = "jointwork data fetch-indicators --ids {ids}"
IMPORT = "jointwork data import-fingertips FILE"
TEXT_COLUMNS = (
    "key",
    "area_code",
    "area_name",
    "area_level",
    "region_code",
    "period",
    "status",
    "combined_with",
    "recent_trend",
    "note",
)
NUMBER_COLUMNS = ("value", "lower_ci", "upper_ci", "count", "denominator")
SNAPSHOT_COLUMNS = [
    "key",
    "fingertips_id",
    "indicator",
    "held",
    "period",
    "periods",
    "area",
    "area_value",
    "status",
    "combined_with",
    "combined_value",
    "region",
    "region_value",
    "region_status",
    "england_value",
    "unit",
    "compared",
    "polarity",
    "recent_trend",
    "hia_2021",
    "hia_2021_title",
    "hia_2026",
    "hia_2026_title",
    "link_note",
    "metadata",
    "recheck",
    "source",
    "note",
]
NOT_AVAILABLE = "not available"
NOT_DOWNLOADED = "not downloaded"


@dataclass(frozen=True)
class _Tables:
    """The two tables and the indexes the lookups use (built once per folder)."""

    catalogue: pd.DataFrame
    values: pd.DataFrame
    rows: dict[tuple[str, str, str], dict[str, Any]]  # (key, area code, period) -> the row as a dict
    periods: dict[str, list[str]]  # key -> its periods, oldest first
    names: dict[str, str]  # area code -> name
    las: dict[str, dict[str, Any]]  # LA code -> one of its rows (for its name and region)


@lru_cache(maxsize=4)
def _tables(folder: Path) -> _Tables:
    """``catalogue.csv`` and ``values.csv`` from ``folder``, indexed."""
    paths = folder / "catalogue.csv", folder / "values.csv"
    for path in paths:
        if not path.is_file():
            raise InputError(path, "file", f"the indicator table; {REBUILD}")
    catalogue = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    values = pd.read_csv(
        paths[1],
        dtype={**{c: str for c in TEXT_COLUMNS}, "period_sort": "int64", "count": "Int64", "denominator": "Int64"},
        keep_default_na=False,
        na_values={c: [""] for c in (*NUMBER_COLUMNS, "note", "region_code", "combined_with", "recent_trend")},
    )
    for name, frame, needed in (
        ("catalogue.csv", catalogue, ("key", "fingertips_id", "name", "unit", "polarity", "publisher")),
        ("values.csv", values, ("key", "area_code", "area_level", "period", "period_sort", "value", "status")),
    ):
        for column in needed:
            if column not in frame.columns:
                raise InputError(folder / name, column, f"a column named '{column}'; {REBUILD}")
    records = values.to_dict("records")
    rows = {(r["key"], r["area_code"], r["period"]): r for r in records}
    ordered = values.drop_duplicates(["key", "period"]).sort_values(["key", "period_sort"], kind="stable")
    periods = {key: list(group["period"]) for key, group in ordered.groupby("key", sort=False)}
    names = dict(zip(values["area_code"], values["area_name"], strict=True))
    las = {r["area_code"]: r for r in records if r["area_level"] == "la"}
    return _Tables(catalogue, values, rows, periods, names, las)


def _load() -> _Tables:
    return _tables(data_dir() / "indicators")


def catalogue() -> pd.DataFrame:
    """One row per indicator: key, Fingertips id, name, title, unit, polarity, high impact areas, source..."""
    return _load().catalogue.copy()


def how_to_get(fingertips_id: str | int) -> str:
    """The words and commands that fetch (or import) an indicator's figures."""
    return (
        f"run `{FETCH.format(ids=fingertips_id)}` on a machine that is online, or download the "
        f"Fingertips export of indicator {fingertips_id} and run `{IMPORT}`"
    )


def _la_row(tables: _Tables, area_code: str) -> dict[str, Any]:
    """A row of the LA ``area_code`` (for its name and region), or an :class:`InputError`."""
    code = area_code.strip().upper() if isinstance(area_code, str) else area_code
    row = tables.las.get(code) if isinstance(code, str) else None
    if row is None:
        raise InputError(
            "argument",
            "area_code",
            "the GSS code of a current English upper-tier local authority, e.g. E06000045 (Southampton)",
            got=area_code,
        )
    return row


def _one(tables: _Tables, key: str, code: object, period: str) -> dict[str, Any] | None:
    return tables.rows.get((key, code, period)) if isinstance(code, str) else None


def compare(value: float, lower: float, upper: float, england: float) -> str:
    """Plain words for an area's value against England's.

    With 95% confidence limits, "higher"/"lower" only when the interval leaves out England's value
    (as Fingertips judges it), else "similar"; without them the values alone decide, and say so.
    """
    if pd.isna(value) or pd.isna(england):
        return NOT_AVAILABLE
    if pd.notna(lower) and pd.notna(upper):
        if lower > england:
            return "higher than England"
        if upper < england:
            return "lower than England"
        return "similar to England"
    if value == england:
        return "same as England"
    return ("higher" if value > england else "lower") + " than England (values only: no confidence interval)"


def _number(row: dict[str, Any] | None, column: str = "value") -> float:
    return float("nan") if row is None or pd.isna(row[column]) else float(row[column])


def _text(row: dict[str, Any] | None, column: str) -> str:
    return "" if row is None or pd.isna(row[column]) else str(row[column])


def _source(ind: object) -> str:
    return f"{ind.publisher}: {ind.source_title}"


def area_snapshot(area_code: str) -> pd.DataFrame:
    """One row per catalogue indicator, for its latest period: the area, its region and England.

    ``held`` is False for an indicator whose figures have not been downloaded yet (its values are
    then NaN and ``note`` says how to get them). ``status`` says what the area's figure is:
    ``published``, ``calculated`` (by jointwork, see the note), ``combined`` (a figure covering this
    area and ``combined_with``), ``in combined area`` (no figure of its own; ``combined_value`` is the
    combined figure), ``suppressed``, ``not published``, ``former area`` or ``not downloaded``.
    """
    tables = _load()
    area = _la_row(tables, area_code)
    names = tables.names
    rows = []
    for ind in tables.catalogue.itertuples():
        periods = tables.periods.get(ind.key, [])
        base = {
            "key": ind.key,
            "fingertips_id": ind.fingertips_id,
            "indicator": ind.name,
            "area": area["area_name"],
            "unit": ind.unit,
            "polarity": ind.polarity,
            "hia_2021": ind.hia_2021,
            "hia_2021_title": ind.hia_2021_title,
            "hia_2026": ind.hia_2026,
            "hia_2026_title": ind.hia_2026_title,
            "link_note": ind.link_note,
            "metadata": ind.metadata,
            "recheck": ind.recheck,
            "source": _source(ind),
        }
        if not periods:
            rows.append(
                {
                    **base,
                    "held": False,
                    "period": "",
                    "periods": 0,
                    "area_value": float("nan"),
                    "status": NOT_DOWNLOADED,
                    "combined_with": "",
                    "combined_value": float("nan"),
                    "region": names.get(area["region_code"], ""),
                    "region_value": float("nan"),
                    "region_status": NOT_DOWNLOADED,
                    "england_value": float("nan"),
                    "compared": NOT_AVAILABLE,
                    "recent_trend": "",
                    "note": f"not downloaded yet: {how_to_get(ind.fingertips_id)}",
                }
            )
            continue
        period = periods[-1]
        mine = _one(tables, ind.key, area["area_code"], period)
        region = _one(tables, ind.key, area["region_code"], period)
        england = _one(tables, ind.key, ENGLAND_CODE, period)
        partners = [c for c in _text(mine, "combined_with").split(";") if c]
        combined_value = float("nan")
        if _text(mine, "status") == "in combined area":
            for code in partners:
                partner = _one(tables, ind.key, code, period)
                if partner is not None and pd.notna(partner["value"]):
                    combined_value = float(partner["value"])
        notes = [_text(mine, "note")] if _text(mine, "note") else []
        if mine is None:
            notes.append(f"no row for this area in {period}")
        if region is not None and pd.notna(region["note"]):
            notes.append(f"region figure: {region['note']}")
        own = [_number(_one(tables, ind.key, area["area_code"], p)) for p in periods]
        rows.append(
            {
                **base,
                "held": True,
                "period": period,
                "periods": sum(1 for v in own if v == v),
                "area_value": _number(mine),
                "status": _text(mine, "status") or "not published",
                "combined_with": "; ".join(str(names.get(c, c)) for c in partners),
                "combined_value": combined_value,
                "region": _text(region, "area_name") or names.get(area["region_code"], ""),
                "region_value": _number(region),
                "region_status": _text(region, "status") or "not published",
                "england_value": _number(england),
                "compared": compare(
                    _number(mine), _number(mine, "lower_ci"), _number(mine, "upper_ci"), _number(england)
                ),
                "recent_trend": _text(mine, "recent_trend"),
                "note": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=SNAPSHOT_COLUMNS)


def area_series(area_code: str, key: str) -> pd.DataFrame:
    """Every period of indicator ``key``, oldest first: columns period, area, region, England (NaN where none)."""
    tables = _load()
    if key not in set(tables.catalogue["key"]):
        raise InputError("argument", "key", "one of " + ", ".join(tables.catalogue["key"]), got=key)
    area = _la_row(tables, area_code)
    codes = {"area": area["area_code"], "region": area["region_code"], "england": ENGLAND_CODE}
    rows = [
        {"period": period, **{name: _number(_one(tables, key, code, period)) for name, code in codes.items()}}
        for period in tables.periods.get(key, [])
    ]
    return pd.DataFrame(rows, columns=["period", *codes])


@dataclass(frozen=True)
class HeldIndicator:
    """An indicator whose figures are held: its key, name, unit and latest period."""

    key: str
    name: str
    unit: str
    period: str

    @property
    def heading(self) -> str:
        """A column heading with the unit and period, e.g. ``Hospital admissions ... (per 10,000, 2023/24)``."""
        return f"{self.name} ({self.unit}, {self.period})"


def held_indicators() -> list[HeldIndicator]:
    """The catalogue's indicators whose figures are held, in catalogue order, with their latest period."""
    tables = _load()
    return [
        HeldIndicator(ind.key, ind.name, ind.unit, tables.periods[ind.key][-1])
        for ind in tables.catalogue.itertuples()
        if tables.periods.get(ind.key)
    ]


def latest_value(area_code: str, key: str) -> float:
    """The area's own figure for ``key`` in its latest period (NaN when there is none)."""
    tables = _load()
    periods = tables.periods.get(key)
    if not periods:
        return float("nan")
    return _number(_one(tables, key, area_code, periods[-1]))
