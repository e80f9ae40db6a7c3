"""The indicator snapshot: the catalogue, the build (published figures copied faithfully, derived figures
right, output reproducible), importing any Fingertips export, and fetching exports (from a local server)."""

from __future__ import annotations

import csv
import http.server
import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from jointwork.build.catalogue import definitions_path, export_url, load_definitions
from jointwork.build.fetch import FetchError, fetch_indicators, parse_ids
from jointwork.build.fingertips import COLUMNS
from jointwork.build.indicators import (
    EYFSP_FILE,
    FINGERTIPS_FILE,
    GLD,
    INJURY,
    LA_FILE,
    OUTPUTS,
    BuildReport,
    build_indicators,
    import_fingertips,
)
from jointwork.cli import main
from jointwork.core.errors import InputError

from conftest import REPO, SHARED_DATA

SHARED = SHARED_DATA
COMMITTED = REPO / "data" / "indicators"

# Every test here reads the public files: skipped without them, failed under CI.
pytestmark = pytest.mark.usefixtures("shared_data")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> tuple[Path, BuildReport]:
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
    return [
        r
        for r in read_rows(FINGERTIPS_FILE)
        if r["Sex"] == "Persons" and not r["Category Type"] and r["Time period"] == period
    ]


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
        assert "export has no regional figures" in row["note"] and row["status"] == "calculated"

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
        totals = [
            r
            for r in read_rows(EYFSP_FILE)
            if r["characteristic"] == r["characteristic_type"] == r["gender"] == "Total"
        ]
        districts = [
            r
            for r in totals
            if r["geographic_level"] == "Local authority district"
            and r["lad_name"] in {"Allerdale", "Carlisle", "Copeland"}
        ]
        assert len(districts) == 3
        good = sum(int(r["gld_number"]) for r in districts)
        children = sum(int(r["children_number"]) for r in districts)
        row = one(values, GLD, "E06000063", "2021/22")
        assert (row["count"], row["denominator"]) == (good, children)
        assert row["value"] == round(good / children * 100, 1)
        assert "Allerdale" in row["note"] and "calculated by jointwork" in row["note"]
        cumbria = next(
            r for r in totals if r["geographic_level"] == "Local authority" and r["new_la_code"] == "E10000006"
        )
        rest = one(values, GLD, "E06000064", "2021/22")
        assert row["count"] + rest["count"] == int(cumbria["gld_number"])
        assert row["denominator"] + rest["denominator"] == int(cumbria["children_number"])

    @pytest.mark.parametrize("key, period", [(INJURY, "2023/24"), (GLD, "2021/22")])
    def test_every_area_has_a_latest_row(self, values: pd.DataFrame, key: str, period: str) -> None:
        latest = values[(values["key"] == key) & (values["period"] == period)]
        assert latest["area_level"].value_counts().to_dict() == {"la": 153, "region": 9, "england": 1}
        assert set(latest.loc[latest["area_level"] == "la", "area_code"]) == {
            r["new_la_code"] for r in read_rows(LA_FILE)
        }

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

    def test_committed_data_equals_a_fresh_build(self, tmp_path: Path) -> None:
        # A build keeps what was imported, so it starts from the committed provenance and values.
        for name in ("provenance.json", "values.csv"):
            shutil.copyfile(COMMITTED / name, tmp_path / name)
        build_indicators(SHARED, tmp_path)
        for name in OUTPUTS:
            assert (COMMITTED / name).is_file(), f"{COMMITTED / name} is missing: rebuild it"
            assert (COMMITTED / name).read_bytes() == (tmp_path / name).read_bytes(), (
                f"{name} differs from a fresh build: run `jointwork data build-indicators --from ../shared/data`"
            )

    def test_compact(self, built: tuple[Path, BuildReport]) -> None:
        assert sum((built[0] / name).stat().st_size for name in OUTPUTS) < 500_000

    def test_catalogue(self, built: tuple[Path, BuildReport]) -> None:
        catalogue = pd.read_csv(built[0] / "catalogue.csv", dtype=str, keep_default_na=False).set_index("key")
        assert (catalogue["licence"] == "Open Government Licence v3.0").all()
        assert catalogue.loc[[INJURY, GLD], "fingertips_id"].tolist() == ["90284", "90631"]
        assert catalogue.loc[[INJURY, GLD], "polarity"].tolist() == ["lower is better", "higher is better"]
        assert catalogue.loc[[INJURY, GLD], "figures_held"].tolist() == ["yes", "yes"]
        assert (catalogue.drop(index=[INJURY, GLD])["figures_held"] == "no").all()
        assert catalogue.loc[GLD, "publisher"] == "Department for Education (DfE)"
        assert catalogue.loc["breastfeeding_6_8_weeks", "url"] == export_url(92517)

    def test_data_log_has_attribution_and_command(self, built: tuple[Path, BuildReport]) -> None:
        log = (built[0] / "README.md").read_text(encoding="utf-8")
        assert (
            "Contains public sector information licensed under the Open Government Licence v3.0. "
            "Source: Office for National Statistics; Department for Education; OHID Fingertips."
        ) in log
        assert "jointwork data build-indicators --from ../shared/data" in log
        assert "jointwork data import-fingertips FILE" in log and "jointwork data fetch-indicators --ids 93085," in log
        assert str(built[0]) not in log


