"""Online survey exports (Microsoft Forms' layout) and the question list to build the survey from."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_forms import AREA, P2, P3, PRODUCTS_ASKING, snapshot  # noqa: I001

from jointwork.cli import main
from jointwork.core.responses import ResponseStore
from jointwork.forms import ImportRefused
from jointwork.forms.importing import import_files
from jointwork.forms.survey import survey_questions, survey_questions_csv, survey_questions_text

REPO = Path(__file__).resolve().parents[2]
EXPORT = ["Id", "Start time", "Completion time", "Email", "Name"]
ROUND = "Survey, April 2027"


def factor(index: int) -> Any:
    return P3.questionnaire.questions()[index]


def export_rows(people: list[dict[str, Any]], extra_columns: list[str] | None = None) -> list[list[Any]]:
    """An export as Microsoft Forms lays it out: the export's own columns, then one per question."""
    titles = [factor(0).title, f"Evidence: {factor(0).title}", factor(1).title, "Your sector", "Your name (optional)"]
    titles += extra_columns or []
    rows: list[list[Any]] = [EXPORT + titles]
    for number, person in enumerate(people, start=1):
        started = datetime(2027, 4, 1, 9, number)
        rows.append(
            [
                number,
                started,
                datetime(2027, 4, 1, 9, number + 5),
                person.get("email", "anonymous"),
                person.get("account", "anonymous"),
                person.get("score0"),
                person.get("evidence", ""),
                person.get("score1"),
                person.get("sector", "Health"),
                person.get("name", ""),
            ]
            + person.get("extra", [])
        )
    return rows


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([[("" if v is None else v) for v in row] for row in rows])
    return path


PEOPLE = [
    {
        "score0": "3 Established",
        "evidence": "Weekly clinics at the hub",
        "score1": 2,
        "email": "a.person@example.org",
        "account": "A Person",
    },
    {"score0": 4, "score1": "1", "sector": "Local authority", "name": "Jo Bloggs"},
    {"score0": "Emerging", "sector": "other", "name": "Anonymous"},
]


@pytest.fixture
def store(tmp_path: Path) -> ResponseStore:
    return ResponseStore(tmp_path / "workspace")


class TestImport:
    @pytest.mark.parametrize("writer", [write_xlsx, write_csv])
    def test_rows_become_anonymous_responses_without_email_or_account_name(self, store, tmp_path, writer) -> None:
        path = writer(tmp_path / f"export.{'xlsx' if writer is write_xlsx else 'csv'}", export_rows(PEOPLE))
        report = import_files(store, AREA, [path], PRODUCTS_ASKING, product=P3, round_name=ROUND)
        assert [r.name for r in report.opened] == [ROUND] and report.added == 3
        assert report.names_left_out == 1 and "not stored" in report.summary()
        saved = store.responses(AREA, P3.slug, "survey-april-2027")
        assert [(r.label, r.name, r.sector.value, r.source) for r in saved] == [
            ("Respondent 1", None, "health", "survey"),
            ("Respondent 2", None, "local authority", "survey"),
            ("Respondent 3", None, "other", "survey"),
        ]
        assert dict(saved[0].answers) == {
            factor(0).id: {"value": 3, "note": "Weekly clinics at the hub"},
            factor(1).id: {"value": 2},
        }
        assert (saved[1].value(factor(0).id), saved[1].value(factor(1).id), saved[2].value(factor(0).id)) == (4, 1, 2)
        assert all(r.source_key is None for r in saved)  # an anonymous response keeps no trace of its row
        stored_text = b"".join(snapshot(store.root.parent).values())
        for identity in (b"a.person@example.org", b"A Person", b"Jo Bloggs", b"anonymous"):
            assert identity not in stored_text

    def test_a_named_survey_keeps_the_names_given_and_only_those(self, store, tmp_path) -> None:
        path = write_xlsx(tmp_path / "export.xlsx", export_rows(PEOPLE))
        import_files(store, AREA, [path], PRODUCTS_ASKING, product=P3, round_name=ROUND, named=True)
        saved = store.responses(AREA, P3.slug, "survey-april-2027")
        assert sorted(str(r.name) for r in saved) == ["Jo Bloggs", "None", "None"]
        assert b"a.person@example.org" not in b"".join(snapshot(store.root.parent).values())

    def test_importing_the_export_again_updates_instead_of_adding(self, store, tmp_path) -> None:
        path = write_xlsx(tmp_path / "export.xlsx", export_rows(PEOPLE))
        import_files(store, AREA, [path], PRODUCTS_ASKING, product=P3, round_name=ROUND)
        changed = [dict(PEOPLE[0], score0=1), *PEOPLE[1:], {"score0": 2}]
        write_xlsx(path, export_rows(changed))
        report = import_files(store, AREA, [path], PRODUCTS_ASKING, product=P3, round_name=ROUND)
        assert (report.added, report.updated) == (1, 3)
        saved = store.responses(AREA, P3.slug, "survey-april-2027")
        assert len(saved) == 4 and saved[0].value(factor(0).id) == 1 and saved[0].label == "Respondent 1"

    def test_titles_match_whatever_the_case_spacing_and_required_star(self, store, tmp_path) -> None:
        rows = export_rows(PEOPLE[:1])
        rows[0][5] = "  " + factor(0).title.upper().replace(" ", "  ") + " *"
        path = write_csv(tmp_path / "export.csv", rows)
        import_files(store, AREA, [path], PRODUCTS_ASKING, product=P3, round_name=ROUND)
        assert store.responses(AREA, P3.slug, "survey-april-2027")[0].value(factor(0).id) == 3

    def test_command_line(self, tmp_path, capsys) -> None:
        path = write_csv(tmp_path / "export.csv", export_rows(PEOPLE))
        workspace = tmp_path / "ws"
        assert main(["responses", "import", AREA, str(path), "--workspace", str(workspace)]) == 1
        assert "the product and round to import a survey export into (--product and --round)" in capsys.readouterr().err
        assert (
            main(
                [
                    "responses",
                    "import",
                    AREA,
                    str(path),
                    "--product",
                    "3",
                    "--round",
                    ROUND,
                    "--workspace",
                    str(workspace),
                ]
            )
            == 0
        )
        assert "3 new, 0 updated" in capsys.readouterr().out


