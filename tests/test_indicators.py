"""The indicator lookups used by product 2: catalogue, an area's snapshot and its time series."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from jointwork import indicators
from jointwork.errors import InputError
from jointwork.paths import data_dir

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
INJURY = "injury_admissions_0_14"
GLD = "good_level_of_development"
SOUTHAMPTON = "E06000045"


def snapshot_row(code: str, key: str) -> pd.Series:
    snap = indicators.area_snapshot(code)
    return snap[snap["key"] == key].iloc[0]


def all_la_codes() -> list[str]:
    """Every LA in the shipped tables (none if they are missing: the other tests then say so)."""
    path = data_dir() / "indicators" / "values.csv"
    if not path.is_file():
        return []
    values = pd.read_csv(path, dtype=str)
    return sorted(set(values.loc[values["area_level"] == "la", "area_code"]))


class TestCatalogue:
    def test_keys_units_and_sources(self) -> None:
        cat = indicators.catalogue()
        assert cat.set_index("key")["unit"].to_dict() == {INJURY: "per 10,000", GLD: "%"}
        assert cat.set_index("key").loc[INJURY, "fingertips_id"] == "90284"
        assert cat["url"].str.startswith("https://").all()

    def test_returns_a_copy(self) -> None:
        first = indicators.catalogue()
        first.loc[0, "name"] = "changed"
        assert indicators.catalogue().loc[0, "name"] != "changed"

    def test_attribution(self) -> None:
        assert indicators.ATTRIBUTION == (
            "Contains public sector information licensed under the Open Government Licence v3.0. "
            "Source: Office for National Statistics; Department for Education; OHID Fingertips.")


class TestSnapshot:
    def test_southampton(self) -> None:
        snap = indicators.area_snapshot(SOUTHAMPTON)
        assert snap["key"].tolist() == [INJURY, GLD]
        injury = snap.iloc[0]
        assert (injury["period"], round(injury["area_value"], 1)) == ("2023/24", 72.1)
        assert injury["region"] == "South East" and injury["compared"] == "similar to England"
        assert "calculated by jointwork" in injury["note"]
        assert injury["source"].startswith("Office for Health Improvement and Disparities")
        gld = snap.iloc[1]
        assert (gld["period"], gld["england_value"], gld["area_value"]) == ("2021/22", 65.2, 61.8)
        assert gld["compared"] == "lower than England (values only: no confidence interval)"
        assert gld["polarity"] == "higher is better"

    def test_covers_every_current_la(self) -> None:
        assert len(all_la_codes()) == 153

    @pytest.mark.parametrize("code", all_la_codes())
    def test_region_and_england_filled_for_every_area(self, code: str) -> None:
        snap = indicators.area_snapshot(code)
        assert snap["region"].notna().all() and snap["region_value"].notna().all()
        assert snap["england_value"].notna().all()

    def test_code_is_tidied(self) -> None:
        assert indicators.area_snapshot(" e06000045 ").equals(indicators.area_snapshot(SOUTHAMPTON))

    def test_cumberland_note_says_calculated(self) -> None:
        row = snapshot_row("E06000063", GLD)
        assert row["area_value"] == 59.9 and "former districts" in row["note"]

    def test_no_value_says_not_available(self) -> None:
        row = snapshot_row("E06000053", INJURY)
        assert math.isnan(row["area_value"]) and row["compared"] == "not available"
        assert "combined" in row["note"]

    @pytest.mark.parametrize("code", ["E99999999", "Southampton", "E12000008", "E92000001", "", None])
    def test_unknown_area(self, code: object) -> None:
        with pytest.raises(InputError) as caught:
            indicators.area_snapshot(code)  # type: ignore[arg-type]
        assert (caught.value.source, caught.value.field) == ("argument", "area_code")

    @pytest.mark.skipif(not SHARED.is_dir(), reason=f"the public data files are not at {SHARED}")
    def test_comparison_agrees_with_fingertips(self) -> None:
        # Fingertips words it by polarity; for injury admissions lower is better.
        words = {"Worse": "higher than England", "Better": "lower than England", "Similar": "similar to England"}
        with open(SHARED / "fingertips_90284_injury_admissions_0to14_utla502.csv", encoding="utf-8-sig") as handle:
            published = {r["Area Code"]: r["Compared to England value or percentiles"] for r in csv.DictReader(handle)
                         if r["Sex"] == "Persons" and not r["Category Type"] and r["Time period"] == "2023/24"
                         and r["Area Type"] != "England"}
        checked = 0
        for code in all_la_codes():
            if published.get(code) in words:
                assert snapshot_row(code, INJURY)["compared"] == words[published[code]], code
                checked += 1
        assert checked > 140


class TestCompare:
    @pytest.mark.parametrize("value, lower, upper, england, expected", [
        (80.0, 75.0, 85.0, 72.0, "higher than England"),
        (60.0, 55.0, 65.0, 72.0, "lower than England"),
        (74.0, 70.0, 78.0, 72.0, "similar to England"),
        (66.0, math.nan, math.nan, 65.2, "higher than England (values only: no confidence interval)"),
        (64.0, math.nan, math.nan, 65.2, "lower than England (values only: no confidence interval)"),
        (65.2, math.nan, math.nan, 65.2, "same as England"),
        (math.nan, math.nan, math.nan, 65.2, "not available"),
        (66.0, math.nan, math.nan, math.nan, "not available"),
    ])
    def test_words(self, value: float, lower: float, upper: float, england: float, expected: str) -> None:
        assert indicators.compare(value, lower, upper, england) == expected


class TestSeries:
    def test_southampton_injury(self) -> None:
        series = indicators.area_series(SOUTHAMPTON, INJURY)
        assert series.columns.tolist() == ["period", "area", "region", "england"]
        assert series["period"].iloc[0] == "2010/11" and series["period"].iloc[-1] == "2023/24"
        assert series["period"].is_monotonic_increasing and len(series) == 14
        last = series.iloc[-1]
        assert round(last["area"], 1) == 72.1 and round(last["england"], 1) == 72.7
        assert last["region"] == pytest.approx(snapshot_row(SOUTHAMPTON, INJURY)["region_value"])
        assert series["england"].notna().all()

    def test_gld_one_year(self) -> None:
        series = indicators.area_series(SOUTHAMPTON, GLD)
        assert series.to_dict("records") == [{"period": "2021/22", "area": 61.8, "region": 67.5, "england": 65.2}]

    def test_unknown_key(self) -> None:
        with pytest.raises(InputError) as caught:
            indicators.area_series(SOUTHAMPTON, "obesity")
        assert caught.value.field == "key" and INJURY in str(caught.value)

    def test_unknown_area(self) -> None:
        with pytest.raises(InputError, match="area_code"):
            indicators.area_series("E00000000", INJURY)


class TestLoading:
    def test_missing_tables_say_how_to_rebuild(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("JOINTWORK_DATA", str(tmp_path))
        with pytest.raises(InputError, match="build-indicators"):
            indicators.catalogue()

    def test_reads_the_tables_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        indicators.catalogue()
        calls: list[object] = []
        real = pd.read_csv
        monkeypatch.setattr(pd, "read_csv", lambda *a, **k: calls.append(a) or real(*a, **k))
        indicators.area_snapshot(SOUTHAMPTON)
        indicators.area_series(SOUTHAMPTON, INJURY)
        assert calls == []