class TestMissingInput:
    @pytest.mark.parametrize(
        "name, column", [(FINGERTIPS_FILE, "Count"), (EYFSP_FILE, "gld_number"), (LA_FILE, "region_code")]
    )
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


# ---- The catalogue's definitions -----------------------------------------------------------------
def edited_definitions(tmp_path: Path, change: Callable[[dict], None]) -> Path:
    raw = yaml.safe_load(definitions_path().read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "definitions.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class TestDefinitions:
    ASKED = {"92517", "93085", "20101", "90319", "30309", "90631", "92500", "90284", "93700", "93701"}
    DATA_README = ASKED | {"93932", "91743", "20401", "20601", "93553", "92708", "94103"}

    def test_every_indicator_of_the_brief_and_the_data_notes(self) -> None:
        ids = set(load_definitions().by_fingertips_id())
        assert self.DATA_README <= ids

    def test_high_impact_areas_2021_and_the_one_2026_area_known(self) -> None:
        defs = load_definitions()
        assert sorted(h["number"] for h in defs.high_impact_areas.values() if h["framework"] == "2021") == [
            1,
            2,
            3,
            4,
            5,
            6,
        ]
        assert [h["title"] for h in defs.high_impact_areas.values() if h["framework"] == "2026"] == [
            "The transition to parenthood"
        ]
        every_2021_area_measured = {h for i in defs.indicators for h in i["hia_2021"]}
        assert every_2021_area_measured == {h for h, v in defs.high_impact_areas.items() if v["framework"] == "2021"}
        assert {i["key"] for i in defs.indicators if i["hia_2026"]} == {
            i["key"] for i in defs.indicators if "hia21_transition" in i["hia_2021"]
        }

    def test_metadata_not_from_a_metadata_file_is_marked_to_recheck(self) -> None:
        for entry in load_definitions().indicators:
            if entry["metadata"] == "jointwork":
                assert {"title", "polarity"} & set(entry["recheck"]) or entry["key"] == GLD, entry["key"]
                assert {"unit", "polarity"} <= set(entry["recheck"]) or entry["key"] == GLD, entry["key"]

    def test_agrees_with_fingertipsnext(self, built: tuple[Path, BuildReport]) -> None:
        assert any("agree with fingertipsnext_indicators.csv" in c for c in built[1].checks)
        with open(SHARED / "fingertipsnext_indicators.csv", encoding="utf-8-sig") as handle:
            listed = {r["IndicatorID"] for r in csv.DictReader(handle)}
        for entry in load_definitions().indicators:
            assert (entry["metadata"] == "fingertipsnext") == (str(entry["fingertips_id"]) in listed), entry["key"]

    def test_a_title_that_strays_from_fingertipsnext_is_refused(self, tmp_path: Path) -> None:
        def change(raw: dict) -> None:
            next(i for i in raw["indicators"] if i["fingertips_id"] == 93085)["title"] = "Smoking in pregnancy"

        with pytest.raises(InputError) as caught:
            build_indicators(SHARED, tmp_path / "out", edited_definitions(tmp_path, change))
        assert caught.value.field == "smoking_at_delivery.title" and "Smokers at time of childbirth delivery" in str(
            caught.value
        )
        assert not (tmp_path / "out").exists()

    def test_a_wrong_field_names_the_indicator_and_field(self, tmp_path: Path) -> None:
        def change(raw: dict) -> None:
            raw["indicators"][0]["polarity"] = "up"

        with pytest.raises(InputError) as caught:
            load_definitions(edited_definitions(tmp_path, change))
        assert caught.value.field == "indicators[1] (smoking_at_delivery).polarity" and caught.value.got == "up"

    def test_former_areas_are_gone_and_their_successors_current(self) -> None:
        current = {r["new_la_code"] for r in read_rows(LA_FILE)}
        for area in load_definitions().former_areas.values():
            assert area.code not in current and set(area.successors) <= current


# ---- Importing a Fingertips export ------------------------------------------------------------
EXTRA = ("Parent Code", "Category", "Recent Trend")


def export_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys((*COLUMNS, *EXTRA), "")
    row.update(values)
    return row


def write_export(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*COLUMNS, *EXTRA])
        writer.writeheader()
        writer.writerows(rows)
    return path