class TestBadInputChangesNothing:
    @pytest.fixture
    def stored(self, store, tmp_path) -> tuple[ResponseStore, dict[str, bytes]]:
        import_files(
            store,
            AREA,
            [write_xlsx(tmp_path / "first.xlsx", export_rows(PEOPLE))],
            PRODUCTS_ASKING,
            product=P3,
            round_name=ROUND,
        )
        return store, snapshot(store.root.parent)

    def refused(self, stored, path: Path, product: Any = P3) -> list[str]:
        store, before = stored
        with pytest.raises(ImportRefused) as caught:
            import_files(store, AREA, [path], PRODUCTS_ASKING, product=product, round_name=ROUND)
        assert snapshot(store.root.parent) == before
        return [str(p) for p in caught.value.problems]

    @pytest.mark.parametrize(
        ("people", "expected"),
        [
            ([{"score0": 5}], "row 2, column F: expected a score from 1 to 4, got 5"),
            ([{"score0": 2}, {"score1": "lots"}], "row 3, column H: expected a score: a whole number"),
            ([{"score0": 2, "sector": "Police"}], "row 2, column I: expected the respondent's sector, one of"),
            ([{"score0": 2, "sector": None}], "row 2, column I: expected the respondent's sector"),
            ([{"sector": "Health"}], "row 2: expected at least one answer"),
        ],
    )
    @pytest.mark.parametrize("writer", [write_xlsx, write_csv])
    def test_a_bad_row(self, stored, tmp_path, people, expected, writer) -> None:
        path = writer(tmp_path / f"bad.{'xlsx' if writer is write_xlsx else 'csv'}", export_rows([*PEOPLE, *people]))
        [problem] = self.refused(stored, path)
        sheet = ", sheet 'Sheet1'" if writer is write_xlsx else ""
        expected = expected.replace("row 2", f"row {len(PEOPLE) + 2}").replace("row 3", f"row {len(PEOPLE) + 3}")
        assert problem.startswith(f"{path}{sheet}, {expected}"), problem

    def test_a_column_that_is_no_question(self, stored, tmp_path) -> None:
        path = write_xlsx(tmp_path / "bad.xlsx", export_rows(PEOPLE, ["A factor we made up"]))
        [problem] = self.refused(stored, path)
        assert problem.startswith(
            f"{path}, sheet 'Sheet1', row 1, column K: expected the title of a question of product 3"
        )

    def test_a_formula_in_an_export(self, stored, tmp_path) -> None:
        rows = export_rows(PEOPLE)
        rows[2][5] = "=1+3"
        [problem] = self.refused(stored, write_xlsx(tmp_path / "bad.xlsx", rows))
        assert "sheet 'Sheet1', row 3, column F: expected a value, not a formula (got '=1+3')" in problem

    def test_missing_columns_an_empty_export_and_a_product_2_export_for_product_3(self, stored, tmp_path) -> None:
        rows = [row[:3] + row[5:8] for row in export_rows(PEOPLE)]
        problems = self.refused(stored, write_csv(tmp_path / "cut.csv", rows))
        assert [p.split(": expected ")[1] for p in problems] == ["a column 'Your sector'"]
        empty = write_xlsx(tmp_path / "empty.xlsx", export_rows([]))
        assert self.refused(stored, empty) == [
            f"{empty}, sheet 'Sheet1': expected at least one respondent's row: this export has none"
        ]
        other = write_xlsx(tmp_path / "other.xlsx", [["Name", "Score"], ["x", 1]])
        [problem] = self.refused(stored, other)
        assert problem.startswith(f"{other}, sheet 'Sheet1', row 1, column A: expected a survey export")
        [problem, *_] = self.refused(stored, write_xlsx(tmp_path / "p3.xlsx", export_rows(PEOPLE)), product=P2)
        assert "row 1, column F: expected the title of a question of product 2" in problem

    def test_a_csv_that_cannot_be_parsed(self, stored, tmp_path) -> None:
        path = tmp_path / "export.csv"
        path.write_text('Id,Start time\n1,"' + "x" * 200_000 + '"\n', encoding="utf-8")
        [problem] = self.refused(stored, path)
        assert problem.startswith(f"{path}: expected a CSV file that can be read (field larger than field limit")

    def test_a_binary_file_named_csv(self, stored, tmp_path) -> None:
        path = tmp_path / "export.csv"
        path.write_bytes(b"PK\x03\x04\x00\x00binary")
        assert self.refused(stored, path) == [
            f"{path}: expected a CSV file of text (this file is binary, not a spreadsheet)"
        ]


