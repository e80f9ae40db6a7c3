"""Excel respondent forms: what the written form holds, and reading filled forms back.

Every bad input of issue 10 is refused with its file, sheet and cell, and changes nothing stored
(the responses folder is compared byte for byte before and after).
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jointwork.cli import main
from jointwork.core.questionnaire import Question, Questionnaire
from jointwork.core.responses import ResponseStore
from jointwork.forms import FormProduct, FormSpec, ImportRefused
from jointwork.forms.excel_form import ANSWERS, FIRST_QUESTION_ROW, HEADER_ROW, ROW, write_form, write_forms
from jointwork.forms.importing import import_files
from jointwork.products import PRODUCTS, get_product

AREA, AREA_NAME, OTHER_AREA = "E06000045", "Southampton", "E06000044"
ROUND = "Baseline, March 2027"


def form_product(number: int) -> FormProduct:
    product = get_product(number)
    return FormProduct(product.number, product.slug, product.title, product.questionnaire)


P3, P2 = form_product(3), form_product(2)
PRODUCTS_ASKING = [FormProduct(p.number, p.slug, p.title, p.questionnaire) for p in PRODUCTS if p.questionnaire]


def snapshot(workspace: Path) -> dict[str, bytes]:
    """Every file under the workspace's responses folder, by relative path."""
    root = workspace / "responses"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fill(
    path: Path,
    answers: dict[str, Any],
    *,
    sector: Any = "Health",
    name: Any = None,
    notes: dict[str, Any] | None = None,
    change: Callable[[Any], None] | None = None,
) -> Path:
    """Fill a written form as a respondent would: the sector, a name if any, answers by question id."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[ANSWERS]
    headings = {c.value: c.column for c in sheet[HEADER_ROW]}
    answer_col = next(
        col for head, col in headings.items() if str(head).startswith("Your score") or str(head).startswith("Your rank")
    )
    note_col = next((col for head, col in headings.items() if str(head).endswith("(optional)")), None)
    rows = {sheet.cell(r, 1).value: r for r in range(FIRST_QUESTION_ROW, sheet.max_row + 1)}
    sheet.cell(ROW["sector"], 2).value = sector
    sheet.cell(ROW["name"], 2).value = name
    for ref, value in answers.items():
        sheet.cell(rows[ref], answer_col).value = value
    for ref, note in (notes or {}).items():
        sheet.cell(rows[ref], note_col).value = note
    if change is not None:
        change(sheet)
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the round open for products 3 and 2, and blank forms written for it."""
    root = tmp_path_factory.mktemp("forms")
    store = ResponseStore(root / "workspace")
    for product in (P3, P2):
        made = store.open_round(AREA, product.slug, ROUND)
        write_forms(product, AREA, AREA_NAME, made, root / "forms", count=3 if product is P3 else 1)
    return root


@pytest.fixture
def setup(blank: Path, tmp_path: Path) -> tuple[ResponseStore, Path, list[Path]]:
    """(a store of a fresh copy of that workspace, the workspace, product 3's three blank forms)."""
    shutil.copytree(blank, tmp_path, dirs_exist_ok=True)
    forms = sorted((tmp_path / "forms").glob(f"*{P3.slug}*.xlsx"))
    return ResponseStore(tmp_path / "workspace"), tmp_path / "workspace", forms


def factor_ids() -> list[str]:
    return P3.questionnaire.question_ids()


