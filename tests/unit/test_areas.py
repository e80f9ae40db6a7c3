"""The area lookup API over the committed tables in data/areas/, and over synthetic tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jointwork.cli import main
from jointwork.core import areas
from jointwork.core.errors import AreaNotFound, InputError
from jointwork.core.paths import DATA_ENV, data_dir
from jointwork.products import plan_store

SURREY = "E10000030"
BEFORE_SURREY_ENDS = date(2026, 12, 1)
AFTER_SURREY_ENDS = date(2027, 5, 1)


def test_all_areas_are_the_153_english_upper_tier_las_sorted_by_name() -> None:
    found = areas.all_areas()
    assert len(found) == 153
    assert len({area.code for area in found}) == 153
    assert [area.name for area in found] == sorted(area.name for area in found)
    assert all(area.icbs and area.icbs_2022 for area in found)


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
        area.name for area in areas.search_areas("E0600004")
    )
    assert areas.search_areas("no such place") == []


def test_search_ignores_punctuation_and_finds_icb_codes() -> None:
    assert [area.name for area in areas.search_areas("st helens")] == ["St. Helens"]
    assert [area.name for area in areas.search_areas("St.Helens")] == ["St. Helens"]
    assert areas.find_area("st helens").name == "St. Helens"
    assert "Stockton-on-Tees" in [area.name for area in areas.search_areas("stockton on tees")]
    sussex = {area.name for area in areas.search_areas("E54000069")}  # NHS Surrey and Sussex ICB, GSS code
    assert sussex == {"Brighton and Hove", "East Sussex", "Surrey", "West Sussex"}
    assert {area.name for area in areas.search_areas("s9b9j")} == sussex  # its ODS code
    assert {area.name for area in areas.search_areas("QXU")} == {"Surrey", "West Sussex"}  # Surrey Heartlands, 2022


def test_search_finds_areas_by_an_icb_of_july_2022() -> None:
    frimley = {area.name for area in areas.search_areas("Frimley")}
    assert frimley == {"Bracknell Forest", "Hampshire", "Slough", "Surrey", "Windsor and Maidenhead"}


def test_regions_and_areas_in_region() -> None:
    assert areas.regions() == [
        "East Midlands",
        "East of England",
        "London",
        "North East",
        "North West",
        "South East",
        "South West",
        "West Midlands",
        "Yorkshire and The Humber",
    ]
    london = areas.areas_in_region("LONDON")
    assert len(london) == 33
    assert {area.region for area in london} == {"London"}
    assert areas.areas_in_region("E12000008") == areas.areas_in_region("south east")


def test_unknown_region_lists_the_real_ones() -> None:
    with pytest.raises(InputError) as caught:
        areas.areas_in_region("Wales")
    assert (caught.value.source, caught.value.field) == ("argument", "region")
    assert caught.value.expected.startswith("one of East Midlands")


# ---- the NHS map of 1 April 2026, beside July 2022 ----------------------------------------------
def test_36_icbs_from_1_april_2026_and_42_in_july_2022() -> None:
    today = areas.all_icbs()
    assert len(today) == 36 and len({icb.code for icb in today}) == 36
    assert len(areas.all_icbs(2022)) == 42
    assert {"NHS Essex ICB", "NHS Central East ICB", "NHS Birmingham and Solihull ICB"} <= {i.name for i in today}
    linked = {link.code for area in areas.all_areas() for link in area.icbs}
    assert linked == {icb.code for icb in today}
    frimley = next(icb for icb in areas.all_icbs(2022) if icb.name == "NHS Frimley ICB")
    assert frimley.became == ("E54000067", "E54000069", "E54000070")
    with pytest.raises(InputError):
        areas.all_icbs(2023)


def test_essex_hertfordshire_and_birmingham_each_sit_in_one_icb_today() -> None:
    for name, icb in (
        ("Essex", "NHS Essex ICB"),
        ("Hertfordshire", "NHS Central East ICB"),
        ("Birmingham", "NHS Birmingham and Solihull ICB"),
    ):
        area = areas.find_area(name)
        assert [link.name for link in area.icbs] == [icb], name
        assert area.single_icb and area.icb_names == icb
        assert all(link.confidence == "firm" for link in area.icbs)


def test_the_july_2022_membership_is_kept_beside_today() -> None:
    essex = areas.find_area("Essex")
    assert essex.icb_names_2022.count("; ") == 2 and not essex.single_icb_2022
    assert "NHS Mid and South Essex ICB" in essex.icb_names_2022
    assert all(link.confidence == "" for link in essex.icbs_2022)
    southampton = areas.find_area("Southampton")
    assert [link.code for link in southampton.icbs_2022] == ["E54000042"]  # the code changed in April 2026
    assert [link.code for link in southampton.icbs] == ["E54000067"]
    assert southampton.icbs[0].name == southampton.icbs_2022[0].name == "NHS Hampshire and Isle of Wight ICB"


def test_the_corrected_july_2022_links() -> None:
    for name, icb in (
        ("Birmingham", "NHS Birmingham and Solihull ICB"),
        ("North Northamptonshire", "NHS Northamptonshire ICB"),
        ("Derbyshire", "NHS Derby and Derbyshire ICB"),
    ):
        area = areas.find_area(name)
        assert [link.name for link in area.icbs_2022] == [icb], name
        assert area.single_icb_2022


def test_a_sliver_is_named_but_not_counted_as_a_second_icb() -> None:
    cumberland = areas.find_area("Cumberland")
    assert cumberland.single_icb and cumberland.single_icb_2022
    assert [link.name for link in cumberland.main_icbs] == ["NHS North East and North Cumbria ICB"]
    [sliver] = [link for link in cumberland.icbs if link.sliver]
    assert sliver.name == "NHS Lancashire and South Cumbria ICB" and "Millom" in sliver.note
    assert cumberland.icbs[-1] == sliver  # the main link first
    text = cumberland.describe()
    assert "sits within one ICB, with a small sliver in NHS Lancashire and South Cumbria ICB" in text
    assert "spans" not in text
    [caveat] = cumberland.icb_caveats()
    assert caveat.startswith("NHS Lancashire and South Cumbria ICB covers only a small sliver of Cumberland")
    north_yorkshire = areas.find_area("North Yorkshire")
    assert len(north_yorkshire.main_icbs) == 2 and len(north_yorkshire.icbs) == 3
    assert north_yorkshire.describe().count("spans 2 ICBs") == 1


def test_likely_and_uncertain_links_are_said_in_words() -> None:
    bracknell = areas.find_area("Bracknell Forest")
    assert [(link.name, link.confidence) for link in bracknell.icbs] == [("NHS Thames Valley ICB", "likely")]
    assert "NHS Thames Valley ICB (likely)" in bracknell.describe()
    assert bracknell.icb_caveats()[0].startswith("The link to NHS Thames Valley ICB is likely but not confirmed.")
    surrey = areas.find_area("Surrey")
    confidence = {link.name: link.confidence for link in surrey.icbs}
    # Surrey Heartlands merged into Surrey and Sussex (firm); only the part from Frimley is likely
    assert confidence == {"NHS Surrey and Sussex ICB": "firm", "NHS Hampshire and Isle of Wight ICB": "uncertain"}
    assert surrey.single_icb and surrey.icb_names == "NHS Surrey and Sussex ICB"
    assert "NHS Surrey and Sussex ICB (likely)" not in surrey.describe()
    assert "part may be in NHS Hampshire and Isle of Wight ICB (uncertain)" in surrey.describe()
    caveats = surrey.icb_caveats()
    assert any("Farnham" in text and "uncertain" in text for text in caveats)
    assert (
        "About NHS Surrey and Sussex ICB: the link is firm for the part that was in NHS Surrey Heartlands ICB in "
        "July 2022; only the part from NHS Frimley ICB (Surrey Heath) is likely, not confirmed."
    ) in " ".join(caveats)
    assert not any("Surrey and Sussex ICB is likely" in text for text in caveats)
    rows = {then: now for then, _, now in areas.then_and_now(surrey)}
    assert rows["NHS Surrey Heartlands ICB"] == "NHS Surrey and Sussex ICB"  # the merger: firm
    assert rows["NHS Frimley ICB"] == (  # Frimley's split: Surrey Heath likely, Farnham uncertain
        "NHS Surrey and Sussex ICB (likely); NHS Hampshire and Isle of Wight ICB (uncertain)"
    )
    hampshire = areas.find_area("Hampshire")
    assert hampshire.icbs[0].confidence == "firm" and "(Hart and Rushmoor) is likely" in hampshire.icbs[0].note
    assert not hampshire.single_icb_2022 and hampshire.single_icb


def test_describe_and_icb_names() -> None:
    southampton = areas.find_area("Southampton")
    assert southampton.describe() == (
        "Southampton (E06000045), South East; NHS Hampshire and Isle of Wight ICB (indicative); sits within one ICB"
    )
    buckinghamshire = areas.find_area("Buckinghamshire")
    assert not buckinghamshire.single_icb
    assert buckinghamshire.icb_names == "NHS Central East ICB; NHS Thames Valley ICB"
    assert buckinghamshire.describe().endswith("spans 2 ICBs")
    assert any("may rest on a small sliver" in text for text in buckinghamshire.icb_caveats())


def test_single_icb_and_coterminous_counts_of_both_maps() -> None:
    found = areas.all_areas()
    assert sum(area.single_icb for area in found) == 149
    assert sum(area.single_icb_2022 for area in found) == 143
    assert {area.name for area in found if area.coterminous} == {"Gloucestershire", "Lincolnshire", "Somerset"}
    assert sum(area.coterminous_2022 for area in found) == 3


# ---- areas that end: Surrey County Council on 1 April 2027 -----------------------------------------
def test_surrey_carries_the_dates_it_is_valid_for_and_its_successors() -> None:
    surrey = areas.find_area(SURREY)
    assert (surrey.valid_from, surrey.valid_to) == (None, date(2027, 3, 31))
    assert [(s.name, s.code, s.starts) for s in surrey.successors] == [
        ("East Surrey", "", date(2027, 4, 1)),
        ("West Surrey", "", date(2027, 4, 1)),
    ]
    assert surrey.successors[0].source == "The Surrey (Structural Changes) Order 2026"
    assert surrey.is_current(BEFORE_SURREY_ENDS) and not surrey.has_ended(BEFORE_SURREY_ENDS)
    assert surrey.has_ended(AFTER_SURREY_ENDS) and not surrey.is_current(AFTER_SURREY_ENDS)
    assert surrey.change_note() == (
        "Surrey is replaced by East Surrey (code not yet published) and West Surrey (code not yet published) "
        "from 1 April 2027."
    )
    assert surrey.change_note(AFTER_SURREY_ENDS).startswith("Surrey ended on 31 March 2027, replaced by East Surrey")
    assert len(areas.all_areas(BEFORE_SURREY_ENDS)) == 153
    assert SURREY not in {area.code for area in areas.all_areas(AFTER_SURREY_ENDS)}
    assert areas.find_area(SURREY) is surrey  # still found after the date: the date is only what we ask about


def test_areas_command_lists_every_area_with_its_icbs_from_april_2026(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["areas"]) == 0
    out = capsys.readouterr().out.splitlines()
    lines = {line[:9]: line for line in out[:-1]}
    assert len(lines) == 153
    assert "NHS Essex ICB (one ICB)" in lines["E10000012"] and "Mid and South" not in lines["E10000012"]
    assert "NHS Central East ICB (one ICB)" in lines["E10000015"]
    assert "NHS Birmingham and Solihull ICB (one ICB)" in lines["E08000025"] and "Black" not in lines["E08000025"]
    assert "small sliver in NHS Lancashire and South Cumbria ICB" in lines["E06000063"]
    assert "replaced by East Surrey" in lines[SURREY]
    assert out[-1] == "153 area(s) in 36 of the 36 ICBs in England from 1 April 2026"


def test_areas_command_lists_the_36_icbs_and_the_2022_map(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["areas", "--icbs"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 37 and out[-1] == "36 ICBs in England from 1 April 2026"
    essex = next(line for line in out if "NHS Essex ICB" in line)
    assert essex.startswith("E54000066  D7T5G") and essex.endswith("3 area(s)")
    assert main(["areas", "--year", "2022", "--search", "Essex"]) == 0
    out = capsys.readouterr().out
    assert "NHS Mid and South Essex ICB" in out and "of the 42 ICBs in England in July 2022" in out
    assert main(["areas", "--search", SURREY, "--on", "2027-05-01"]) == 1


# ---- synthetic tables: an area that ends and its successors ------------------------------------------
AREAS_HEADER = (
    "code,dfe_code,name,region,region_code,valid_from,valid_to,icb_basis,single_icb,coterminous,icb_codes,"
    "icb_basis_2022,single_icb_2022,coterminous_2022,icb_codes_2022\n"
)
LINKS_HEADER = "area_code,year,icb_code,icb_ods_code,icb_name,lsoa_count,lsoa_share,sliver,confidence,note\n"


def _write_tables(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "areas.csv").write_text(
        AREAS_HEADER
        + "E99000001,901,Testshire,Test Region,E12999999,,2027-03-31,exact,false,false,E54999991;E54999992,"
        "exact,false,false,E54999991;E54999992\n"
        "E99000002,,East Testshire,Test Region,E12999999,2027-04-01,,indicative,true,false,E54999991,"
        "indicative,true,false,E54999991\n"
        "E99000003,,West Testshire,Test Region,E12999999,2027-04-01,,indicative,true,false,E54999992,"
        "indicative,true,false,E54999992\n",
        encoding="utf-8",
    )
    (folder / "area_icbs.csv").write_text(
        LINKS_HEADER + "E99000001,2026,E54999991,QA1,NHS North Test ICB,8,0.8000,false,firm,\n"
        "E99000001,2026,E54999992,QA2,NHS South Test ICB,2,0.2000,false,firm,\n"
        "E99000001,2022,E54999991,QA1,NHS North Test ICB,8,0.8000,false,,\n"
        "E99000001,2022,E54999992,QA2,NHS South Test ICB,2,0.2000,false,,\n"
        "E99000002,2026,E54999991,QA1,NHS North Test ICB,,,false,likely,Inherited from Testshire.\n"
        "E99000002,2022,E54999991,QA1,NHS North Test ICB,,,false,,Inherited from Testshire.\n"
        "E99000003,2026,E54999992,QA2,NHS South Test ICB,,,false,likely,Inherited from Testshire.\n"
        "E99000003,2022,E54999992,QA2,NHS South Test ICB,,,false,,Inherited from Testshire.\n",
        encoding="utf-8",
    )
    (folder / "icbs.csv").write_text(
        "year,code,ods_code,name,nhs_region,became\n"
        "2022,E54999991,QA1,NHS North Test ICB,Test,E54999991\n2022,E54999992,QA2,NHS South Test ICB,Test,E54999992\n"
        "2026,E54999991,QA1,NHS North Test ICB,Test,\n2026,E54999992,QA2,NHS South Test ICB,Test,\n",
        encoding="utf-8",
    )
    (folder / "area_successors.csv").write_text(
        "area_code,date,successor_code,successor_name,source\n"
        "E99000001,2027-04-01,E99000002,East Testshire,The Testshire (Structural Changes) Order\n"
        "E99000001,2027-04-01,E99000003,West Testshire,The Testshire (Structural Changes) Order\n",
        encoding="utf-8",
    )
    (folder / "aliases.csv").write_text("alias,code,reason\nE99000009,E99000001,recoded\n", encoding="utf-8")


def test_tables_load_from_the_data_folder_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_tables(tmp_path / "areas")
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert [area.name for area in areas.all_areas()] == ["East Testshire", "Testshire", "West Testshire"]
    only = areas.find_area("E99000009")
    assert only.icbs[0].lsoa_count == 8 and only.icbs[1].lsoa_share == pytest.approx(0.2)
    assert only.describe().startswith(
        "Testshire (E99000001), Test Region; NHS North Test ICB 80.0%; NHS South Test ICB 20.0% (exact); spans 2 ICBs. "
    )
    assert [icb.name for icb in areas.all_icbs()] == ["NHS North Test ICB", "NHS South Test ICB"]
    monkeypatch.delenv(DATA_ENV)
    assert len(areas.all_areas()) == 153


def test_a_plan_for_an_area_that_has_ended_still_opens_and_points_to_its_successors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_tables(tmp_path / "data" / "areas")
    for item in data_dir().iterdir():  # the content the store checks plans against; synthetic areas
        if item.name != "areas":
            (tmp_path / "data" / item.name).symlink_to(item)
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    store = plan_store(tmp_path / "workspace")
    store.update("E99000001", lambda plan: None)

    plan = store.load("E99000001")  # loaded "after" the date: nothing here reads the clock
    area = areas.find_area(plan.area_code)
    assert area.name == "Testshire" and area.has_ended(AFTER_SURREY_ENDS)
    assert [s.label for s in area.successors] == ["East Testshire (E99000002)", "West Testshire (E99000003)"]
    assert area.change_note(AFTER_SURREY_ENDS) == (
        "Testshire ended on 31 March 2027, replaced by East Testshire (E99000002) and West Testshire (E99000003)."
    )
    assert (
        area.change_note(BEFORE_SURREY_ENDS)
        == area.change_note()
        == ("Testshire is replaced by East Testshire (E99000002) and West Testshire (E99000003) from 1 April 2027.")
    )
    east = areas.find_area(area.successors[0].code)
    assert [p.code for p in east.predecessors] == ["E99000001"]
    assert (
        east.change_note(BEFORE_SURREY_ENDS)
        == "East Testshire begins on 1 April 2027, replacing Testshire (E99000001)."
    )
    assert east.change_note() == "East Testshire replaces Testshire (E99000001) from 1 April 2027."
    assert [a.code for a in areas.all_areas(AFTER_SURREY_ENDS)] == ["E99000002", "E99000003"]
    assert [a.code for a in areas.all_areas(BEFORE_SURREY_ENDS)] == ["E99000001"]
    assert east.icbs[0].confidence == "likely" and east.dfe_code == ""
    with pytest.raises(AreaNotFound):
        areas.find_area("")  # a blank DfE code is not a key


def test_missing_tables_name_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(InputError) as caught:
        areas.all_areas()
    assert caught.value.source.endswith("area_icbs.csv")


def test_tables_of_an_older_build_name_the_file_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_tables(tmp_path / "areas")
    (tmp_path / "areas" / "area_icbs.csv").write_text(
        "area_code,icb_code,icb_ods_code,icb_name,lsoa_count,lsoa_share\n", encoding="utf-8"
    )
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(InputError) as caught:
        areas.all_areas()
    assert caught.value.source.endswith("area_icbs.csv") and caught.value.field == "year"
    assert "rebuild" in str(caught.value)


def test_a_bad_date_in_the_tables_names_file_column_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_tables(tmp_path / "areas")
    path = tmp_path / "areas" / "areas.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2027-03-31", "31/03/2027"), encoding="utf-8")
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(InputError) as caught:
        areas.all_areas()
    assert (caught.value.field, caught.value.line, caught.value.got) == ("valid_to", 2, "31/03/2027")
    assert "areas.csv" in str(caught.value)
