"""The area lookup API over the committed tables in data/areas/."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork import areas
from jointwork.errors import AreaNotFound, InputError
from jointwork.paths import DATA_ENV


def test_all_areas_are_the_153_english_upper_tier_las_sorted_by_name() -> None:
    found = areas.all_areas()
    assert len(found) == 153
    assert len({area.code for area in found}) == 153
    assert [area.name for area in found] == sorted(area.name for area in found)
    assert all(area.icbs for area in found)


def test_find_by_gss_code_in_any_case_with_spaces() -> None:
    assert areas.find_area("E06000045").name == "Southampton"
    assert areas.find_area("  e06000045 ").name == "Southampton"


def test_find_by_former_code_gives_the_current_area() -> None:
    barnsley = areas.find_area("E08000016")
    assert (barnsley.code, barnsley.name) == ("E08000038", "Barnsley")
    assert "E08000016" in barnsley.aliases
    assert areas.find_area("e08000019").code == "E08000039"


def test_find_by_dfe_code() -> None:
    assert areas.find_area("852").code == "E06000045"
    assert areas.find_area("370").name == "Barnsley"
    assert areas.find_area("373").name == "Sheffield"


def test_find_by_name_in_any_case() -> None:
    assert areas.find_area("SOUTHAMPTON").code == "E06000045"
    assert areas.find_area(" bath and north east somerset ").code == "E06000022"


def test_unknown_area_suggests_close_matches() -> None:
    with pytest.raises(AreaNotFound) as caught:
        areas.find_area("Southamton")
    assert caught.value.suggestions[0] == "Southampton (E06000045)"
    assert len(caught.value.suggestions) <= 5
    assert "Southampton (E06000045)" in str(caught.value)
    assert caught.value.query == "Southamton"


def test_unknown_area_with_nothing_close_suggests_nothing() -> None:
    with pytest.raises(AreaNotFound) as caught:
        areas.find_area("qqqqqqqq")
    assert caught.value.suggestions == []


def test_search_is_case_insensitive_substring_over_names_codes_regions_and_icbs() -> None:
    assert "E06000022" in [area.code for area in areas.search_areas("bath")]
    assert "E06000022" in [area.code for area in areas.search_areas("BATH")]
    by_icb = {area.name for area in areas.search_areas("hampshire and isle of wight")}
    assert {"Southampton", "Portsmouth", "Isle of Wight", "Hampshire"} <= by_icb
    assert [area.name for area in areas.search_areas("E0600004")] == sorted(
        area.name for area in areas.search_areas("E0600004"))
    assert areas.search_areas("no such place") == []


def test_regions_and_areas_in_region() -> None:
    assert areas.regions() == ["East Midlands", "East of England", "London", "North East", "North West",
                               "South East", "South West", "West Midlands", "Yorkshire and The Humber"]
    london = areas.areas_in_region("LONDON")
    assert len(london) == 33
    assert {area.region for area in london} == {"London"}
    assert areas.areas_in_region("E12000008") == areas.areas_in_region("south east")


def test_unknown_region_lists_the_real_ones() -> None:
    with pytest.raises(InputError) as caught:
        areas.areas_in_region("Wales")
    assert (caught.value.source, caught.value.field) == ("argument", "region")
    assert caught.value.expected.startswith("one of East Midlands")


def test_describe_and_icb_names() -> None:
    southampton = areas.find_area("Southampton")
    assert southampton.describe() == ("Southampton (E06000045), South East; NHS Hampshire and Isle of Wight ICB "
                                      "(indicative); sits within one ICB")
    essex = areas.find_area("Essex")
    assert not essex.single_icb
    assert essex.icb_names.count("; ") == len(essex.icbs) - 1 >= 1
    assert essex.describe().endswith(f"spans {len(essex.icbs)} ICBs")


def test_derbyshire_sits_in_derby_and_derbyshire_icb_only() -> None:
    derbyshire = areas.find_area("Derbyshire")
    assert [link.ods_code for link in derbyshire.icbs] == ["QJ2"]
    assert derbyshire.single_icb


def _write_tables(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "areas.csv").write_text(
        "code,dfe_code,name,region,region_code,icb_basis,single_icb,coterminous,icb_codes\n"
        "E99000001,901,Testshire,Test Region,E12999999,exact,false,false,E54999991;E54999992\n", encoding="utf-8")
    (folder / "area_icbs.csv").write_text(
        "area_code,icb_code,icb_ods_code,icb_name,lsoa_count,lsoa_share\n"
        "E99000001,E54999991,QA1,NHS North Test ICB,8,0.8000\n"
        "E99000001,E54999992,QA2,NHS South Test ICB,2,0.2000\n", encoding="utf-8")
    (folder / "aliases.csv").write_text("alias,code,reason\nE99000009,E99000001,recoded\n", encoding="utf-8")


def test_tables_load_from_the_data_folder_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_tables(tmp_path / "areas")
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    [only] = areas.all_areas()
    assert areas.find_area("E99000009") is only
    assert only.icbs[0].lsoa_count == 8 and only.icbs[1].lsoa_share == pytest.approx(0.2)
    assert only.describe() == ("Testshire (E99000001), Test Region; NHS North Test ICB 80.0%; NHS South Test ICB "
                               "20.0% (exact); spans 2 ICBs")
    monkeypatch.delenv(DATA_ENV)
    assert len(areas.all_areas()) == 153


def test_missing_tables_name_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(InputError) as caught:
        areas.all_areas()
    assert caught.value.source.endswith("area_icbs.csv")
