"""The indicator build: published figures copied faithfully, derived figures right, output reproducible."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jointwork.build_indicators import (EYFSP_FILE, FINGERTIPS_FILE, GLD, INJURY, LA_FILE, BuildReport,
                                        build_indicators)
from jointwork.errors import InputError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
COMMITTED = Path(__file__).resolve().parents[1] / "data" / "indicators"
OUTPUTS = ("catalogue.csv", "values.csv", "README.md")

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the public data files are not at {SHARED}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("indicators")
    return out, build_indicators(SHARED, out)


@pytest.fixture(scope="module")
def values(built: tuple[Path, BuildReport]) -> pd.DataFrame:
    return pd.read_csv(built[0] / "values.csv", dtype={"area_code": str, "period": str, "note": str})


def one(values: pd.DataFrame, key: str, code: str, period: str) -> pd.Series:
    rows = values[(values["key"] == key) & (values["area_code"] == code) & (values["period"] == period)]
    assert len(rows) == 1, f"{key} {code} {period}: {len(rows)} rows"
    return rows.iloc[0]


def read_rows(name: str) -> list[dict[str, str]]:
    with open(SHARED / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def plain_fingertips_rows(period: str) -> list[dict[str, str]]:
    return [r for r in read_rows(FINGERTIPS_FILE)
            if r["Sex"] == "Persons" and not r["Category Type"] and r["Time period"] == period]


def la_codes_in(region_name: str) -> set[str]:
    return {r["new_la_code"] for r in read_rows(LA_FILE) if r["region_name"] == region_name}


class TestPublishedFigures:
    def test_southampton_injury_admissions_2023_24(self, values: pd.DataFrame) -> None:
        row = one(values, INJURY, "E06000045", "2023/24")
        assert round(row["value"], 1) == 72.1
        assert (row["count"], row["denominator"]) == (305, 42281)
        assert (row["area_level"], row["region_code"]) == ("la", "E12000008")

    def test_england_good_level_of_development(self, values: pd.DataFrame) -> None:
        row = one(values, GLD, "E92000001", "2021/22")
        assert row["value"] == 65.2
        assert (row["count"], row["denominator"], row["area_level"]) == (405723, 622583, "england")

    def test_england_injury_kept_once_per_period(self, values: pd.DataFrame) -> None:
        england = values[(values["key"] == INJURY) & (values["area_code"] == "E92000001")]
        assert england["period"].is_unique
        assert len(england) == 14

    def test_combined_area_note_kept(self, values: pd.DataFrame) -> None:
        row = one(values, INJURY, "E06000053", "2023/24")
        assert pd.isna(row["value"])
        assert "Cornwall and Isles of Scilly combined" in row["note"]

    def test_recoded_area_says_so(self, values: pd.DataFrame) -> None:
        assert "E08000016" in one(values, INJURY, "E08000038", "2023/24")["note"]
        row = one(values, GLD, "E06000065", "2021/22")
        assert "E10000023" in row["note"] and row["value"] == 68.3

    def test_no_category_rows(self, values: pd.DataFrame) -> None:
        assert not values.duplicated(["key", "area_code", "period"]).any()


class TestRegions:
    def test_london_injury_recomputed_from_source(self, values: pd.DataFrame) -> None:
        london = la_codes_in("London")
        counted = [r for r in plain_fingertips_rows("2023/24") if r["Area Code"] in london and r["Count"]]
        count = sum(int(r["Count"]) for r in counted)
        denominator = sum(int(r["Denominator"]) for r in counted)
        row = one(values, INJURY, "E12000007", "2023/24")
        assert (row["count"], row["denominator"]) == (count, denominator)
        assert row["value"] == pytest.approx(count / denominator * 10_000, abs=1e-4)
        assert row["lower_ci"] < row["value"] < row["upper_ci"]
        assert "calculated by jointwork from LA counts" in row["note"]
        assert "Fingertips does not publish" in row["note"]

    def test_region_left_empty_when_an_la_has_no_count(self, values: pd.DataFrame) -> None:
        row = one(values, INJURY, "E12000004", "2016/17")
        assert pd.isna(row["value"]) and pd.isna(row["count"])
        assert "Nottingham" in row["note"]

    def test_every_region_filled_in_latest_period(self, values: pd.DataFrame) -> None:
        latest = ((values["key"] == INJURY) & (values["period"] == "2023/24")) | (values["key"] == GLD)
        regions = values[latest & (values["area_level"] == "region")]
        assert len(regions) == 18
        assert regions["value"].notna().all()

    def test_england_computed_vs_published_is_reported(self, built: tuple[Path, BuildReport]) -> None:
        rows = [r for r in plain_fingertips_rows("2023/24") if r["Area Code"] != "E92000001" and r["Count"]]
        computed = sum(int(r["Count"]) for r in rows) / sum(int(r["Denominator"]) for r in rows) * 10_000
        check = next(line for line in built[1].checks if line.startswith(INJURY) and "England" in line)
        assert f"2023/24 {computed:.2f} vs 72.71" in check
        assert abs(computed - 72.71223) < 0.5
        assert built[1].warnings == []


class TestCurrentAreas:
    def test_cumberland_from_districts(self, values: pd.DataFrame) -> None:
        totals = [r for r in read_rows(EYFSP_FILE)
                  if r["characteristic"] == r["characteristic_type"] == r["gender"] == "Total"]
        districts = [r for r in totals if r["geographic_level"] == "Local authority district"
                     and r["lad_name"] in {"Allerdale", "Carlisle", "Copeland"}]
        assert len(districts) == 3
        good = sum(int(r["gld_number"]) for r in districts)
        children = sum(int(r["children_number"]) for r in districts)
        row = one(values, GLD, "E06000063", "2021/22")
        assert (row["count"], row["denominator"]) == (good, children)
        assert row["value"] == round(good / children * 100, 1)
        assert "Allerdale" in row["note"] and "calculated by jointwork" in row["note"]
        cumbria = next(r for r in totals if r["geographic_level"] == "Local authority"
                       and r["new_la_code"] == "E10000006")
        rest = one(values, GLD, "E06000064", "2021/22")
        assert row["count"] + rest["count"] == int(cumbria["gld_number"])
        assert row["denominator"] + rest["denominator"] == int(cumbria["children_number"])

    @pytest.mark.parametrize("key, period", [(INJURY, "2023/24"), (GLD, "2021/22")])
    def test_every_area_has_a_latest_row(self, values: pd.DataFrame, key: str, period: str) -> None:
        latest = values[(values["key"] == key) & (values["period"] == period)]
        assert latest["area_level"].value_counts().to_dict() == {"la": 153, "region": 9, "england": 1}
        assert set(latest.loc[latest["area_level"] == "la", "area_code"]) == {r["new_la_code"]
                                                                               for r in read_rows(LA_FILE)}

    def test_every_empty_value_has_a_note(self, values: pd.DataFrame) -> None:
        empty = values[values["value"].isna()]
        assert not empty.empty
        assert empty["note"].fillna("").str.len().gt(0).all()

    def test_unfilled_area_listed_and_noted(self, tmp_path: Path) -> None:
        source = copy_sources(tmp_path)
        eyfsp = pd.read_csv(source / EYFSP_FILE, dtype=str, keep_default_na=False)
        eyfsp[eyfsp["lad_code"] != "E07000026"].to_csv(source / EYFSP_FILE, index=False)
        report = build_indicators(source, tmp_path / "out")
        out = pd.read_csv(tmp_path / "out" / "values.csv", dtype=str, keep_default_na=False)
        row = one(out, GLD, "E06000063", "2021/22")
        assert row["value"] == "" and row["note"].startswith("not published for this area in 2021/22")
        assert any("E06000063 Cumberland" in m for m in report.missing)
        assert one(out, GLD, "E06000064", "2021/22")["value"] != ""


def copy_sources(folder: Path) -> Path:
    source = folder / "source"
    source.mkdir()
    for name in (LA_FILE, FINGERTIPS_FILE, EYFSP_FILE):
        shutil.copyfile(SHARED / name, source / name)
    return source


class TestOutput:
    def test_rerun_is_byte_identical(self, built: tuple[Path, BuildReport], tmp_path: Path) -> None:
        build_indicators(SHARED, tmp_path)
        build_indicators(SHARED, tmp_path)
        for name in OUTPUTS:
            assert (tmp_path / name).read_bytes() == (built[0] / name).read_bytes(), name

    def test_committed_data_equals_a_fresh_build(self, built: tuple[Path, BuildReport]) -> None:
        for name in OUTPUTS:
            assert (COMMITTED / name).is_file(), f"{COMMITTED / name} is missing: rebuild it"
            assert (COMMITTED / name).read_bytes() == (built[0] / name).read_bytes(), (
                f"{name} differs from a fresh build: run `jointwork data build-indicators --from ../shared/data`")

    def test_compact(self, built: tuple[Path, BuildReport]) -> None:
        assert sum((built[0] / name).stat().st_size for name in OUTPUTS) < 500_000

    def test_catalogue(self, built: tuple[Path, BuildReport]) -> None:
        catalogue = pd.read_csv(built[0] / "catalogue.csv", dtype=str, keep_default_na=False)
        assert catalogue["key"].tolist() == [INJURY, GLD]
        assert catalogue["fingertips_id"].tolist() == ["90284", ""]
        assert catalogue["polarity"].tolist() == ["lower is better", "higher is better"]
        assert (catalogue["licence"] == "Open Government Licence v3.0").all()

    def test_data_log_has_attribution_and_command(self, built: tuple[Path, BuildReport]) -> None:
        log = (built[0] / "README.md").read_text(encoding="utf-8")
        assert ("Contains public sector information licensed under the Open Government Licence v3.0. "
                "Source: Office for National Statistics; Department for Education; OHID Fingertips.") in log
        assert "jointwork data build-indicators --from ../shared/data" in log
        assert str(built[0]) not in log


class TestMissingInput:
    @pytest.mark.parametrize("name, column", [(FINGERTIPS_FILE, "Count"), (EYFSP_FILE, "gld_number"),
                                              (LA_FILE, "region_code")])
    def test_missing_column_names_file_and_column(self, tmp_path: Path, name: str, column: str) -> None:
        source = copy_sources(tmp_path)
        frame = pd.read_csv(source / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.drop(columns=[column]).to_csv(source / name, index=False)
        with pytest.raises(InputError) as caught:
            build_indicators(source, tmp_path / "out")
        assert Path(caught.value.source).name == name
        assert caught.value.field == column
        assert name in str(caught.value) and column in str(caught.value)
        assert not (tmp_path / "out").exists()

    def test_text_in_a_number_column(self, tmp_path: Path) -> None:
        source = copy_sources(tmp_path)
        eyfsp = pd.read_csv(source / EYFSP_FILE, dtype=str, keep_default_na=False)
        eyfsp.loc[eyfsp["new_la_code"] == "E06000045", "gld_number"] = "c"
        eyfsp.to_csv(source / EYFSP_FILE, index=False)
        with pytest.raises(InputError) as caught:
            build_indicators(source, tmp_path / "out")
        assert (Path(caught.value.source).name, caught.value.field, caught.value.got) == (EYFSP_FILE, "gld_number", "c")

    def test_missing_file(self, tmp_path: Path) -> None:
        source = copy_sources(tmp_path)
        (source / EYFSP_FILE).unlink()
        with pytest.raises(InputError, match=EYFSP_FILE):
            build_indicators(source, tmp_path / "out")