BREASTFEEDING = "breastfeeding_6_8_weeks"


def synthetic_export(path: Path, *, regions: bool = False) -> Path:
    """A small export of 92517 in the real layout: area type 402 codes, England twice, a region (if asked),
    a category row, a Male row, a suppressed value, a combined area and Cumbria before its split."""

    def row(code: str, name: str, area_type: str, period: str, value: str, count: str, den: str, **more: str):
        return export_row(
            **{
                "Indicator ID": "92517",
                "Indicator Name": "Breastfeeding prevalence at 6 to 8 weeks after birth",
                "Area Code": code,
                "Area Name": name,
                "Area Type": area_type,
                "Sex": "Persons",
                "Age": "6-8 weeks",
                "Time period": period,
                "Time period Sortable": period[:4] + "0000",
                "Value": value,
                "Count": count,
                "Denominator": den,
                **more,
            }
        )

    la = "Counties & UAs (2021/22-2022/23)"
    rows = []
    for period in ("2021/22", "2022/23"):
        rows += [
            row("E92000001", "England", "England", period, "49.3", "290000", "588235"),
            row("E92000001", "England", "England", period, "49.3", "290000", "588235", **{"Parent Code": "E92000001"}),
            row("E06000045", "Southampton", la, period, "55.0" if period == "2022/23" else "53.0", "1100", "2000"),
            row("E10000006", "Cumbria", la, period, "40.1", "1600", "3990"),
            row("E10000023", "North Yorkshire", la, period, "50.5", "2525", "5000"),
            row(
                "E06000052",
                "Cornwall",
                la,
                period,
                "45.0",
                "2250",
                "5000",
                **{"Value note": "Value for Cornwall and Isles of Scilly combined"},
            ),
            row(
                "E06000053",
                "Isles of Scilly",
                la,
                period,
                "",
                "",
                "",
                **{"Value note": "Value for Cornwall and Isles of Scilly combined"},
            ),
            row(
                "E06000046",
                "Isle of Wight",
                la,
                period,
                "",
                "",
                "",
                **{"Value note": "Value suppressed for disclosure control due to small count"},
            ),
            row(
                "E06000045",
                "Southampton",
                la,
                period,
                "30.0",
                "30",
                "100",
                **{"Category Type": "LSOA11 deprivation deciles", "Category": "Most deprived decile"},
            ),
            row("E06000045", "Southampton", la, period, "54.0", "540", "1000", Sex="Male"),
        ]
        if regions:
            rows.append(row("E12000008", "South East", "Region", period, "52.0", "36400", "70000"))
    return write_export(path, rows)