class TestQuestionList:
    def test_every_title_is_unique_and_covers_every_question(self) -> None:
        for product in (P3, P2):
            titles = [row["question"].casefold() for row in survey_questions(product)]
            assert len(titles) == len(set(titles))
            assert len(titles) == 2 + 2 * len(product.questionnaire.questions())

    @pytest.mark.parametrize("product", [P3, P2], ids=lambda p: p.slug)
    def test_the_shipped_lists_are_up_to_date(self, product) -> None:
        """docs/surveys/ holds the lists `jointwork forms AREA --product N --survey-questions` writes."""
        folder = REPO / "docs" / "surveys"
        assert (folder / f"{product.slug}-survey-questions.txt").read_text(encoding="utf-8") == (
            survey_questions_text(product)
        ), "re-run: jointwork forms E06000045 --product N --survey-questions --out docs/surveys"
        assert (folder / f"{product.slug}-survey-questions.csv").read_text(encoding="utf-8") == (
            survey_questions_csv(product)
        )

    def test_a_survey_built_from_the_list_imports(self, store, tmp_path) -> None:
        """Columns titled exactly as the list says, in its order, with answers as the options are written."""
        titles = [row["question"] for row in survey_questions(P3)]
        answers = {"Your sector": "Other"}
        for row in survey_questions(P3):
            if row["type"] == "Choice" and row["question"] != "Your sector":
                answers[row["question"]] = row["options"].split("; ")[2]
        rows = [
            EXPORT + titles,
            [1, "2027-04-01 09:00", "2027-04-01 09:10", "anonymous", "anonymous"]
            + [answers.get(t, "") for t in titles],
        ]
        import_files(
            store, AREA, [write_csv(tmp_path / "full.csv", rows)], PRODUCTS_ASKING, product=P3, round_name=ROUND
        )
        [saved] = store.responses(AREA, P3.slug, "survey-april-2027")
        assert {saved.value(q) for q in P3.questionnaire.question_ids()} == {3}


class TestRoundsAndOtherKinds:
    def test_a_failed_import_opens_no_round_and_a_closed_round_is_refused(self, store, tmp_path) -> None:
        bad = write_csv(tmp_path / "bad.csv", export_rows([{"score0": 9}]))
        with pytest.raises(ImportRefused):
            import_files(store, AREA, [bad], PRODUCTS_ASKING, product=P3, round_name=ROUND)
        assert store.rounds(AREA) == []
        good = write_csv(tmp_path / "good.csv", export_rows(PEOPLE))
        import_files(store, AREA, [good], PRODUCTS_ASKING, product=P3, round_name=ROUND)
        store.close_round(AREA, P3.slug, "survey-april-2027")
        with pytest.raises(ImportRefused) as caught:
            import_files(store, AREA, [good], PRODUCTS_ASKING, product=P3, round_name=ROUND)
        assert f"{good}: expected an open round: '{ROUND}' was closed on" in str(caught.value)

    def test_product_2_ranks_in_a_survey(self, store, tmp_path) -> None:
        objectives = P2.questionnaire.questions()
        rows = [
            EXPORT + ["Your sector", objectives[0].title, objectives[1].title, f"Why: {objectives[1].title}"],
            [1, "2027-04-01 09:00", "", "anonymous", "", "Health", 2, 1, "Families ask for it"],
            [2, "2027-04-01 09:05", "", "anonymous", "", "Other", 1, 1, ""],
        ]
        with pytest.raises(ImportRefused) as caught:
            import_files(
                store, AREA, [write_csv(tmp_path / "p2.csv", rows)], PRODUCTS_ASKING, product=P2, round_name=ROUND
            )
        assert "row 3, column H: expected a rank no other question has" in str(caught.value)
        rows[2][7] = 2
        import_files(store, AREA, [write_csv(tmp_path / "p2.csv", rows)], PRODUCTS_ASKING, product=P2, round_name=ROUND)
        saved = store.responses(AREA, P2.slug, "survey-april-2027")
        assert [(r.value(objectives[0].id), r.value(objectives[1].id)) for r in saved] == [(2, 1), (1, 2)]
        assert saved[0].note(objectives[1].id) == "Families ask for it"