class TestTheWrittenForm:
    def test_sheets_locked_cells_and_drop_downs(self, setup) -> None:
        _, _, forms = setup
        workbook = openpyxl.load_workbook(forms[0])
        assert workbook.sheetnames == ["Instructions", ANSWERS, "Lists"]
        assert workbook["Lists"].sheet_state == "hidden"
        sheet = workbook[ANSWERS]
        assert sheet.protection.sheet and workbook["Instructions"].protection.sheet
        assert sheet.cell(ROW["area"], 2).value == AREA
        assert sheet.cell(ROW["round"], 2).value == "baseline-march-2027"
        assert sheet.cell(ROW["version"], 2).value == P3.questionnaire.version
        assert len(sheet.cell(ROW["form_id"], 2).value) == 32
        for key in ("area", "product", "round", "version", "layout", "form_id"):
            assert sheet.cell(ROW[key], 2).protection.locked
        assert not sheet.cell(ROW["sector"], 2).protection.locked
        assert not sheet.cell(ROW["name"], 2).protection.locked
        assert sheet.cell(ROW["name"], 2).value is None  # anonymous unless the respondent adds a name
        headings = [c.value for c in sheet[HEADER_ROW]]
        assert headings[:4] == ["Ref", "Group", "Question", "What it means"]
        assert headings[4:8] == ["1: Not in place", "2: Emerging", "3: Established", "4: Embedded"]
        assert headings[8:] == ["Your score (1 to 4)", "Your evidence (optional)"]
        refs = [sheet.cell(r, 1).value for r in range(FIRST_QUESTION_ROW, FIRST_QUESTION_ROW + len(factor_ids()))]
        assert refs == factor_ids()
        first = P3.questionnaire.questions()[0]
        assert sheet.cell(FIRST_QUESTION_ROW, 5).value == first.descriptors[1]
        assert sheet.cell(FIRST_QUESTION_ROW, 1).protection.locked
        assert not sheet.cell(FIRST_QUESTION_ROW, 9).protection.locked
        assert not sheet.cell(FIRST_QUESTION_ROW, 10).protection.locked
        lists = workbook["Lists"]
        validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
        score = validations[f"I{FIRST_QUESTION_ROW}:I{FIRST_QUESTION_ROW + 13}"]
        assert score.type == "list" and score.formula1 == "'Lists'!$B$1:$B$4"
        assert [lists.cell(r, 2).value for r in range(1, 5)] == [1, 2, 3, 4]
        sector = validations[f"B{ROW['sector']}"]
        assert sector.type == "list"
        assert [lists.cell(r, 1).value for r in range(1, 4)] == ["Local authority", "Health", "Other"]

    def test_each_copy_has_its_own_id_and_no_file_is_replaced(self, setup, tmp_path: Path) -> None:
        store, _, forms = setup
        ids = {openpyxl.load_workbook(f)[ANSWERS].cell(ROW["form_id"], 2).value for f in forms}
        assert len(ids) == 3
        again = write_forms(
            P3, AREA, AREA_NAME, store.round(AREA, P3.slug, "baseline-march-2027"), forms[0].parent, count=1
        )
        assert again[0].name.endswith("-004.xlsx") and forms[0].read_bytes() == setup[2][0].read_bytes()

    def test_product_2_ranks_from_1_to_n(self, blank: Path) -> None:
        path = next((blank / "forms").glob(f"*{P2.slug}*.xlsx"))
        sheet = openpyxl.load_workbook(path)[ANSWERS]
        count = len(P2.questionnaire.questions())
        headings = [c.value for c in sheet[HEADER_ROW]]
        assert headings == [
            "Ref",
            "Group",
            "Question",
            "What it means",
            f"Your rank (1 = most important, up to {count})",
            "Your why (optional)",
        ]
        rank = next(v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith("E"))
        assert (rank.type, rank.operator, rank.formula1, rank.formula2) == ("whole", "between", "1", str(count))

    def test_a_round_name_like_a_formula_is_written_as_text(self, tmp_path: Path) -> None:
        store = ResponseStore(tmp_path)
        made = store.open_round(AREA, P3.slug, '=HYPERLINK("http://example.invalid","x")')
        path = write_form(FormSpec(P3, AREA, AREA_NAME, made, "0" * 32), tmp_path / "f.xlsx")
        cell = openpyxl.load_workbook(path)[ANSWERS].cell(ROW["round"], 3)
        assert cell.value == made.name and cell.data_type == "s" and cell.quotePrefix
        with zipfile.ZipFile(path) as archive:
            sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