@pytest.fixture
def snapshot(built: tuple[Path, BuildReport], tmp_path: Path) -> Path:
    """A copy of a fresh build to import into."""
    folder = tmp_path / "indicators"
    shutil.copytree(built[0], folder)
    return folder


def snapshot_values(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "values.csv", dtype={"area_code": str, "period": str, "note": str})


class TestImport:
    def test_the_real_export_gives_the_same_figures_as_the_build(self, snapshot: Path, capsys) -> None:
        before = (snapshot / "values.csv").read_bytes()
        assert main(["data", "import-fingertips", str(SHARED / FINGERTIPS_FILE), "--out", str(snapshot)]) == 0
        assert "Imported injury_admissions_0_14" in capsys.readouterr().out
        assert (snapshot / "values.csv").read_bytes() == before
        row = one(snapshot_values(snapshot), INJURY, "E06000045", "2023/24")
        assert round(row["value"], 1) == 72.1 and (row["count"], row["denominator"]) == (305, 42281)
        parts = {p["key"]: p for p in json.loads((snapshot / "provenance.json").read_text())["parts"]}
        assert parts[INJURY]["origin"] == "import" and parts[GLD]["origin"] == "build"

    def test_a_partial_export_merges_into_the_full_series(self, snapshot: Path, tmp_path: Path, capsys) -> None:
        # the 30-row excerpt (4 areas, 2 years) on top of the full series of 90284 (2,270 rows)
        before = snapshot_values(snapshot)
        excerpt = SHARED / "fingertips_format_excerpt_90284.csv"
        assert main(["data", "import-fingertips", str(excerpt), "--out", str(snapshot)]) == 0
        out = capsys.readouterr().out
        assert "injury_admissions_0_14: 0 rows added, 8 replaced, 2136 kept from the snapshot (2270 rows now)" in out
        after = snapshot_values(snapshot)
        pd.testing.assert_frame_equal(after, before)  # the excerpt's figures are the series' own
        record = next(p for p in json.loads((snapshot / "provenance.json").read_text())["parts"] if p["key"] == INJURY)
        assert record["file"] == f"{FINGERTIPS_FILE}; {excerpt.name}" and record["rows"] == 2270
        # a changed figure replaces only its own row; every other area and period is kept
        changed = tmp_path / "changed.csv"
        text = excerpt.read_text(encoding="utf-8")
        assert text.count(",84.02765,") == 1
        changed.write_text(text.replace(",84.02765,", ",90.5,"), encoding="utf-8")
        report = import_fingertips([changed], snapshot)
        assert report.merges == [
            "injury_admissions_0_14: 0 rows added, 8 replaced, 2136 kept from the snapshot (2270 rows now)"
        ]
        values = snapshot_values(snapshot)
        assert one(values, INJURY, "E06000045", "2022/23")["value"] == 90.5
        assert (
            one(values, INJURY, "E06000045", "2021/22")["value"] == one(before, INJURY, "E06000045", "2021/22")["value"]
        )
        latest = values[(values["key"] == INJURY) & (values["period"] == "2023/24") & (values["area_level"] == "la")]
        assert (
            latest["value"].notna().sum()
            == before[(before["key"] == INJURY) & (before["period"] == "2023/24") & (before["area_level"] == "la")][
                "value"
            ]
            .notna()
            .sum()
        )
        assert not any("no row for it" in m for m in report.missing if "2023/24" in m and "E06000045" in m)

    def test_a_rebuild_keeps_what_was_imported(self, snapshot: Path, tmp_path: Path) -> None:
        import_fingertips([synthetic_export(tmp_path / "bf.csv")], snapshot)
        imported = {name: (snapshot / name).read_bytes() for name in OUTPUTS}
        build_indicators(SHARED, snapshot)
        assert {name: (snapshot / name).read_bytes() for name in OUTPUTS} == imported
        assert BREASTFEEDING in (snapshot / "README.md").read_text()

    def test_old_codes_combined_areas_suppression_and_category_rows(self, snapshot: Path, tmp_path: Path) -> None:
        report = import_fingertips([synthetic_export(tmp_path / "bf.csv")], snapshot)
        assert report.added == [BREASTFEEDING] and report.merges[0].endswith("rows added (not held before)")
        values = snapshot_values(snapshot)
        southampton = one(values, BREASTFEEDING, "E06000045", "2022/23")
        assert (southampton["value"], southampton["status"]) == (55.0, "published")  # Persons, no category
        for code in ("E06000063", "E06000064"):  # Cumbria's old code: said, not divided
            row = one(values, BREASTFEEDING, code, "2022/23")
            assert pd.isna(row["value"]) and row["status"] == "former area"
            assert row["note"].startswith("not published for today's area") and "Cumbria (E10000006)" in row["note"]
        york = one(values, BREASTFEEDING, "E06000065", "2022/23")
        assert york["value"] == 50.5 and "former code E10000023" in york["note"]
        scilly, cornwall = (
            one(values, BREASTFEEDING, "E06000053", "2022/23"),
            one(values, BREASTFEEDING, "E06000052", "2022/23"),
        )
        assert (scilly["status"], scilly["combined_with"]) == ("in combined area", "E06000052")
        assert (cornwall["status"], cornwall["combined_with"], cornwall["value"]) == ("combined", "E06000053", 45.0)
        wight = one(values, BREASTFEEDING, "E06000046", "2022/23")
        assert wight["status"] == "suppressed" and "disclosure" in wight["note"]
        latest = values[(values["key"] == BREASTFEEDING) & (values["period"] == "2022/23")]
        assert latest["area_level"].value_counts().to_dict() == {"la": 153, "region": 9, "england": 1}
        assert latest["note"][latest["value"].isna()].notna().all()
        south_east = one(values, BREASTFEEDING, "E12000008", "2022/23")
        assert pd.isna(south_east["value"]) and "no count is published for" in south_east["note"]
        england = values[(values["key"] == BREASTFEEDING) & (values["area_code"] == "E92000001")]
        assert england["period"].tolist() == ["2021/22", "2022/23"]
        assert any("Isle of Wight" in m for m in report.missing)

    def test_published_regions_are_used(self, snapshot: Path, tmp_path: Path) -> None:
        import_fingertips([synthetic_export(tmp_path / "bf.csv", regions=True)], snapshot)
        row = one(snapshot_values(snapshot), BREASTFEEDING, "E12000008", "2022/23")
        assert (row["value"], row["status"]) == (52.0, "published")
        record = next(
            p for p in json.loads((snapshot / "provenance.json").read_text())["parts"] if p["key"] == BREASTFEEDING
        )
        assert record["regions"] == "published in the export" and record["vintage"] == "2021/22 to 2022/23"

    def test_regions_from_counts_use_wilson_for_a_proportion(self, snapshot: Path, tmp_path: Path) -> None:
        # Every LA of the real 90284 export relabelled as breastfeeding: each region is then counted.
        frame = pd.read_csv(SHARED / FINGERTIPS_FILE, dtype=str, keep_default_na=False)
        frame = frame.assign(
            **{"Indicator ID": "92517", "Indicator Name": "Breastfeeding prevalence at 6 to 8 weeks after birth"}
        )
        frame.to_csv(tmp_path / "relabelled.csv", index=False)
        import_fingertips([tmp_path / "relabelled.csv"], snapshot)
        row = one(snapshot_values(snapshot), BREASTFEEDING, "E12000007", "2023/24")
        count, den = row["count"], row["denominator"]
        assert row["value"] == pytest.approx(count / den * 100, abs=1e-4)
        assert "Wilson" in row["note"] and row["lower_ci"] < row["value"] < row["upper_ci"]

    def test_nothing_written_on_error(self, snapshot: Path, tmp_path: Path) -> None:
        before = {name: (snapshot / name).read_bytes() for name in OUTPUTS}
        bad = write_export(tmp_path / "bad.csv", [export_row(**{"Indicator ID": "12345", "Area Code": "E92000001"})])
        with pytest.raises(InputError):
            import_fingertips([synthetic_export(tmp_path / "good.csv"), bad], snapshot)
        assert {name: (snapshot / name).read_bytes() for name in OUTPUTS} == before


