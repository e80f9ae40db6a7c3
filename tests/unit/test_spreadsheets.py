"""Excel workbooks and CSV files: the Analysis Function's layout, and typed text that is never run as a formula."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import yaml
from openpyxl.utils.escape import unescape

from jointwork.core.areas import find_area
from jointwork.papers import PAPERS, get_paper
from jointwork.papers.workbook import area_workbook
from jointwork.products import PRODUCTS, Plan
from jointwork.render.cells import csv_cell, csv_text, formula_like
from jointwork.render.document import Table
from jointwork.render.spreadsheet import MISSING, Cover, Sheet, sheet_name, workbook_bytes

from conftest import FRESH_AREA, SAMPLES

SOUTHAMPTON = "E06000045"
#: What a team might type that a spreadsheet would otherwise run (OWASP's list), and text that merely looks odd.
FORMULAS = ['=HYPERLINK("http://example.invalid","click")', "+1", "-2+3", "@SUM(A1)", "\tindented", "\rreturn"]
ODD = ["-", "[a link](http://example.invalid)", "$$note$$", "http://example.invalid"]


def cells(book: openpyxl.Workbook) -> list:
    return [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]


def text_of(cell) -> str:
    """A string cell as Excel reads it (openpyxl leaves Excel's _x000D_ escape for a carriage return as is)."""
    return unescape(cell.value) if isinstance(cell.value, str) else cell.value


def check_layout(book: openpyxl.Workbook) -> None:
    """Cover, contents and notes first; every other sheet one table under its title, from column A; no merges."""
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    contents = book["Contents"]
    listed = [row[0] for row in contents.iter_rows(min_row=4, values_only=True)]
    assert listed == book.sheetnames[3:], "the contents list every table sheet, in order"
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges, sheet.title
        assert sheet["A1"].value, f"{sheet.title}: its title is in A1"
        if sheet.title == "Cover":
            continue
        assert len(sheet.tables) == 1, sheet.title
        ref = next(iter(sheet.tables.values())).ref
        assert ref.startswith("A"), f"{sheet.title}: the table starts in column A ({ref})"
        first, last = ref.split(":")
        header = int(first[1:])
        assert all(sheet.cell(header, c).value for c in range(1, sheet.max_column + 1)), "every column has a heading"
        assert not [
            c.coordinate for row in sheet.iter_rows(min_row=header + 1) for c in row if c.value in (None, "")
        ], f"{sheet.title}: no empty cell (an empty one reads {MISSING})"
    assert not [c.coordinate for c in cells(book) if c.data_type == "f"], "no formula anywhere"


@pytest.mark.parametrize("typed", FORMULAS)
def test_formula_like_text_goes_to_csv_behind_a_quote(typed: str) -> None:
    assert formula_like(typed) and csv_cell(typed) == "'" + typed
    rows = list(csv.reader(io.StringIO(csv_text(["Note", "Score"], [{"Note": typed, "Score": -2}]))))
    assert rows == [["Note", "Score"], ["'" + typed, "-2"]], "numbers stay numbers, text is quoted"


def test_plain_values_reach_csv_unchanged() -> None:
    assert [csv_cell(v) for v in ("Health visiting", 3, -1.5, None, float("nan"), "a=b")] == [
        "Health visiting", 3, -1.5, "", "", "a=b"
    ]  # fmt: skip


def test_typed_text_reaches_excel_as_text_and_never_as_a_formula() -> None:
    typed = FORMULAS + ODD
    table = Table("Typed text", ("Note", "Score"), tuple({"Note": t, "Score": i} for i, t in enumerate(typed)))
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(Cover("Typed"), [Sheet("Typed", table)])))
    check_layout(book)
    found = {text_of(c): c for c in book["Typed"]["A"] if c.value is not None}
    for text in typed:
        cell = found[text]
        assert cell.data_type == "s", text
        assert cell.quotePrefix == formula_like(text), f"{text!r}: quote prefix only where Excel would see a formula"
    assert [c.value for c in book["Typed"]["B"]][-len(typed) :] == list(range(len(typed))), "numbers stay numbers"


def test_sheet_names_are_what_excel_accepts() -> None:
    taken: set[str] = set()
    names = [sheet_name(text, taken) for text in ("P3 Ratings: who? [all]", "P3 Ratings: who? [all]", "x" * 40)]
    assert names == ["P3 Ratings who all", "P3 Ratings who all (2)", "x" * 31]