class TestImport:
    def test_round_trip_anonymous_by_default(self, setup) -> None:
        store, _, forms = setup
        first, second = factor_ids()[:2]
        fill(forms[0], {first: 3, second: "2"}, notes={first: "Seen in the board minutes"})
        report = import_files(store, AREA, [forms[0]], PRODUCTS_ASKING)
        assert (report.added, report.updated) == (1, 0)
        [saved] = store.responses(AREA, P3.slug, "baseline-march-2027")
        assert saved.anonymous and saved.label == "Respondent 1" and saved.source == "form"
        assert saved.sector.value == "health"
        assert dict(saved.answers) == {first: {"value": 3, "note": "Seen in the board minutes"}, second: {"value": 2}}

    def test_the_same_form_again_updates_its_response(self, setup) -> None:
        store, _, forms = setup
        first = factor_ids()[0]
        fill(forms[0], {first: 1})
        import_files(store, AREA, [forms[0]], PRODUCTS_ASKING)
        fill(forms[0], {first: 4}, sector="Local authority")
        report = import_files(store, AREA, [forms[0]], PRODUCTS_ASKING)
        assert (report.added, report.updated) == (0, 1)
        [saved] = store.responses(AREA, P3.slug, "baseline-march-2027")
        assert saved.value(first) == 4 and saved.sector.value == "local authority"
        assert saved.label == "Respondent 1"

    def test_several_forms_and_a_name_when_given(self, setup) -> None:
        store, _, forms = setup
        first = factor_ids()[0]
        fill(forms[0], {first: 2}, name="Sam Example")
        fill(forms[1], {first: 3}, sector="Other")
        report = import_files(store, AREA, forms[:2], PRODUCTS_ASKING)
        assert report.added == 2
        saved = store.responses(AREA, P3.slug, "baseline-march-2027")
        assert sorted((r.label, r.name) for r in saved) == [("Respondent 1", None), ("Sam Example", "Sam Example")]

    def test_typed_text_is_stored_as_text(self, setup) -> None:
        store, _, forms = setup
        first = factor_ids()[0]
        workbook_text = '=HYPERLINK("http://example.invalid","click")'

        def as_text(sheet: Any) -> None:  # what Excel saves for a cell typed with a leading apostrophe
            cell = sheet.cell(FIRST_QUESTION_ROW, 10)
            cell.value, cell.data_type, cell.quotePrefix = workbook_text, "s", True

        fill(forms[0], {first: 2}, change=as_text)
        import_files(store, AREA, [forms[0]], PRODUCTS_ASKING)
        [saved] = store.responses(AREA, P3.slug, "baseline-march-2027")
        assert saved.note(first) == workbook_text

    def test_product_2_ranking(self, setup, blank: Path) -> None:
        store, _, _ = setup
        path = next((blank / "forms").glob(f"*{P2.slug}*.xlsx"))
        copy = Path(setup[1]).parent / "p2.xlsx"
        shutil.copyfile(path, copy)
        ids = P2.questionnaire.question_ids()
        fill(copy, {ids[0]: 2, ids[1]: 1}, notes={ids[1]: "Most families ask for it"})
        import_files(store, AREA, [copy], PRODUCTS_ASKING)
        [saved] = store.responses(AREA, P2.slug, "baseline-march-2027")
        assert (saved.value(ids[0]), saved.value(ids[1]), saved.note(ids[1])) == (2, 1, "Most families ask for it")

    def test_command_line_writes_forms_opens_the_round_and_imports(self, tmp_path: Path, capsys) -> None:
        workspace, out = tmp_path / "ws", tmp_path / "out"
        assert (
            main(
                [
                    "forms",
                    AREA,
                    "--product",
                    "3",
                    "--round",
                    "Follow-up, 2028",
                    "--out",
                    str(out),
                    "--workspace",
                    str(workspace),
                ]
            )
            == 0
        )
        assert "Opened round 'Follow-up, 2028'" in capsys.readouterr().err
        [path] = out.glob("*.xlsx")
        fill(path, {factor_ids()[0]: 4})
        assert main(["responses", "import", "Southampton", str(path), "--workspace", str(workspace)]) == 0
        assert "1 new, 0 updated" in capsys.readouterr().out
        assert len(ResponseStore(workspace).responses(AREA, P3.slug, "follow-up-2028")) == 1
        assert (
            main(["forms", AREA, "--product", "5", "--round", "x", "--out", str(out), "--workspace", str(workspace)])
            == 1
        )
        assert "a product that asks each partner's own view (2, 3)" in capsys.readouterr().err


def _set(ref: str, value: Any) -> Callable[[Any], None]:
    def change(sheet: Any) -> None:
        sheet[ref].value = value

    return change


def _ref(row: int) -> Callable[[Any], None]:
    return _set(f"A{FIRST_QUESTION_ROW + row}", "no_such_factor")


