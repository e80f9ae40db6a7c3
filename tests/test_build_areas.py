"""Building data/areas/ from the public files in ../shared/data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jointwork.build_areas import ATTRIBUTION, BuildReport, build_areas
from jointwork.errors import InputError

REPO = Path(__file__).parents[1]
SHARED_DATA = Path(__file__).parents[2] / "shared" / "data"
TABLES = ("areas.csv", "area_icbs.csv", "aliases.csv", "README.md")
LSOA_HEADER = "LSOA21CD,LSOA21NM,SICBL23CD,SICBL23CDH,SICBL23NM,ICB23CD,ICB23CDH,ICB23NM,LAD23CD,LAD23NM"

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(),
                                reason=f"the public source files are not at {SHARED_DATA}")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _by_code(folder: Path) -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in _rows(folder / "areas.csv")}


def _links(folder: Path, area_code: str) -> list[dict[str, str]]:
    return [row for row in _rows(folder / "area_icbs.csv") if row["area_code"] == area_code]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("areas")
    return out, build_areas(SHARED_DATA, out)


def test_every_english_upper_tier_la_with_a_3_digit_dfe_code(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    areas = _by_code(out)
    assert len(areas) == report.areas == 153
    dfe_codes = [row["dfe_code"] for row in areas.values()]
    assert all(len(code) == 3 and code.isdigit() for code in dfe_codes)
    assert len(set(dfe_codes)) == 153
    assert (areas["E08000038"]["dfe_code"], areas["E08000039"]["dfe_code"]) == ("370", "373")
    assert list(areas) == sorted(areas)


def test_every_area_has_an_icb_and_the_tables_agree(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    links = _rows(out / "area_icbs.csv")
    assert len(links) == report.links
    for code, row in _by_code(out).items():
        mine = [link["icb_code"] for link in links if link["area_code"] == code]
        assert mine, code
        assert row["icb_codes"].split(";") == mine
        assert (row["single_icb"] == "true") == (len(mine) == 1)
    assert all(link["icb_ods_code"] and link["icb_name"].endswith(" ICB") for link in links)
    assert all(link["lsoa_count"] == link["lsoa_share"] == "" for link in links)


def test_derbyshire_is_corrected_to_one_icb(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    derbyshire = _by_code(out)["E10000007"]
    assert (derbyshire["icb_codes"], derbyshire["single_icb"]) == ("E54000058", "true")
    assert [link["icb_name"] for link in _links(out, "E10000007")] == ["NHS Derby and Derbyshire ICB"]
    assert any("Derbyshire" in text and "Glossop" in text for text in report.warnings)
    assert "Glossop" in (out / "README.md").read_text(encoding="utf-8")


def test_southampton_is_in_hampshire_and_isle_of_wight_icb(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    [link] = _links(out, "E06000045")
    assert (link["icb_code"], link["icb_ods_code"], link["icb_name"]) == (
        "E54000042", "QRL", "NHS Hampshire and Isle of Wight ICB")
    assert _by_code(out)["E06000045"]["icb_basis"] == "indicative"


def test_other_multi_icb_links_are_kept(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    assert [link["icb_code"] for link in _links(out, "E10000025")] == ["E54000040", "E54000044"]
    assert len(_links(out, "E06000060")) == 2


def test_coterminous_means_the_icb_has_no_other_area(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    areas = _by_code(out)
    coterminous = [row for row in areas.values() if row["coterminous"] == "true"]
    assert len(coterminous) == report.coterminous >= 1
    icb_counts: dict[str, int] = {}
    for row in areas.values():
        for icb in row["icb_codes"].split(";"):
            icb_counts[icb] = icb_counts.get(icb, 0) + 1
    for row in areas.values():
        expected = row["single_icb"] == "true" and icb_counts[row["icb_codes"]] == 1
        assert (row["coterminous"] == "true") == expected, row["name"]


def test_aliases_are_derived_from_older_lookups(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    aliases = {row["alias"]: row for row in _rows(out / "aliases.csv")}
    assert aliases["E08000016"]["code"] == "E08000038"
    assert aliases["E08000019"]["code"] == "E08000039"
    assert aliases["E08000016"]["reason"].startswith("recoded 2025")
    assert aliases["E10000023"]["code"] == "E06000065"
    assert "E10000009" not in aliases and "E10000006" not in aliases
    assert any("E10000009" in text for text in report.warnings)
    assert len(aliases) == report.aliases


def test_data_log_names_sources_caveats_and_attribution(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    log = (out / "README.md").read_text(encoding="utf-8")
    assert ATTRIBUTION in log
    assert "INDICATIVE" in log
    assert "jointwork data build-areas --from DIR" in log
    for name in ("drkane_utla_all_codes.csv", "dfe_la_codes_2025_england.csv", "ons_sicbl22_icb22_nhser22_lookup.csv",
                 "DERIVED_indicative_utla23_to_icb22_via_ccg21.csv"):
        assert f"| {name} |" in log
    assert "Oxfordshire -> NHS Bath and North East Somerset, Swindon and Wiltshire ICB (kept)" in log
    assert "Buckinghamshire -> NHS Bedfordshire, Luton and Milton Keynes ICB (kept)" in log
    assert "153 areas" in report.summary()


def test_rebuild_is_byte_identical(built: tuple[Path, BuildReport], tmp_path: Path) -> None:
    out, _ = built
    build_areas(SHARED_DATA, tmp_path)
    for name in TABLES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_committed_tables_equal_a_fresh_build(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    for name in TABLES:
        committed = REPO / "data" / "areas" / name
        assert committed.read_bytes() == (out / name).read_bytes(), (
            f"{committed} is stale: rebuild with `jointwork data build-areas --from ../shared/data`")


def _write_lookup(path: Path, rows: list[str], header: str = LSOA_HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


DD = "E54000058,QJ2,NHS Derby and Derbyshire Integrated Care Board"
GM = "E54000057,QOP,NHS Greater Manchester Integrated Care Board"
SY = "E54000061,QF7,NHS South Yorkshire Integrated Care Board"
SYNTHETIC_ROWS = [
    f"E01000001,High Peak 001A,E38000261,15M,NHS Derby and Derbyshire ICB - 15M,{DD},E07000037,High Peak",
    f"E01000002,High Peak 001B,E38000261,15M,NHS Derby and Derbyshire ICB - 15M,{DD},E07000037,High Peak",
    f"E01000003,High Peak 001C,E38000263,01Y,NHS Greater Manchester ICB - 01Y,{GM},E07000037,High Peak",
    f"E01000004,Amber Valley 001A,E38000261,15M,NHS Derby and Derbyshire ICB - 15M,{DD},E07000032,Amber Valley",
    f"E01000005,Amber Valley 001B,E38000261,15M,NHS Derby and Derbyshire ICB - 15M,{DD},E07000032,Amber Valley",
    f"E01000006,Barnsley 001A,E38000006,02P,NHS South Yorkshire ICB - 02P,{SY},E08000016,Barnsley",
    f"E01000007,Barnsley 001B,E38000006,02P,NHS South Yorkshire ICB - 02P,{SY},E08000016,Barnsley",
]


def test_exact_membership_from_an_lsoa_lookup(tmp_path: Path) -> None:
    lookup = _write_lookup(tmp_path / "lsoa_lookup.csv", SYNTHETIC_ROWS)
    out = tmp_path / "areas"
    report = build_areas(SHARED_DATA, out, lookup)
    areas = _by_code(out)
    derbyshire = {link["icb_code"]: link for link in _links(out, "E10000007")}
    assert {code: (link["lsoa_count"], link["lsoa_share"]) for code, link in derbyshire.items()} == {
        "E54000057": ("1", "0.2000"), "E54000058": ("4", "0.8000")}
    assert derbyshire["E54000057"]["icb_name"] == "NHS Greater Manchester ICB"
    assert (areas["E10000007"]["icb_basis"], areas["E10000007"]["single_icb"]) == ("exact", "false")
    [barnsley] = _links(out, "E08000038")
    assert (barnsley["icb_ods_code"], barnsley["lsoa_count"], barnsley["lsoa_share"]) == ("QF7", "2", "1.0000")
    assert areas["E08000038"]["icb_basis"] == "exact" and areas["E08000038"]["single_icb"] == "true"
    assert areas["E06000045"]["icb_basis"] == "indicative"
    assert report.exact == 2
    assert any("covers 2 of 153 areas" in text for text in report.warnings)
    assert "| lsoa_lookup.csv |" in (out / "README.md").read_text(encoding="utf-8")


def test_missing_column_in_the_lsoa_lookup_names_file_and_column(tmp_path: Path) -> None:
    lookup = _write_lookup(tmp_path / "lookup.csv", ["E01000001,High Peak 001A,E38000261,15M,x,E54000058,x,E07000037,x"],
                           header=LSOA_HEADER.replace("ICB23CDH,", ""))
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", lookup)
    assert (caught.value.source, caught.value.field) == (str(lookup), "ICB23CDH")
    assert "lookup.csv" in str(caught.value) and "ICB23CDH" in str(caught.value)


def test_unknown_district_in_the_lsoa_lookup_is_an_error(tmp_path: Path) -> None:
    row = f"E01000009,Nowhere 001A,E38000261,15M,x,{DD},E07999999,Nowhere"
    lookup = _write_lookup(tmp_path / "lookup.csv", [*SYNTHETIC_ROWS, row])
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", lookup)
    assert (caught.value.field, caught.value.line, caught.value.got) == ("LAD23CD", 9, "E07999999")


def test_missing_source_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        build_areas(tmp_path, tmp_path / "areas")
    assert caught.value.source.endswith("drkane_utla_all_codes.csv")