def sample_plan(changes: dict | None = None) -> Plan:
    data = yaml.safe_load((SAMPLES / f"{SOUTHAMPTON}.yaml").read_text(encoding="utf-8"))
    for (section, items, index, field), value in (changes or {}).items():
        data[section][items][index][field] = value
    return Plan.model_validate(data)


def test_area_workbook_holds_every_table_the_team_entered() -> None:
    from dataclasses import replace

    from jointwork.core.responses import ResponseStore

    typed = {
        ("who_to_engage", "stakeholders", 0, "role"): FORMULAS[2],
        ("health_priorities", "actions", 0, "what"): FORMULAS[3],
        ("hearing_from_others", "interviews", 0, "role"): FORMULAS[1],
    }
    plan = sample_plan(typed)
    responses = ResponseStore(SAMPLES.parent).area(SOUTHAMPTON)  # product 3's ratings: a respondent's name
    ratings = responses.current("successful_joint_working")
    first = replace(ratings.responses[0], name=FORMULAS[0], label=FORMULAS[0])
    responses = responses.with_round("successful_joint_working", ratings.with_saved(first))
    typed[("successful_joint_working", "respondents", 0, "name")] = FORMULAS[0]
    book = openpyxl.load_workbook(io.BytesIO(area_workbook(find_area(SOUTHAMPTON), plan, responses)))
    check_layout(book)
    expected = [f"P{p.number} {part.title}" for p in PRODUCTS for part in p.workbook]
    assert book.sheetnames[3:5] == ["Area", "Indicators"]
    assert [n for n in book.sheetnames[5:]] == [n for n in expected if n in book.sheetnames]
    assert {
        "P2 Local priorities",
        "P3 Ratings",
        "P3 Scores",
        "P4 Stakeholders",
        "P5 Stage plan",
        "P6 Principles",
    } <= set(book.sheetnames)
    values = {text_of(c) for c in cells(book)}
    for text in typed.values():
        assert text in values, f"{text!r} reaches the workbook as typed"
    stakeholders = [c.value for c in book["P4 Stakeholders"][4]]
    assert not [h for h in stakeholders if "contact" in str(h).lower() or "email" in str(h).lower()]
    cover = " ".join(str(c.value) for c in book["Cover"]["A"])
    assert "Southampton" in cover and "illustrative" in cover.lower()
    notes = [row[1] for row in book["Notes"].iter_rows(min_row=4, values_only=True)]
    assert any("never run as a formula" in str(n) for n in notes)
    assert any("[note" in str(book[s]["A1"].value) for s in book.sheetnames[3:]), "titles refer to notes as [note N]"
    indicators = book["Indicators"]
    header = [c.value for c in indicators[4]]
    assert "Unit" in header and "Period" in header and "England value" in header


def test_an_area_with_no_plan_gets_its_facts_and_indicators() -> None:
    area = find_area(FRESH_AREA)
    for plan in (None, Plan(area_code=FRESH_AREA)):
        book = openpyxl.load_workbook(io.BytesIO(area_workbook(area, plan)))
        check_layout(book)
        assert book.sheetnames == ["Cover", "Contents", "Notes", "Area", "Indicators"]
        assert "No plan has been saved" in " ".join(str(c.value) for c in book["Cover"]["A"])
        assert area.name in [c.value for c in book["Area"]["B"]]


def test_the_workbook_is_a_paper() -> None:
    paper = get_paper("workbook.xlsx")
    assert paper in PAPERS and paper.media_type.endswith("spreadsheetml.sheet")
    assert paper.build(find_area(FRESH_AREA), None)[:2] == b"PK", "an .xlsx file (a zip)"


def test_partners_answers_reach_the_workbook_before_any_plan(sample_workspace) -> None:
    from jointwork.core.responses import ResponseStore

    (sample_workspace / "plans" / f"{SOUTHAMPTON}.yaml").unlink()
    responses = ResponseStore(sample_workspace).area(SOUTHAMPTON)
    book = openpyxl.load_workbook(io.BytesIO(area_workbook(find_area(SOUTHAMPTON), None, responses)))
    check_layout(book)
    assert "P3 Ratings" in book.sheetnames and "P4 Stakeholders" not in book.sheetnames
    assert "the partners' answers so far are included" in " ".join(str(c.value) for c in book["Cover"]["A"])
