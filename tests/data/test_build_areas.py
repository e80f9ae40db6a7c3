"""Building data/areas/ from the public files in ../shared/data."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from jointwork.build.areas import TABLES, BuildReport, build_areas
from jointwork.core import areas as areas_api
from jointwork.core.errors import InputError
from jointwork.core.licence import ATTRIBUTION
from jointwork.core.paths import DATA_ENV
from jointwork.products import Plan, plan_store, who_to_engage

from conftest import REPO, SHARED_DATA

LSOA_HEADER_2023 = "LSOA21CD,LSOA21NM,SICBL23CD,SICBL23CDH,SICBL23NM,ICB23CD,ICB23CDH,ICB23NM,LAD23CD,LAD23NM"
LSOA_HEADER_2026 = (
    "LSOA21CD,LSOA21NM,SICBL26CD,SICBL26CDH,SICBL26NM,ICB26CD,ICB26CDH,ICB26NM,NHSER26CD,NHSER26CDH,NHSER26NM,"
    "LAD26CD,LAD26NM"
)

needs_shared = pytest.mark.usefixtures("shared_data")  # skipped without it, failed under CI


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _by_code(folder: Path) -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in _rows(folder / "areas.csv")}


def _links(folder: Path, area_code: str, year: str = "2026") -> list[dict[str, str]]:
    return [row for row in _rows(folder / "area_icbs.csv") if row["area_code"] == area_code and row["year"] == year]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> tuple[Path, BuildReport]:
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


def test_every_area_has_icbs_on_both_maps_and_the_tables_agree(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    links = _rows(out / "area_icbs.csv")
    assert len(links) == report.links
    for code, row in _by_code(out).items():
        for year, suffix in (("2026", ""), ("2022", "_2022")):
            mine = [link for link in links if link["area_code"] == code and link["year"] == year]
            assert mine, (code, year)
            assert row[f"icb_codes{suffix}"].split(";") == [link["icb_code"] for link in mine]
            counted = [link for link in mine if link["sliver"] == "false" and link["confidence"] != "uncertain"]
            assert (row[f"single_icb{suffix}"] == "true") == (len(counted) == 1), (code, year)
    assert all(link["icb_ods_code"] and link["icb_name"].endswith(" ICB") for link in links)
    assert all(link["lsoa_count"] == link["lsoa_share"] == "" for link in links)
    assert {link["confidence"] for link in links if link["year"] == "2022"} == {""}
    assert {link["confidence"] for link in links if link["year"] == "2026"} == {"firm", "likely", "uncertain"}


def test_the_36_icbs_of_april_2026_are_those_of_the_nhs_england_list(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    with (SHARED_DATA / "nhs_icb26_england.csv").open(newline="", encoding="utf-8-sig") as handle:
        published = {row["icb26_gss"]: row for row in csv.DictReader(handle)}
    icbs = {row["code"]: row for row in _rows(out / "icbs.csv") if row["year"] == "2026"}
    assert len(icbs) == len(published) == report.icbs[2026] == 36
    for code, row in published.items():
        assert icbs[code]["name"] == row["icb26_name"].replace(" Integrated Care Board", " ICB")
        assert icbs[code]["nhs_region"] == row["nhs_region"]
    assert icbs["E54000066"]["name"] == "NHS Essex ICB" and icbs["E54000065"]["name"] == "NHS Central East ICB"
    assert {row["icb_code"] for row in _rows(out / "area_icbs.csv") if row["year"] == "2026"} == set(icbs)
    assert sum(row["year"] == "2022" for row in _rows(out / "icbs.csv")) == report.icbs[2022] == 42


def test_essex_hertfordshire_and_birmingham_from_1_april_2026(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    areas = _by_code(out)
    for code, icb_code, name in (
        ("E10000012", "E54000066", "NHS Essex ICB"),
        ("E10000015", "E54000065", "NHS Central East ICB"),
        ("E08000025", "E54000055", "NHS Birmingham and Solihull ICB"),
    ):
        [link] = _links(out, code)
        assert (link["icb_code"], link["icb_name"], link["confidence"]) == (icb_code, name, "firm")
        assert (areas[code]["icb_codes"], areas[code]["single_icb"]) == (icb_code, "true")
    assert [link["icb_code"] for link in _links(out, "E10000012", "2022")] == ["E54000023", "E54000025", "E54000026"]


def test_the_known_faults_of_the_2022_join_are_corrected(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    areas = _by_code(out)
    for code, icb_code in (("E10000007", "E54000058"), ("E08000025", "E54000055"), ("E06000061", "E54000059")):
        assert (areas[code]["icb_codes_2022"], areas[code]["single_icb_2022"]) == (icb_code, "true")
    assert any("Derbyshire" in text and "Glossop" in text for text in report.warnings)
    log = (out / "README.md").read_text(encoding="utf-8")
    assert "Confirmed: dropped Birmingham (E08000025) -> NHS Black Country ICB" in log
    assert "TO VERIFY: dropped North Northamptonshire (E06000061) -> NHS Cambridgeshire and Peterborough ICB" in log
    assert "Oundle" in log and "Glossop" in log and "D2P2L: NHS Black Country and West Birmingham CCG" in log


def test_southampton_keeps_its_icb_under_a_new_code(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    [then] = _links(out, "E06000045", "2022")
    [now] = _links(out, "E06000045")
    assert (then["icb_code"], then["icb_ods_code"], then["icb_name"]) == (
        "E54000042",
        "QRL",
        "NHS Hampshire and Isle of Wight ICB",
    )
    assert (now["icb_code"], now["icb_ods_code"], now["icb_name"]) == ("E54000067", "QRL", then["icb_name"])
    assert _by_code(out)["E06000045"]["icb_basis"] == "indicative"


def test_slivers_are_marked_and_not_counted(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    for year in ("2022", "2026"):
        slivers = {link["icb_code"]: link for link in _links(out, "E06000063", year) if link["sliver"] == "true"}
        assert list(slivers) == ["E54000048"] and "Millom" in slivers["E54000048"]["note"]
    assert _by_code(out)["E06000063"]["single_icb"] == "true"
    assert report.slivers == [
        "Cumberland -> NHS Lancashire and South Cumbria ICB",
        "North Yorkshire -> NHS Lancashire and South Cumbria ICB",
    ]
    # possible slivers stay full links, with a note
    assert [link["icb_code"] for link in _links(out, "E10000025", "2022")] == ["E54000040", "E54000044"]
    oxon = {link["icb_code"]: link for link in _links(out, "E10000025")}
    assert oxon["E54000040"]["sliver"] == "false" and "may rest on a small sliver" in oxon["E54000040"]["note"]


def test_likely_and_uncertain_rules_carry_their_confidence(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    confidence = {
        (link["area_code"], link["icb_code"]): link["confidence"]
        for link in _rows(out / "area_icbs.csv")
        if link["year"] == "2026" and link["confidence"] != "firm"
    }
    assert confidence == {
        ("E06000036", "E54000070"): "likely",  # Bracknell Forest -> Thames Valley
        ("E06000039", "E54000070"): "likely",  # Slough
        ("E06000040", "E54000070"): "likely",  # Windsor and Maidenhead
        ("E10000030", "E54000067"): "uncertain",  # Surrey -> Hampshire and Isle of Wight (Farnham)
    }
    assert _by_code(out)["E10000030"]["single_icb"] == "true"  # the uncertain link is not counted
    assert len(report.not_firm) == 6
    log = (out / "README.md").read_text(encoding="utf-8")
    assert "- Surrey -> NHS Hampshire and Isle of Wight ICB: **uncertain**. Farnham (part of Waverley)" in log
    assert "Haslemere Herald" in log and "Farnham Herald" in log


def test_a_firm_merger_stays_firm_and_names_only_the_likely_part(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    # Surrey Heartlands merged into Surrey and Sussex (firm); only Surrey Heath came from Frimley (likely)
    sussex = {link["icb_code"]: link for link in _links(out, "E10000030")}["E54000069"]
    assert (sussex["confidence"], sussex["weakest_part"]) == ("firm", "likely")
    assert sussex["note"].startswith(
        "The link is firm for the part that was in NHS Surrey Heartlands ICB in July 2022; only the part from "
        "NHS Frimley ICB (Surrey Heath) is likely, not confirmed."
    )
    assert "Farnham" not in sussex["note"]  # Farnham's uncertain rule sits on the Hampshire and Isle of Wight link
    [hampshire] = _links(out, "E10000014")
    assert (
        hampshire["confidence"] == "firm" and "from NHS Frimley ICB (Hart and Rushmoor) is likely" in hampshire["note"]
    )
    assert "Surrey -> NHS Surrey and Sussex ICB (firm; a part likely)" in report.not_firm
    log = (out / "README.md").read_text(encoding="utf-8")
    assert "- Surrey -> NHS Surrey and Sussex ICB: **firm**, with a part that is **likely**. The link is firm" in log
    # a link that rests only on a likely rule stays likely
    [bracknell] = _links(out, "E06000036")
    assert bracknell["confidence"] == "likely" and not bracknell["note"].startswith("The link is")
    assert {link["weakest_part"] for link in _rows(out / "area_icbs.csv")} == {"", "likely"}


def test_single_icb_and_coterminous_counts(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    assert (report.single_icb, report.coterminous) == ({2022: 143, 2026: 149}, {2022: 3, 2026: 3})
    areas = _by_code(out)
    assert {row["name"] for row in areas.values() if row["coterminous"] == "true"} == {
        "Gloucestershire",
        "Lincolnshire",
        "Somerset",
    }
    icb_counts: dict[str, int] = {}
    for row in areas.values():
        if row["single_icb"] == "true":
            icb_counts[row["icb_codes"].split(";")[0]] = icb_counts.get(row["icb_codes"].split(";")[0], 0) + 1
    for row in areas.values():
        if row["coterminous"] == "true":
            assert icb_counts[row["icb_codes"]] == 1 and row["single_icb"] == "true", row["name"]


def test_surrey_ends_on_31_march_2027_and_names_its_successors(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    surrey = _by_code(out)["E10000030"]
    assert (surrey["valid_from"], surrey["valid_to"]) == ("", "2027-03-31")
    assert [(r["successor_code"], r["successor_name"], r["date"]) for r in _rows(out / "area_successors.csv")] == [
        ("", "East Surrey", "2027-04-01"),
        ("", "West Surrey", "2027-04-01"),
    ]
    assert sum(row["valid_to"] != "" for row in _by_code(out).values()) == 1
    log = (out / "README.md").read_text(encoding="utf-8")
    assert "Surrey (E10000030) is valid to 31 March 2027; from 1 April 2027 East Surrey (code not yet published)" in log


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


def test_data_log_names_sources_vintages_licences_and_attribution(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    log = (out / "README.md").read_text(encoding="utf-8")
    assert ATTRIBUTION in log
    assert "INDICATIVE" in log
    assert "jointwork data build-areas --from DIR" in log
    for name, vintage in (
        ("drkane_utla_all_codes.csv", "2025/26"),
        ("dfe_la_codes_2025_england.csv", "2025"),
        ("ons_sicbl22_icb22_nhser22_lookup.csv", "July 2022"),
        ("DERIVED_indicative_utla23_to_icb22_via_ccg21.csv", "2021 to 2023"),
        ("nhs_icb26_england.csv", "1 April 2026"),
        ("nhs_icb_successions_2026.csv", "1 April 2026"),
        ("nhs_icb_split_rules_2026.csv", "1 April 2026"),
    ):
        row = next(line for line in log.splitlines() if line.startswith(f"| {name} |"))
        assert f"| {vintage} |" in row and "Open Government Licence v3.0" in row, name
    assert "| changes.csv (this folder) |" in log
    assert "Oxfordshire -> NHS Bath and North East Somerset, Swindon and Wiltshire ICB (kept as a full link)" in log
    assert "153 areas" in report.summary() and "1 April 2026 (36 ICBs)" in report.summary()


@needs_shared
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
            f"{committed} is stale: rebuild with `jointwork data build-areas --from ../shared/data`"
        )


# ---- the ONS LSOA lookups --------------------------------------------------------------------------
def _write_lookup(path: Path, rows: list[str], header: str, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


DD = "E54000058,QJ2,NHS Derby and Derbyshire Integrated Care Board"
GM = "E54000057,QOP,NHS Greater Manchester Integrated Care Board"
SY = "E54000061,QF7,NHS South Yorkshire Integrated Care Board"
FRIMLEY = "E54000034,QNQ,NHS Frimley Integrated Care Board"
HEARTLANDS = "E54000052,QXU,NHS Surrey Heartlands Integrated Care Board"
HWE = "E54000025,QM7,NHS Hertfordshire and West Essex Integrated Care Board"
ROWS_2023 = [
    f"E01000001,High Peak 001A,E38000261,15M,x,{DD},E07000037,High Peak",
    f"E01000002,High Peak 001B,E38000261,15M,x,{DD},E07000037,High Peak",
    f"E01000003,High Peak 001C,E38000263,01Y,x,{GM},E07000037,High Peak",
    f"E01000004,Amber Valley 001A,E38000261,15M,x,{DD},E07000032,Amber Valley",
    f"E01000005,Amber Valley 001B,E38000261,15M,x,{DD},E07000032,Amber Valley",
    f"E01000006,Barnsley 001A,E38000006,02P,x,{SY},E08000016,Barnsley",
    f"E01000007,Barnsley 001B,E38000006,02P,x,{SY},E08000016,Barnsley",
    f"E01000008,Waverley 001A,E38000252,D4U1Y,x,{FRIMLEY},E07000216,Waverley",
    f"E01000009,Surrey Heath 001A,E38000252,D4U1Y,x,{FRIMLEY},E07000214,Surrey Heath",
    f"E01000010,Guildford 001A,E38000246,92A,x,{HEARTLANDS},E07000209,Guildford",
    f"E01000011,Guildford 001B,E38000246,92A,x,{HEARTLANDS},E07000209,Guildford",
    f"E01000012,Epping Forest 001A,E38000197,07H,x,{HWE},E07000072,Epping Forest",
]
MSE = "E54000026,QH8,NHS Mid and South Essex Integrated Care Board"
# the other districts of Derbyshire, Surrey and Essex: an area is exact only when every district is in the file
OTHER_DISTRICTS = {
    DD: ("15M", ["E07000033", "E07000034", "E07000035", "E07000036", "E07000038", "E07000039"]),
    HEARTLANDS: ("92A", ["E07000207", "E07000208", "E07000210", "E07000211", "E07000212", "E07000213", "E07000215"]),
    MSE: ("99E", ["E07000066", "E07000067", "E07000068", "E07000069", "E07000070", "E07000071", "E07000073"]),
}
OTHER_DISTRICTS[HEARTLANDS][1].append("E07000217")
OTHER_DISTRICTS[MSE][1].extend(["E07000074", "E07000075", "E07000076", "E07000077"])
ROWS_2023_IN_FULL = ROWS_2023 + [
    f"E0110{n:04d},District {lad},E38000000,{sicbl},x,{icb},{lad},District {lad}"
    for n, (icb, sicbl, lad) in enumerate(
        (icb, sicbl, lad) for icb, (sicbl, lads) in OTHER_DISTRICTS.items() for lad in lads
    )
]


@needs_shared
def test_the_2023_lookup_gives_exact_july_2022_shares_and_derives_april_2026(tmp_path: Path) -> None:
    lookup = _write_lookup(tmp_path / "lsoa_lookup.csv", ROWS_2023_IN_FULL, LSOA_HEADER_2023)
    out = tmp_path / "areas"
    report = build_areas(SHARED_DATA, out, lookup)
    areas = _by_code(out)
    derbyshire = {link["icb_code"]: link for link in _links(out, "E10000007", "2022")}
    assert {code: (link["lsoa_count"], link["lsoa_share"]) for code, link in derbyshire.items()} == {
        "E54000057": ("1", "0.0909"),
        "E54000058": ("10", "0.9091"),
    }
    assert derbyshire["E54000057"]["icb_name"] == "NHS Greater Manchester ICB"
    assert (areas["E10000007"]["icb_basis_2022"], areas["E10000007"]["single_icb_2022"]) == ("exact", "false")
    assert (areas["E10000007"]["icb_basis"], areas["E10000007"]["single_icb"]) == ("derived", "false")
    [barnsley] = _links(out, "E08000038", "2022")
    assert (barnsley["icb_ods_code"], barnsley["lsoa_count"], barnsley["lsoa_share"]) == ("QF7", "2", "1.0000")
    # Surrey: LSOA by LSOA through the Frimley rules (Waverley -> uncertain, Surrey Heath -> likely)
    surrey = {link["icb_code"]: link for link in _links(out, "E10000030")}
    assert {code: (link["lsoa_count"], link["confidence"]) for code, link in surrey.items()} == {
        "E54000067": ("1", "uncertain"),
        "E54000069": ("11", "firm"),  # 10 LSOAs from Surrey Heartlands (a firm merger), 1 from Frimley (likely)
    }
    assert "Farnham" in surrey["E54000067"]["note"] and surrey["E54000067"]["sliver"] == "false"
    assert "only the part from NHS Frimley ICB (Surrey Heath) is likely" in surrey["E54000069"]["note"]
    [essex] = _links(out, "E10000012")
    assert (essex["icb_code"], essex["lsoa_count"], essex["confidence"]) == ("E54000066", "12", "firm")
    assert areas["E06000045"]["icb_basis"] == areas["E06000045"]["icb_basis_2022"] == "indicative"
    assert report.basis[2022]["exact"] == 4 and report.basis[2026]["derived"] == 4
    assert any("covers 4 of 153 areas" in text for text in report.warnings)
    log = (out / "README.md").read_text(encoding="utf-8")
    assert '| lsoa_lookup.csv | Office for National Statistics (ONS "LSOA (2021) to Sub ICB Location' in log


@needs_shared
def test_the_april_2026_lookup_with_a_byte_order_mark_gives_exact_shares_and_slivers(tmp_path: Path) -> None:
    nenc = "E54000050,QHM,NHS North East and North Cumbria Integrated Care Board"
    lsc = "E54000048,QE1,NHS Lancashire and South Cumbria Integrated Care Board"
    sussex = "E54000069,S9B9J,NHS Surrey and Sussex Integrated Care Board"
    region = "E40000012,Y63,North East and Yorkshire"
    rows = [f"E0100{n:04d},Cumberland {n},E38000215,01H,x,{nenc},{region},E06000063,Cumberland" for n in range(24)]
    rows.append(f"E01009000,Cumberland 24,E38000228,01K,x,{lsc},{region},E06000063,Cumberland")
    rows += [f"E0101{n:04d},Westmorland {n},E38000228,01K,x,{lsc},{region},E06000064,Westmorland" for n in range(3)]
    rows.append(f"E01019000,Westmorland 3,E38000215,01H,x,{nenc},{region},E06000064,Westmorland")
    rows.append(f"E01020000,Waverley 001A,E38000999,X1,x,{sussex},{region},E07000216,Waverley")
    rows += [
        f"E0105{n:04d},{lad} 001A,E38000999,X1,x,{sussex},{region},{lad},{lad}" for n, lad in enumerate(SURREY_REST)
    ]
    rows.append(f"E01020001,Barnsley 001A,E38000006,02P,x,{SY},{region},E08000038,Barnsley")
    rows.append(f"W01000001,Cardiff 001A,W1,W1,x,{SY},{region},W06000015,Cardiff")
    lookup = _write_lookup(tmp_path / "icb26.csv", rows, LSOA_HEADER_2026, encoding="utf-8-sig")
    assert lookup.read_bytes().startswith(b"\xef\xbb\xbfLSOA21CD,")
    out = tmp_path / "areas"
    report = build_areas(SHARED_DATA, out, lookup)
    areas = _by_code(out)
    cumberland = {link["icb_code"]: link for link in _links(out, "E06000063")}
    assert {code: (link["lsoa_count"], link["sliver"]) for code, link in cumberland.items()} == {
        "E54000048": ("1", "true"),
        "E54000050": ("24", "false"),
    }
    assert cumberland["E54000048"]["note"] == "The sliver is 1 of 25 LSOAs (4.0%)."
    assert (areas["E06000063"]["icb_basis"], areas["E06000063"]["single_icb"]) == ("exact", "true")
    assert areas["E06000063"]["icb_basis_2022"] == "indicative"  # the July 2022 map is not in this file
    assert [link["sliver"] for link in _links(out, "E06000064")] == ["false", "false"]
    [surrey] = _links(out, "E10000030")  # the exact file settles Farnham
    assert (surrey["icb_code"], surrey["confidence"], surrey["lsoa_share"]) == ("E54000069", "firm", "1.0000")
    assert areas["E08000038"]["icb_basis"] == "exact"
    assert "April 2026" in report.lsoa_format and any("skipped 1 LSOAs outside England" in w for w in report.warnings)


SURREY_REST = [f"E070002{n:02d}" for n in range(7, 18) if n != 16]  # Surrey's districts but Waverley


@needs_shared
def test_a_partial_lookup_is_not_taken_as_exact_for_the_whole_council(tmp_path: Path) -> None:
    # a valid April 2026 file holding 10 LSOAs of Waverley only, as a truncated download would
    sussex = "E54000069,S9B9J,NHS Surrey and Sussex Integrated Care Board"
    hiow = "E54000067,QRL,NHS Hampshire and Isle of Wight Integrated Care Board"
    region = "E40000005,Y59,South East"
    rows = [
        f"E0103{n:04d},Waverley {n},E38000999,X1,x,{sussex if n < 8 else hiow},{region},E07000216,Waverley"
        for n in range(10)
    ]
    lookup = _write_lookup(tmp_path / "partial.csv", rows, LSOA_HEADER_2026, encoding="utf-8-sig")
    out = tmp_path / "areas"
    report = build_areas(SHARED_DATA, out, lookup)
    surrey = _by_code(out)["E10000030"]
    assert (surrey["icb_basis"], surrey["single_icb"]) == ("indicative", "true")
    assert all(link["lsoa_share"] == "" for link in _links(out, "E10000030"))
    [warning] = [text for text in report.warnings if "districts of Surrey" in text]
    assert warning.startswith("partial.csv covers only 1 of the 11 districts of Surrey (Waverley); missing Elmbridge")
    assert "Woking" in warning and "keeps its indicative ICB links" in warning
    assert f"- {warning}" in (out / "README.md").read_text(encoding="utf-8")
    assert any("covers 0 of 153 areas" in text for text in report.warnings)


@needs_shared
def test_a_wrong_format_lookup_names_the_file_and_the_missing_columns(tmp_path: Path) -> None:
    lookup = tmp_path / "not_a_lookup.csv"
    lookup.write_text("\ufeffSICBL22CD,SICBL22CDH,ICB22CD\nE38000006,02P,E54000061\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", lookup)
    message = str(caught.value)
    assert caught.value.source == str(lookup) and "not_a_lookup.csv" in message
    assert caught.value.field == "LSOA21CD, ICB26CD, ICB26CDH, ICB26NM, LAD26CD"
    assert "April 2026" in message and "April 2023" in message and "SICBL22CD" in message


@needs_shared
@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (LSOA_HEADER_2023.replace("ICB23CDH,", ""), "ICB23CDH"),
        (LSOA_HEADER_2026.replace(",LAD26CD", ""), "LAD26CD"),
        (LSOA_HEADER_2026.replace("ICB26NM,", "").replace(",LAD26CD", ""), "ICB26NM, LAD26CD"),
    ],
)
def test_a_lookup_missing_columns_names_them(tmp_path: Path, header: str, missing: str) -> None:
    lookup = _write_lookup(tmp_path / "lookup.csv", [], header, encoding="utf-8-sig")
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", lookup)
    assert (caught.value.source, caught.value.field) == (str(lookup), missing)
    assert "lookup.csv" in str(caught.value) and f"missing {missing}" in str(caught.value)


@needs_shared
def test_a_lookup_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    lookup = _write_lookup(
        tmp_path / "lookup.csv",
        [f"E01000001,Caf\xe9 001A,E38000261,15M,x,{DD},E07000037,High Peak"],
        LSOA_HEADER_2023,
        encoding="cp1252",
    )
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", lookup)
    assert caught.value.source == str(lookup) and "UTF-8" in str(caught.value)


@needs_shared
def test_unknown_district_or_icb_in_a_lookup_names_the_line(tmp_path: Path) -> None:
    row = f"E01000099,Nowhere 001A,E38000261,15M,x,{DD},E07999999,Nowhere"
    lookup = _write_lookup(tmp_path / "lookup.csv", [*ROWS_2023, row], LSOA_HEADER_2023)
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", lookup)
    assert (caught.value.field, caught.value.line, caught.value.got) == ("LAD23CD", 14, "E07999999")
    dissolved = "E54000022,QMM,NHS Norfolk and Waveney Integrated Care Board,E40000007,Y61,East of England"
    lookup = _write_lookup(
        tmp_path / "lookup26.csv",
        [f"E01000001,Norwich 001A,E38000239,26A,x,{dissolved},E07000148,Norwich"],
        LSOA_HEADER_2026,
    )
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", lookup)
    assert (caught.value.field, caught.value.line, caught.value.got) == ("ICB26CD", 2, "E54000022")
    assert "nhs_icb26_england.csv" in str(caught.value)


# ---- areas that end: adding the successors is one data change --------------------------------------
CHANGES_HEADER = "date,predecessor_code,predecessor_name,successor_code,successor_name,successor_dfe_code,source\n"
ORDER = "The Surrey (Structural Changes) Order 2026"


@needs_shared
def test_adding_the_successor_codes_is_one_data_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "areas", data / "areas")
    for item in (REPO / "data").iterdir():
        if item.name != "areas":
            (data / item.name).symlink_to(item)
    changes = data / "areas" / "changes.csv"
    # the one change: the codes ONS will publish (synthetic here; the real ones are not yet published)
    changes.write_text(
        changes.read_text(encoding="utf-8")
        .replace(",,East Surrey,,", ",E06999991,East Surrey,,")
        .replace(",,West Surrey,,", ",E06999992,West Surrey,,"),
        encoding="utf-8",
    )
    monkeypatch.setenv(DATA_ENV, str(data))
    report = build_areas(SHARED_DATA, data / "areas")  # reads the changes file of the data folder in use
    assert report.areas == 155
    surrey = areas_api.find_area("E10000030")
    after = date(2027, 5, 1)
    assert surrey.has_ended(after) and [s.label for s in surrey.successors] == [
        "East Surrey (E06999991)",
        "West Surrey (E06999992)",
    ]
    assert surrey.change_note(after) == (
        "Surrey ended on 31 March 2027, replaced by East Surrey (E06999991) and West Surrey (E06999992)."
    )
    east = areas_api.find_area("East Surrey")
    assert (east.code, east.region, east.valid_from, east.dfe_code) == ("E06999991", "South East", date(2027, 4, 1), "")
    assert [p.code for p in east.predecessors] == ["E10000030"]
    assert [(link.name, link.confidence) for link in east.main_icbs] == [("NHS Surrey and Sussex ICB", "likely")]
    assert east.icbs[0].note == (
        "Inherited from Surrey (E10000030), which it replaced on 1 April 2027: Surrey's link, pending ONS and NHS "
        "data that say which ICB(s) East Surrey itself sits in."
    )
    assert not any("Farnham" in link.note or "Surrey Heath" in link.note for link in east.icbs)  # Surrey's parts
    # it did not exist while the July 2022 map was in force, and says so
    assert east.icbs_2022 == () and not east.single_icb_2022
    assert "East Surrey did not exist" in east.not_on_map_2022()
    assert areas_api.find_area("Surrey").not_on_map_2022() == ""
    panel = who_to_engage.area_panel(Plan(area_code="E06999991")).text  # product 4 says so too
    assert "ICB(s) July 2022 to March 2026 | None: East Surrey did not exist while the 42 ICBs" in panel
    assert len(areas_api.all_areas(after)) == 154 and len(areas_api.all_areas(date(2026, 12, 1))) == 153
    # a Surrey plan still opens after the date and points to its successors
    store = plan_store(tmp_path / "workspace")
    store.update("E10000030", lambda plan: None)
    plan = store.load("E10000030")
    assert areas_api.find_area(plan.area_code).successors[1].code == "E06999992"
    log = (data / "areas" / "README.md").read_text(encoding="utf-8")
    assert "East Surrey (E06999991) and West Surrey (E06999992) replace it. Source: " + ORDER in log


@needs_shared
@pytest.mark.parametrize(
    ("row", "field"),
    [
        (f"2027-04-01,E10000030,Surry,,East Surrey,,{ORDER}", "predecessor_name"),
        (f"1 April 2027,E10000030,Surrey,,East Surrey,,{ORDER}", "date"),
        (f"2027-04-01,E99999999,Nowhere,,East Surrey,,{ORDER}", "predecessor_code"),
        (f"2027-04-01,E10000030,Surrey,E6999991,East Surrey,,{ORDER}", "successor_code"),
        ("2027-04-01,E10000030,Surrey,,East Surrey,,", "source"),
    ],
)
def test_a_bad_changes_row_names_file_column_and_line(tmp_path: Path, row: str, field: str) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_text(CHANGES_HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_areas(SHARED_DATA, tmp_path / "areas", changes=changes)
    assert (caught.value.source, caught.value.field, caught.value.line) == (str(changes), field, 2)


def test_missing_source_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        build_areas(tmp_path, tmp_path / "areas")
    assert caught.value.source.endswith("drkane_utla_all_codes.csv")