class TestImportErrors:
    def test_missing_columns_are_named(self, snapshot: Path, tmp_path: Path, capsys) -> None:
        path = tmp_path / "short.csv"
        path.write_text("Indicator ID,Area Code,Value\n92517,E92000001,49.3\n", encoding="utf-8")
        with pytest.raises(InputError) as caught:
            import_fingertips([path], snapshot)
        assert caught.value.source == str(path) and caught.value.field == "Indicator Name"
        assert "its header lacks the columns Indicator Name, Area Name, Area Type," in str(caught.value)
        assert main(["data", "import-fingertips", str(path), "--out", str(snapshot)]) == 1
        assert f"error: {path}" in capsys.readouterr().err

    def test_text_in_a_number_column_gives_its_line(self, snapshot: Path, tmp_path: Path) -> None:
        path = synthetic_export(tmp_path / "bf.csv")
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[3] = lines[3].replace(",55.0,", ",about half,").replace(",53.0,", ",about half,")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(InputError) as caught:
            import_fingertips([path], snapshot)
        assert (caught.value.field, caught.value.line, caught.value.got) == ("Value", 4, "about half")
        assert f"{path}, line 4: field 'Value'" in str(caught.value)

    def test_an_indicator_not_in_the_catalogue(self, snapshot: Path, tmp_path: Path) -> None:
        path = synthetic_export(tmp_path / "bf.csv")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.loc[5, "Indicator ID"] = "12345"
        frame.to_csv(path, index=False)
        with pytest.raises(InputError) as caught:
            import_fingertips([path], snapshot)
        assert (caught.value.field, caught.value.line, caught.value.got) == ("Indicator ID", 7, "12345")
        assert "90284" in caught.value.expected and "definitions.yaml" in caught.value.expected

    def test_several_age_bands_need_the_catalogue_to_choose(self, snapshot: Path, tmp_path: Path) -> None:
        frame = pd.read_csv(synthetic_export(tmp_path / "bf.csv"), dtype=str, keep_default_na=False)
        frame.loc[2, "Age"] = "All ages"
        frame.to_csv(tmp_path / "ages.csv", index=False)
        with pytest.raises(InputError) as caught:
            import_fingertips([tmp_path / "ages.csv"], snapshot)
        assert caught.value.field == "Age" and "6-8 weeks" in str(caught.value.got)

    def test_a_district_export_is_refused(self, snapshot: Path, tmp_path: Path) -> None:
        path = write_export(
            tmp_path / "districts.csv",
            [
                export_row(
                    **{
                        "Indicator ID": "92517",
                        "Area Code": code,
                        "Area Type": "Districts & UAs",
                        "Sex": "Persons",
                        "Age": "6-8 weeks",
                        "Time period": "2022/23",
                        "Time period Sortable": "20220000",
                        "Value": "50",
                    }
                )
                for code in ("E92000001", "E07000026")
            ],
        )
        with pytest.raises(InputError, match="area type 402 or 502"):
            import_fingertips([path], snapshot)

    def test_not_a_csv_export(self, snapshot: Path, tmp_path: Path) -> None:
        path = tmp_path / "page.csv"
        path.write_text("<!DOCTYPE html><html><body>Service unavailable</body></html>\n", encoding="utf-8")
        with pytest.raises(InputError, match="Fingertips 'all data' CSV export"):
            import_fingertips([path], snapshot)


