"""Online surveys: the question list to build one from, and reading its export back.

The export read is Microsoft Forms' layout: one row per respondent; the columns ``Id``, ``Start
time``, ``Completion time``, ``Email`` and ``Name`` (and ``Last modified time`` in some exports),
then one column per question, headed by the question's title. Questions are matched to the
product's questions by title (letter case, spaces, straight or curly quotes and a trailing ``*`` or
``:`` do not matter). See docs/surveys.md.

Identity: the export's ``Email`` and ``Name`` columns are never read (they say who was signed in,
or "anonymous", not what the respondent chose to tell the group). A respondent's name is kept only
when the survey asked for it ("Your name (optional)"), the respondent gave it, and the import was
told the survey is a named one (``named=True``); otherwise every response is anonymous.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.plan import Sector
from ..core.questionnaire import MAX_NOTE
from ..core.responses import ANONYMOUS_LABEL, MAX_NAME
from ..render.cells import csv_cell
from .files import column_letter, sheet_rows
from .problems import Problem
from .reading import ReadResponse
from .spec import FormProduct, allowed_answers, survey_note_title
from .values import blank, name_of, parse_answer, parse_sector, sector_choices, text_of

SECTOR_QUESTION = "Your sector"
NAME_QUESTION = "Your name (optional)"
#: The columns a Microsoft Forms export puts before the questions; only Id and Start time are used.
EXPORT_COLUMNS = ("id", "start time", "completion time", "email", "name", "last modified time")
MAX_ROWS = 5000


def normalise(title: Any) -> str:
    """A column title as compared: case, spacing, quotes and a trailing ``*`` or ``:`` ignored."""
    text = str(title or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-").replace("\xa0", " ")
    return " ".join(text.split()).rstrip("*: ").casefold()


def is_survey_header(values: Sequence[Any]) -> bool:
    """Whether a first row looks like a survey export's (it starts with the ``Id`` column)."""
    return bool(values) and normalise(values[0]) == "id"


# ---- the question list -------------------------------------------------------------------------
def survey_questions(product: FormProduct) -> list[dict[str, str]]:
    """The questions to build the survey from, in order: title, type, whether required, options (and a note)."""
    questionnaire = product.questionnaire
    rows = [
        {
            "question": SECTOR_QUESTION,
            "type": "Choice",
            "required": "yes",
            "options": "; ".join(s.label for s in Sector),
        },
        {
            "question": NAME_QUESTION,
            "type": "Text (short answer)",
            "required": "no",
            "options": "",
            "note": "only in a named survey; leave it out of an anonymous one",
        },
    ]
    if questionnaire.kind == "scale":
        answer = {"type": "Choice", "options": "; ".join(f"{p} {label}" for p, label in questionnaire.points())}
    elif questionnaire.kind == "ranking":
        count = len(questionnaire.questions())
        answer = {
            "type": "Text (short answer), restricted to a number",
            "options": f"a whole number from 1 to {count}, each used once; blank = not ranked",
        }
    else:
        answer = {"type": "Choice", "options": "; ".join(label for label, _ in questionnaire.options)}
    for question in questionnaire.questions():
        rows.append({"question": question.title, "required": "no", **answer})
        if questionnaire.notes:
            rows.append(
                {
                    "question": survey_note_title(questionnaire, question),
                    "type": "Text (long answer)",
                    "required": "no",
                    "options": "",
                }
            )
    return rows


