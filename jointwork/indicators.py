"""An area's published health figures beside its region's and England's (product 2, health priorities).

The tables in ``data/indicators/`` are made by :mod:`jointwork.build_indicators`; they are read once
per folder and cached. Every function returns a new DataFrame, so callers may change it freely.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import InputError
from .paths import data_dir

ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence v3.0. "
               "Source: Office for National Statistics; Department for Education; OHID Fingertips.")
REBUILD = "rebuild it with `jointwork data build-indicators --from ../shared/data`"
TEXT_COLUMNS = ("key", "area_code", "area_name", "area_level", "region_code", "period", "note")
SNAPSHOT_COLUMNS = ["key", "indicator", "period", "area", "area_value", "region", "region_value", "england_value",
                    "unit", "compared", "polarity", "source", "note"]
NOT_AVAILABLE = "not available"


@lru_cache(maxsize=4)
def _tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``catalogue.csv`` and ``values.csv`` from ``folder``."""
    paths = folder / "catalogue.csv", folder / "values.csv"
    for path in paths:
        if not path.is_file():
            raise InputError(path, "file", f"the indicator table; {REBUILD}")
    catalogue = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    values = pd.read_csv(paths[1], dtype={**{c: str for c in TEXT_COLUMNS}, "count": "Int64",
                                          "denominator": "Int64"}, keep_default_na=False, na_values={
        c: [""] for c in ("value", "lower_ci", "upper_ci", "count", "denominator", "note", "region_code")})
    return catalogue, values


def _load() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _tables(data_dir() / "indicators")


def catalogue() -> pd.DataFrame:
    """One row per indicator: key, Fingertips id, name, unit, polarity, publisher, source, URL, licence, note."""
    return _load()[0].copy()


def _la_row(values: pd.DataFrame, area_code: str) -> pd.Series:
    """Any row of the LA ``area_code`` (for its name and region), or an :class:`InputError`."""
    code = area_code.strip().upper() if isinstance(area_code, str) else area_code
    rows = values[(values["area_code"] == code) & (values["area_level"] == "la")]
    if rows.empty:
        raise InputError("argument", "area_code", "the GSS code of a current English upper-tier local authority, "
                         "e.g. E06000045 (Southampton)", got=area_code)
    return rows.iloc[0]


def _one(values: pd.DataFrame, key: str, code: str, period: str) -> pd.Series | None:
    rows = values[(values["key"] == key) & (values["area_code"] == code) & (values["period"] == period)]
    return None if rows.empty else rows.iloc[0]


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


def _number(row: pd.Series | None, column: str = "value") -> float:
    return float("nan") if row is None or pd.isna(row[column]) else float(row[column])


def area_snapshot(area_code: str) -> pd.DataFrame:
    """One row per indicator for its latest period: the area, its region and England, with a comparison."""
    catalogue_, values = _load()
    area = _la_row(values, area_code)
    rows = []
    for ind in catalogue_.itertuples():
        period = values.loc[values["key"] == ind.key, "period"].max()
        mine = _one(values, ind.key, area["area_code"], period)
        region = _one(values, ind.key, area["region_code"], period)
        england = _one(values, ind.key, "E92000001", period)
        notes = [] if mine is None or pd.isna(mine["note"]) else [mine["note"]]
        if region is not None and pd.notna(region["note"]):
            notes.append(f"region figure: {region['note']}")
        rows.append({
            "key": ind.key, "indicator": ind.name, "period": period, "area": area["area_name"],
            "area_value": _number(mine), "region": None if region is None else region["area_name"],
            "region_value": _number(region), "england_value": _number(england), "unit": ind.unit,
            "compared": compare(_number(mine), _number(mine, "lower_ci"), _number(mine, "upper_ci"),
                                _number(england)),
            "polarity": ind.polarity, "source": f"{ind.publisher}: {ind.source_title}",
            "note": "; ".join(notes)})
    return pd.DataFrame(rows, columns=SNAPSHOT_COLUMNS)


def area_series(area_code: str, key: str) -> pd.DataFrame:
    """Every period of indicator ``key``: columns period, area, region, England (NaN where not published)."""
    catalogue_, values = _load()
    if key not in set(catalogue_["key"]):
        raise InputError("argument", "key", "one of " + ", ".join(catalogue_["key"]), got=key)
    area = _la_row(values, area_code)
    rows = values[values["key"] == key]
    columns = {area["area_code"]: "area", area["region_code"]: "region", "E92000001": "england"}
    wide = (rows[rows["area_code"].isin(columns)].pivot(index="period", columns="area_code", values="value")
            .rename(columns=columns).reindex(columns=list(columns.values())).astype(float))
    return wide.sort_index().reset_index().rename_axis(columns=None)