# ---- Fetching from the Fingertips API (a recorded response served on 127.0.0.1) -------------------
class _Recorded(http.server.BaseHTTPRequestHandler):
    """Answers the export address with the stored real export of 90284; other ids get 404."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).requests.append(self.path)
        if "indicator_ids=90284&" in self.path and self.path.startswith("/api/all_data/csv/by_indicator_id?"):
            body = (SHARED / FINGERTIPS_FILE).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
        elif "indicator_ids=20101&" in self.path:
            time.sleep(1.5)  # slower than the test's timeout
            body = b""
            self.send_response(200)
        elif "indicator_ids=92517&" in self.path:
            body = b"<html><body>Maintenance</body></html>\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
        else:
            body = b"not found"
            self.send_response(404)
        try:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (the timeout test)
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fingertips_api() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorded)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorded.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/api/"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestFetch:
    def test_downloads_and_imports_the_export(self, snapshot: Path, fingertips_api: str, tmp_path: Path) -> None:
        report = fetch_indicators(
            ["90284"], snapshot, base_url=fingertips_api, save_to=tmp_path / "saved", today=date(2026, 12, 1)
        )
        assert report.added == [INJURY]
        assert _Recorded.requests == [
            "/api/all_data/csv/by_indicator_id?indicator_ids=90284&child_area_type_id=502&parent_area_type_id=15"
        ]
        assert (tmp_path / "saved" / "fingertips_90284_area_type_502.csv").read_bytes() == (
            SHARED / FINGERTIPS_FILE
        ).read_bytes()
        row = one(snapshot_values(snapshot), INJURY, "E06000045", "2023/24")
        assert round(row["value"], 1) == 72.1 and (row["count"], row["denominator"]) == (305, 42281)
        record = next(p for p in json.loads((snapshot / "provenance.json").read_text())["parts"] if p["key"] == INJURY)
        assert record["url"] == export_url(90284, base=fingertips_api) and record["retrieved"] == "2026-12-01"
        assert "retrieved 2026-12-01" in (snapshot / "README.md").read_text()

    def test_the_command(self, snapshot: Path, fingertips_api: str, capsys) -> None:
        code = main(
            ["data", "fetch-indicators", "--ids", "90284", "--out", str(snapshot), "--base-url", fingertips_api]
        )
        assert code == 0 and "Downloaded and imported injury_admissions_0_14" in capsys.readouterr().out

    def test_offline_says_so_and_changes_nothing(self, snapshot: Path, capsys) -> None:
        before = (snapshot / "values.csv").read_bytes()
        base = f"http://127.0.0.1:{closed_port()}/api/"
        with pytest.raises(FetchError, match=r"could not reach 127\.0\.0\.1:\d+ .*looks offline"):
            fetch_indicators(["90284"], snapshot, base_url=base, timeout=5)
        assert main(["data", "fetch-indicators", "--ids", "90284", "--out", str(snapshot), "--base-url", base]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: could not reach") and "import-fingertips FILE" in err
        assert (snapshot / "values.csv").read_bytes() == before

    def test_http_error_names_the_address(self, snapshot: Path, fingertips_api: str) -> None:
        with pytest.raises(FetchError, match=r"indicator_ids=93085.*HTTP 404"):
            fetch_indicators(["90284", "93085"], snapshot, base_url=fingertips_api)

    def test_a_page_that_is_not_an_export(self, snapshot: Path, fingertips_api: str) -> None:
        with pytest.raises(InputError) as caught:
            fetch_indicators(["92517"], snapshot, base_url=fingertips_api)
        assert caught.value.source.startswith(export_url(92517, base=fingertips_api))
        assert "header lacks the columns Indicator ID" in str(caught.value)

    def test_timeout(self, snapshot: Path, fingertips_api: str) -> None:
        started = time.monotonic()
        with pytest.raises(FetchError):
            fetch_indicators(["20101"], snapshot, base_url=fingertips_api, timeout=0.3)
        assert time.monotonic() - started < 1.4

    def test_ids(self) -> None:
        assert parse_ids(["92517,93085", "90284"]) == ["92517", "93085", "90284"]
        assert len(parse_ids(None)) == len(load_definitions().indicators)
        with pytest.raises(InputError, match="--ids"):
            parse_ids(["123"])