class TestBadInputChangesNothing:
    """Each case: a good form already imported; a bad file refused with its file, sheet and cell;
    the responses folder byte for byte as it was."""

    @pytest.fixture
    def stored(self, setup) -> tuple[ResponseStore, Path, list[Path], dict[str, bytes]]:
        store, workspace, forms = setup
        fill(forms[0], {factor_ids()[0]: 3})
        import_files(store, AREA, [forms[0]], PRODUCTS_ASKING)
        fill(forms[0], {factor_ids()[0]: 1})  # a changed copy: importing it would update the response
        return store, workspace, forms, snapshot(workspace)

    def refused(self, stored, files: list[Path], **options: Any) -> list[str]:
        store, workspace, forms, before = stored
        with pytest.raises(ImportRefused) as caught:
            import_files(store, AREA, [forms[0], *files], PRODUCTS_ASKING, **options)
        assert snapshot(workspace) == before
        assert "nothing was imported" in str(caught.value)
        return [str(p) for p in caught.value.problems]

    @pytest.mark.parametrize(
        ("answers", "change", "where", "expected"),
        [
            ({0: 7}, None, "cell I15", "a score from 1 to 4, got 7"),
            ({0: 0}, None, "cell I15", "a score from 1 to 4, got 0"),
            ({0: "high"}, None, "cell I15", "a score: a whole number"),
            ({0: 2.5}, None, "cell I15", "a score: a whole number"),
            ({0: "=2+1"}, None, "cell I15", "a value, not a formula"),
            ({0: 2}, _set("J15", "=A1"), "cell J15", "a value, not a formula"),
            ({0: 2}, _set("B11", '=IF(1,"Health")'), "cell B11", "a value, not a formula"),
            ({0: 2}, _ref(1), "cell A16", "a question of this form"),
            ({0: 2}, _set(f"B{ROW['area']}", OTHER_AREA), "cell B4", f"a form for area {AREA}"),
            ({0: 2}, _set(f"B{ROW['version']}", 2), "cell B7", "comes from a newer version of the questionnaire"),
            ({0: 2}, _set(f"B{ROW['layout']}", 2), "cell B8", "comes from a newer version of jointwork"),
            ({0: 2}, _set(f"B{ROW['round']}", "no-such-round"), "cell B6", "a round of product 3"),
            ({0: 2}, _set(f"B{ROW['product']}", "who_to_engage"), "cell B5", "a form of a product that asks"),
            ({0: 2}, _set(f"B{ROW['form_id']}", "not an id"), "cell B9", "the form id"),
            ({0: 2}, _set("A5", "Something else"), "cell A5", "the label 'Product'"),
            ({0: 2}, _set(f"B{ROW['name']}", "Respondent 2"), "cell B12", "not an anonymous label"),
            ({}, None, "rows 15 onwards", "at least one answer"),
        ],
    )
    def test_a_bad_cell(self, stored, answers, change, where, expected) -> None:
        forms = stored[2]
        fill(forms[1], {factor_ids()[k]: v for k, v in answers.items()}, change=change)
        [problem] = self.refused(stored, [forms[1]])
        assert problem.startswith(f"{forms[1]}, sheet '{ANSWERS}', {where}: expected"), problem
        assert expected in problem

    def test_a_missing_sector(self, stored) -> None:
        forms = stored[2]
        fill(forms[1], {factor_ids()[0]: 2}, sector=None)
        [problem] = self.refused(stored, [forms[1]])
        assert f"sheet '{ANSWERS}', cell B11: expected your sector, one of 'Local authority'" in problem

    def test_every_problem_is_listed(self, stored) -> None:
        forms = stored[2]
        fill(forms[1], {factor_ids()[0]: 9, factor_ids()[1]: 5})
        fill(forms[2], {factor_ids()[0]: 2}, change=_set(f"B{ROW['area']}", OTHER_AREA))
        problems = self.refused(stored, forms[1:])
        assert [p.split(": expected")[0].rsplit(", ", 1)[-1] for p in problems] == ["cell I15", "cell I16", "cell B4"]

    def test_a_form_for_another_product_or_round(self, stored) -> None:
        forms = stored[2]
        fill(forms[1], {factor_ids()[0]: 2})
        problems = self.refused(stored, [forms[1]], product=P2)  # the good form is not of product 2 either
        assert len(problems) == 2 and all("cell B5: expected a form of product 2" in p for p in problems)
        problems = self.refused(stored, [forms[1]], round_name="Follow-up, 2028")
        assert len(problems) == 2 and all(
            "cell B6: expected a form of the round 'Follow-up, 2028'" in p for p in problems
        )

    def test_a_closed_round(self, stored) -> None:
        store, _, forms, _ = stored
        fill(forms[1], {factor_ids()[0]: 2})
        store.close_round(AREA, P3.slug, "baseline-march-2027")
        stored = (*stored[:3], snapshot(stored[1]))
        problems = self.refused(stored, [forms[1]])
        assert all("cell B6: expected an open round" in p for p in problems) and len(problems) == 2

    def test_the_same_copy_twice(self, stored, tmp_path: Path) -> None:
        forms = stored[2]
        twin = tmp_path / "twin.xlsx"
        shutil.copyfile(forms[0], twin)
        [problem] = self.refused(stored, [twin])
        assert f"{twin}, sheet '{ANSWERS}', cell B9: expected a form id of its own" in problem

    def test_files_that_are_not_forms(self, stored, tmp_path: Path) -> None:
        text = tmp_path / "notes.xlsx"
        text.write_text("just some text\n", encoding="utf-8")
        old = tmp_path / "old.xlsx"
        old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        document = tmp_path / "letter.xlsx"
        with zipfile.ZipFile(document, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types><Override ContentType='wordprocessingml'/></Types>")
        empty = tmp_path / "empty.xlsx"
        empty.write_bytes(b"")
        pdf = tmp_path / "form.pdf"
        pdf.write_bytes(b"%PDF-1.4")
        missing = tmp_path / "nowhere.xlsx"
        problems = self.refused(stored, [text, old, document, empty, pdf, missing])
        assert problems == [
            f"{text}: expected a spreadsheet (.xlsx): this file is not one",
            f"{old}: expected an .xlsx workbook (this is an old-style .xls file or another format: save it as "
            "'Excel Workbook (.xlsx)')",
            f"{document}: expected a spreadsheet (.xlsx): this file is another kind of document",
            f"{empty}: expected a spreadsheet (this file is empty)",
            f"{pdf}: expected a filled jointwork form (.xlsx) or a survey export (.xlsx or .csv) (got '.pdf')",
            f"{missing}: expected a file that exists (no such file)",
        ]

    def test_macro_enabled_workbooks_are_refused(self, stored, tmp_path: Path) -> None:
        forms = stored[2]
        fill(forms[1], {factor_ids()[0]: 2})
        xlsm = tmp_path / "form.xlsm"
        shutil.copyfile(forms[1], xlsm)
        renamed = tmp_path / "renamed.xlsx"
        with zipfile.ZipFile(forms[1]) as source, zipfile.ZipFile(renamed, "w") as target:
            for item in source.infolist():
                target.writestr(item, source.read(item))
            target.writestr("xl/vbaProject.bin", b"\0" * 64)
        problems = self.refused(stored, [xlsm, renamed])
        assert problems[0].startswith(f"{xlsm}: expected a workbook without macros (.xlsx)")
        assert problems[1].startswith(f"{renamed}: expected a workbook without macros: this one holds macros")

    def test_a_file_over_10_mb(self, stored, tmp_path: Path) -> None:
        big = tmp_path / "big.xlsx"
        with big.open("wb") as handle:
            handle.truncate(10 * 1024 * 1024 + 1)
        [problem] = self.refused(stored, [big])
        assert problem == f"{big}: expected a file of at most 10 MB (this one is 10.0 MB)"


class TestAChoiceQuestionnaire:
    """A product with "choice" questions (as product 6's "adopt, adapt or set aside" would be) gets a
    drop-down of its options, and the options read back as their values."""

    CHOICE = FormProduct(
        6,
        "joint_priorities",
        "A choice product",
        Questionnaire(
            kind="choice",
            title="Adopt, adapt or set aside",
            questions=lambda: [Question("idea_one", "First idea"), Question("idea_two", "Second idea")],
            options=(("Adopt", "adopt"), ("Adapt", "adapt"), ("Set aside", "set_aside")),
            note_label="Why",
        ),
    )

    def test_write_fill_and_read_back(self, tmp_path: Path) -> None:
        store = ResponseStore(tmp_path / "ws")
        made = store.open_round(AREA, self.CHOICE.slug, ROUND)
        [path] = write_forms(self.CHOICE, AREA, AREA_NAME, made, tmp_path / "forms")
        workbook = openpyxl.load_workbook(path)
        sheet = workbook[ANSWERS]
        assert [c.value for c in sheet[HEADER_ROW]] == [
            "Ref",
            "Group",
            "Question",
            "What it means",
            "Your answer",
            "Your why (optional)",
        ]
        answer = next(v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith("E"))
        assert answer.type == "list"
        assert [workbook["Lists"].cell(r, 2).value for r in range(1, 4)] == ["Adopt", "Adapt", "Set aside"]
        sheet["B11"], sheet["E15"], sheet["E16"] = "Other", "Set aside", "Maybe"
        workbook.save(path)
        with pytest.raises(ImportRefused) as caught:
            import_files(store, AREA, [path], [self.CHOICE])
        assert "cell E16: expected one of 'adapt', 'adopt', 'set_aside', got 'Maybe'" in str(caught.value)
        sheet["E16"] = "adopt"
        workbook.save(path)
        import_files(store, AREA, [path], [self.CHOICE])
        [saved] = store.responses(AREA, self.CHOICE.slug, made.id)
        assert (saved.value("idea_one"), saved.value("idea_two")) == ("set_aside", "adopt")
