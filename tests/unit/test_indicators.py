"""The indicator lookups used by product 2: catalogue, an area's snapshot and its time series."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from jointwork.core import indicators
from jointwork.core.errors import InputError
from jointwork.core.licence import ATTRIBUTION
from jointwork.core.paths import data_dir

from conftest import SHARED_DATA

SHARED = SHARED_DATA
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
        cat = indicators.catalogue().set_index("key")
        assert cat.loc[[INJURY, GLD], "unit"].tolist() == ["per 10,000", "%"]
        assert cat.loc[INJURY, "fingertips_id"] == "90284" and cat.loc[GLD, "fingertips_id"] == "90631"
        assert cat["url"].str.startswith("https://").all()
        assert cat["unit"].isin(["%", "per 1,000", "per 10,000", "score", "people"]).all()
        assert cat["polarity"].isin(["higher is better", "lower is better", "no judgement"]).all()

    def test_every_high_impact_area_of_2021_has_an_indicator(self) -> None:
        cat = indicators.catalogue()
        areas = {a for cell in cat["hia_2021"] for a in cell.split(";") if a}
        assert len(areas) == 6
        assert cat.set_index("key").loc["breastfeeding_6_8_weeks", "hia_2021_title"] == "3. Supporting breastfeeding"
        linked_2026 = cat[cat["hia_2026"] != ""]
        assert set(linked_2026["hia_2026"]) == {"hia26_0_5_1"}
        assert set(linked_2026["hia_2026_title"]) == {"1. The transition to parenthood"}

    def test_what_is_held_and_what_is_to_recheck(self) -> None:
        cat = indicators.catalogue().set_index("key")
        assert set(cat.index[cat["figures_held"] == "yes"]) == {INJURY, GLD}
        assert "polarity" in cat.loc["breastfeeding_6_8_weeks", "recheck"]
        assert cat.loc["smoking_at_delivery", "metadata"].startswith(
            "title, polarity and value type from the FingertipsNext"
        )

    def test_returns_a_copy(self) -> None:
        first = indicators.catalogue()
        first.loc[0, "name"] = "changed"
        assert indicators.catalogue().loc[0, "name"] != "changed"

    def test_attribution(self) -> None:
        assert ATTRIBUTION == (
            "Contains public sector information licensed under the Open Government Licence v3.0. "
            "Source: Office for National Statistics; Department for Education; OHID Fingertips."
        )


class TestSnapshot:
    def test_southampton(self) -> None:
        snap = indicators.area_snapshot(SOUTHAMPTON)
        assert snap["key"].tolist() == indicators.catalogue()["key"].tolist()
        assert snap.loc[snap["held"], "key"].tolist() == [INJURY, GLD]
        injury = snapshot_row(SOUTHAMPTON, INJURY)
        assert (injury["period"], round(injury["area_value"], 1)) == ("2023/24", 72.1)
        assert injury["region"] == "South East" and injury["compared"] == "similar to England"
        assert "calculated by jointwork" in injury["note"]
        assert injury["source"].startswith("Office for Health Improvement and Disparities")
        assert (injury["status"], injury["periods"], injury["recent_trend"]) == (
            "published",
            14,
            "No significant change",
        )
        gld = snapshot_row(SOUTHAMPTON, GLD)
        assert (gld["period"], gld["england_value"], gld["area_value"]) == ("2021/22", 65.2, 61.8)
        assert gld["compared"] == "lower than England (values only: no confidence interval)"
        assert gld["polarity"] == "higher is better"

    def test_covers_every_current_la(self) -> None:
        assert len(all_la_codes()) == 153

    @pytest.mark.parametrize("code", all_la_codes())
    def test_region_and_england_filled_for_every_area(self, code: str) -> None:
        snap = indicators.area_snapshot(code)
        assert (snap["region"] != "").all()
        held = snap[snap["held"]]
        assert held["region_value"].notna().all() and held["england_value"].notna().all()
        assert snap["status"].notna().all() and (snap["status"] != "").all()

    def test_not_downloaded_says_how_to_get_it(self) -> None:
        row = snapshot_row(SOUTHAMPTON, "breastfeeding_6_8_weeks")
        assert not row["held"] and row["status"] == "not downloaded" and row["period"] == ""
        assert math.isnan(row["area_value"]) and math.isnan(row["england_value"])
        assert "`jointwork data fetch-indicators --ids 92517`" in row["note"]
        assert "import-fingertips FILE" in row["note"]

    def test_code_is_tidied(self) -> None:
        assert indicators.area_snapshot(" e06000045 ").equals(indicators.area_snapshot(SOUTHAMPTON))

    def test_cumberland_note_says_calculated(self) -> None:
        row = snapshot_row("E06000063", GLD)
        assert row["area_value"] == 59.9 and "former districts" in row["note"]

    def test_no_value_says_not_available(self) -> None:
        row = snapshot_row("E06000053", INJURY)
        assert math.isnan(row["area_value"]) and row["compared"] == "not available"
        assert "combined" in row["note"]

    def test_combined_areas_name_each_other(self) -> None:
        scilly, cornwall = snapshot_row("E06000053", INJURY), snapshot_row("E06000052", INJURY)
        assert (scilly["status"], scilly["combined_with"]) == ("in combined area", "Cornwall")
        assert scilly["combined_value"] == cornwall["area_value"] and round(cornwall["area_value"], 1) == 51.6
        assert (cornwall["status"], cornwall["combined_with"]) == ("combined", "Isles of Scilly")
        city = snapshot_row("E09000001", INJURY)
        assert (city["status"], city["combined_with"]) == ("in combined area", "Hackney")

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
            published = {
                r["Area Code"]: r["Compared to England value or percentiles"]
                for r in csv.DictReader(handle)
                if r["Sex"] == "Persons"
                and not r["Category Type"]
                and r["Time period"] == "2023/24"
                and r["Area Type"] != "England"
            }
        checked = 0
        for code in all_la_codes():
            if published.get(code) in words:
                assert snapshot_row(code, INJURY)["compared"] == words[published[code]], code
                checked += 1
        assert checked > 140


class TestCompare:
    @pytest.mark.parametrize(
        "value, lower, upper, england, expected",
        [
            (80.0, 75.0, 85.0, 72.0, "higher than England"),
            (60.0, 55.0, 65.0, 72.0, "lower than England"),
            (74.0, 70.0, 78.0, 72.0, "similar to England"),
            (66.0, math.nan, math.nan, 65.2, "higher than England (values only: no confidence interval)"),
            (64.0, math.nan, math.nan, 65.2, "lower than England (values only: no confidence interval)"),
            (65.2, math.nan, math.nan, 65.2, "same as England"),
            (math.nan, math.nan, math.nan, 65.2, "not available"),
            (66.0, math.nan, math.nan, math.nan, "not available"),
        ],
    )
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