def survey_questions_text(product: FormProduct) -> str:
    """The question list as plain text, one numbered question per paragraph, to paste title by title."""
    questionnaire = product.questionnaire
    lines = [
        f"Questions for an online survey of product {product.number}, {product.title}",
        f"({questionnaire.title}; questionnaire version {questionnaire.version}).",
        "Type each title exactly as written here: the import matches the columns of the export to the",
        "questions by their titles. Keep the order if you like; it does not matter to the import.",
        "",
    ]
    for number, row in enumerate(survey_questions(product), start=1):
        lines.append(f"{number}. {row['question']}")
        lines.append(f"   Type: {row['type']}. Required: {row['required']}.")
        if row["options"]:
            lines.append(f"   Options: {row['options']}")
        if row.get("note"):
            lines.append(f"   Note: {row['note']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def survey_questions_csv(product: FormProduct) -> str:
    """The question list as CSV (question, type, required, options, note); no cell starts like a formula."""
    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\n")
    keys = ("question", "type", "required", "options", "note")
    writer.writerow(keys)
    for row in survey_questions(product):
        writer.writerow([csv_cell(row.get(k, "")) for k in keys])
    return handle.getvalue()


# ---- reading an export -------------------------------------------------------------------------
class _Table:
    """A survey export's rows, as (value, is it a formula) per cell, from a CSV or a worksheet."""

    def __init__(self, rows: list[list[tuple[Any, bool]]], sheet: str | None) -> None:
        self.rows = rows
        self.sheet = sheet


def table_from_csv(path: Path) -> tuple[_Table | None, list[Problem]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        return None, [Problem(str(path), None, None, "a CSV file of text (this file is binary, not a spreadsheet)")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        rows = [[(cell, False) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        return None, [Problem(str(path), None, None, f"a CSV file that can be read ({exc})")]
    return _Table(rows[: MAX_ROWS + 1], None), []


def table_from_workbook(workbook: Any) -> _Table:
    sheet = workbook.worksheets[0]
    rows = [
        [(c.value, getattr(c, "data_type", None) == "f") for c in row]
        for row in sheet_rows(sheet, max_rows=MAX_ROWS + 1)
    ]
    return _Table(rows, sheet.title)


def read_survey(
    path: Path, table: _Table, product: FormProduct | None, round_id: str | None, named: bool = False
) -> tuple[list[ReadResponse], list[Problem]]:
    """The responses of a survey export (one per row), or every problem found."""
    name = str(path)
    problems: list[Problem] = []

    def problem(ref: str | None, expected: str, got: object = None) -> None:
        problems.append(Problem(name, table.sheet, ref, expected, got))

    if product is None or round_id is None:
        problem(None, "the product and round to import a survey export into (--product and --round)")
        return [], problems
    if not table.rows or not is_survey_header([v for v, _ in table.rows[0]]):
        problem(
            "row 1, column A",
            "a survey export: a first row of column titles starting with 'Id' (or a filled jointwork form)",
            table.rows[0][0][0] if table.rows and table.rows[0] else None,
        )
        return [], problems
    if len(table.rows) > MAX_ROWS:
        problem(None, f"at most {MAX_ROWS} respondents in one export")
        return [], problems
    questionnaire = product.questionnaire
    by_title = {normalise(q.title): ("answer", q.id) for q in questionnaire.questions()}
    if questionnaire.notes:
        by_title.update(
            {normalise(survey_note_title(questionnaire, q)): ("note", q.id) for q in questionnaire.questions()}
        )
    by_title[normalise(SECTOR_QUESTION)] = ("sector", "")
    by_title[normalise(NAME_QUESTION)] = ("name", "")
    by_title.update({title: ("export", title) for title in EXPORT_COLUMNS})

    columns: dict[int, tuple[str, str]] = {}
    seen: dict[tuple[str, str], str] = {}
    for index, (title, formula) in enumerate(table.rows[0], start=1):
        where = f"row 1, column {column_letter(index)}"
        if blank(title):
            continue
        found = by_title.get(normalise(title))
        if formula or found is None:
            problem(
                where,
                f"the title of a question of {product.label} (see its survey question list), "
                "'Your sector', 'Your name (optional)' or a column of the export",
                title,
            )
            continue
        if found in seen:
            problem(where, f"each question once (it is also column {seen[found]})", title)
            continue
        seen[found] = column_letter(index)
        columns[index] = found
    for needed, title in (
        (("export", "id"), "Id"),
        (("export", "start time"), "Start time"),
        (("sector", ""), SECTOR_QUESTION),
    ):
        if needed not in seen:
            problem("row 1", f"a column '{title}'")
    if not any(kind == "answer" for kind, _ in columns.values()):
        problem("row 1", f"at least one column whose title is a question of {product.label}")
    if problems:
        return [], problems

    responses: list[ReadResponse] = []
    keys: dict[str, int] = {}
    for number, row in enumerate(table.rows[1:], start=2):
        if all(blank(value) for value, _ in row):
            continue
        before = len(problems)
        answers: dict[str, dict[str, Any]] = {}
        cell_of: dict[str, str] = {}
        sector, person, meta = None, "", {}
        for index, (kind, key) in columns.items():
            value, formula = row[index - 1] if index - 1 < len(row) else (None, False)
            where = f"row {number}, column {column_letter(index)}"
            if formula:
                problem(where, "a value, not a formula", value)
                continue
            if kind == "export":
                meta[key] = text_of(value)
            elif kind == "sector":
                sector = parse_sector(value)
                if sector is None:
                    problem(where, f"the respondent's sector, one of {sector_choices()}", value if value else None)
            elif kind == "name":
                person = name_of(value)
                if len(person) > MAX_NAME:
                    problem(where, f"a name of at most {MAX_NAME} characters")
                elif named and ANONYMOUS_LABEL.fullmatch(" ".join(person.split())):
                    problem(where, "a name, not an anonymous label such as 'Respondent 3'", person)
            elif kind == "answer":
                parsed, unreadable = parse_answer(questionnaire, value)
                if unreadable:
                    problem(where, f"{unreadable}: {allowed_answers(questionnaire)}", value)
                cell_of[key] = where
                if parsed is not None:
                    answers.setdefault(key, {"value": None})["value"] = parsed
            else:
                note = text_of(value)
                if len(note) > MAX_NOTE:
                    problem(where, f"a note of at most {MAX_NOTE} characters", f"{len(note)} characters")
                elif note:
                    answers.setdefault(key, {"value": None})["note"] = note
        if not meta.get("id"):
            problem(f"row {number}, column {seen[('export', 'id')]}", "the respondent's Id, as the survey exported it")
        if len(problems) == before:
            for question_id, expected in questionnaire.problems(answers):
                problem(cell_of.get(question_id, f"row {number}"), expected)
        if len(problems) == before and not any(a.get("value") is not None or a.get("note") for a in answers.values()):
            problem(f"row {number}", f"at least one answer ({allowed_answers(questionnaire)}): this row is empty")
        if len(problems) > before or sector is None:
            continue
        digest = hashlib.sha256(f"{meta['id']}\n{meta.get('start time', '')}".encode()).hexdigest()[:24]
        key = f"survey:{digest}"
        if key in keys:
            problem(f"row {number}", f"each respondent once (row {keys[key]} has the same Id and start time)")
            continue
        keys[key] = number
        responses.append(
            ReadResponse(
                name,
                product,
                round_id,
                sector,
                answers,
                person if (named and person) else None,
                "survey",
                key,
                where=f"{name}, row {number}",
                extra={"name_dropped": bool(person and not named)},
            )
        )
    if not problems and not responses:
        problem(None, "at least one respondent's row: this export has none")
    return ([] if problems else responses), problems
