"""Reading a filled respondent form back: who it is for, the sector, the name and each answer.

Every cell is checked and every problem is reported (file, sheet, cell, what was expected); a form
with any problem gives no answers. Text is read as text: a cell holding a formula is refused, never
calculated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.plan import GSS_CODE, Sector
from ..core.questionnaire import MAX_NOTE
from ..core.responses import ANONYMOUS_LABEL, MAX_NAME
from .excel_form import ANSWERS, FIELDS, FIRST_QUESTION_ROW, HEADER_ROW, ROW
from .files import column_letter, sheet_rows
from .problems import Problem, in_cell_order
from .spec import FORM_FORMAT, FormProduct, allowed_answers, answer_title, note_title
from .values import blank, name_of, parse_answer, parse_sector, sector_choices, text_of

FORM_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class ReadResponse:
    """The answers one form (or one survey row) gives, ready to be saved once every file is checked."""

    file: str
    product: FormProduct
    round_id: str
    sector: Sector
    answers: dict[str, dict[str, Any]]
    name: str | None
    source: str
    source_key: str
    where: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def is_form(workbook: Any) -> bool:
    """Whether a workbook is a jointwork respondent form (it has the answer sheet)."""
    return ANSWERS in workbook.sheetnames


class _Cells:
    """A sheet's cells by row and column (1-based), from one pass over the read-only sheet."""

    def __init__(self, rows: Sequence[Sequence[Any]]) -> None:
        self.rows = rows

    def cell(self, row: int, column: int) -> Any:
        if row - 1 < len(self.rows) and column - 1 < len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return None

    def value(self, row: int, column: int) -> Any:
        found = self.cell(row, column)
        return None if found is None else found.value

    def is_formula(self, row: int, column: int) -> bool:
        found = self.cell(row, column)
        return found is not None and getattr(found, "data_type", None) == "f"


def read_form(
    path: Path, workbook: Any, area_code: str, products: Mapping[str, FormProduct]
) -> tuple[ReadResponse | None, list[Problem]]:
    """The response a filled form gives for ``area_code``, or the problems found (all of them)."""
    name = str(path)
    problems: list[Problem] = []

    def problem(ref: str | None, expected: str, got: object = None) -> None:
        problems.append(Problem(name, ANSWERS, ref, expected, got))

    cells = _Cells(sheet_rows(workbook[ANSWERS], max_rows=FIRST_QUESTION_ROW + 500, max_columns=40))
    for _, label, row in FIELDS:
        if text_of(cells.value(row, 1)) != label:
            problem(f"A{row}", f"the label '{label}' (the form's layout was changed)", cells.value(row, 1))
    if problems:
        return None, problems
    for *_, row in FIELDS:
        if cells.is_formula(row, 2):
            problem(f"B{row}", "a value, not a formula", cells.value(row, 2))
    if problems:
        return None, problems

    def meta(key: str) -> Any:
        return cells.value(ROW[key], 2)

    form_area = text_of(meta("area"))
    if not GSS_CODE.fullmatch(form_area):
        problem(f"B{ROW['area']}", "the area's code, as the form was written", form_area)
    elif form_area != area_code:
        problem(f"B{ROW['area']}", f"a form for area {area_code} (this form is for another area)", form_area)
    product = products.get(text_of(meta("product")))
    if product is None:
        known = ", ".join(sorted(products))
        problem(f"B{ROW['product']}", f"a form of a product that asks individual views ({known})", meta("product"))
    layout = meta("layout")
    if not isinstance(layout, int) or isinstance(layout, bool) or layout < 1:
        problem(f"B{ROW['layout']}", "the form layout number, as the form was written", layout)
    elif layout > FORM_FORMAT:
        problem(
            f"B{ROW['layout']}",
            f"a form of layout {FORM_FORMAT} or older: this form comes from a newer "
            "version of jointwork (update jointwork to import it)",
            layout,
        )
    version = meta("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problem(f"B{ROW['version']}", "the form version number, as the form was written", version)
    elif product is not None and version > product.questionnaire.version:
        problem(
            f"B{ROW['version']}",
            f"a form of version {product.questionnaire.version} or older: this form "
            "comes from a newer version of the questionnaire (update jointwork to import it)",
            version,
        )
    form_id = text_of(meta("form_id"))
    if not FORM_ID.fullmatch(form_id):
        problem(f"B{ROW['form_id']}", "the form id, 32 characters 0-9 and a-f, as the form was written", form_id)
    round_id = text_of(meta("round"))
    if not round_id:
        problem(f"B{ROW['round']}", "the round's id, as the form was written")
    if problems or product is None:
        return None, problems

    sector_raw = meta("sector")
    sector = parse_sector(sector_raw)
    if sector is None:
        problem(f"B{ROW['sector']}", f"your sector, one of {sector_choices()}", sector_raw if sector_raw else None)
    person = name_of(meta("name"))
    if len(person) > MAX_NAME:
        problem(f"B{ROW['name']}", f"a name of at most {MAX_NAME} characters, or none to answer anonymously")
    elif ANONYMOUS_LABEL.fullmatch(" ".join(person.split())):
        problem(
            f"B{ROW['name']}",
            "a name, not an anonymous label such as 'Respondent 3' (leave it empty to answer anonymously)",
            person,
        )

    answers, cell_of = _read_rows(name, cells, product, problems)
    if not problems and not any(a.get("value") is not None or a.get("note") for a in answers.values()):
        problem(
            f"rows {FIRST_QUESTION_ROW} onwards",
            f"at least one answer ({allowed_answers(product.questionnaire)}): this form is empty",
        )
    if problems or sector is None:
        return None, in_cell_order(problems)
    return (
        ReadResponse(name, product, round_id, sector, answers, person or None, "form", f"form:{form_id}", where=name),
        [],
    )


def _read_rows(
    name: str, cells: _Cells, product: FormProduct, problems: list[Problem]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each question row's answer and note; problems are added for every cell that does not fit."""
    questionnaire = product.questionnaire
    headings = {text_of(cells.value(HEADER_ROW, c)): c for c in range(1, 41) if not blank(cells.value(HEADER_ROW, c))}
    wanted = [answer_title(questionnaire)] + ([note_title(questionnaire)] if questionnaire.notes else [])
    missing = [h for h in ["Ref", *wanted] if h not in headings]
    if missing:
        problems.append(
            Problem(
                name,
                ANSWERS,
                f"row {HEADER_ROW}",
                "the columns " + ", ".join(f"'{h}'" for h in missing) + " (the form's layout was changed)",
            )
        )
        return {}, {}
    ref_col, answer_col = headings["Ref"], headings[answer_title(questionnaire)]
    note_col = headings.get(note_title(questionnaire))
    known = {q.id for q in questionnaire.questions()}
    answers: dict[str, dict[str, Any]] = {}
    cell_of: dict[str, str] = {}
    unreadable_rows: set[str] = set()
    row = FIRST_QUESTION_ROW
    while not blank(cells.value(row, ref_col)) or not blank(cells.value(row, answer_col)):
        ref = text_of(cells.value(row, ref_col))
        answer_ref = f"{column_letter(answer_col)}{row}"
        count = len(problems)
        if ref not in known:
            problems.append(
                Problem(
                    name,
                    ANSWERS,
                    f"{column_letter(ref_col)}{row}",
                    f"a question of this form ({', '.join(sorted(known))})",
                    ref or None,
                )
            )
        elif ref in cell_of:
            problems.append(
                Problem(
                    name,
                    ANSWERS,
                    f"{column_letter(ref_col)}{row}",
                    "each question once (this one is also on an earlier row)",
                    ref,
                )
            )
        for column in (answer_col, note_col):
            if column is not None and cells.is_formula(row, column):
                problems.append(
                    Problem(
                        name,
                        ANSWERS,
                        f"{column_letter(column)}{row}",
                        "a value, not a formula",
                        cells.value(row, column),
                    )
                )
        value, unreadable = parse_answer(questionnaire, cells.value(row, answer_col))
        if unreadable and not cells.is_formula(row, answer_col):
            problems.append(
                Problem(
                    name,
                    ANSWERS,
                    answer_ref,
                    f"{unreadable}: {allowed_answers(questionnaire)}",
                    cells.value(row, answer_col),
                )
            )
        note = text_of(cells.value(row, note_col)) if note_col else ""
        if len(note) > MAX_NOTE:
            problems.append(
                Problem(
                    name,
                    ANSWERS,
                    f"{column_letter(note_col)}{row}",
                    f"a note of at most {MAX_NOTE} characters",
                    f"{len(note)} characters",
                )
            )
        if ref in known and ref not in cell_of:
            cell_of[ref] = answer_ref
            if len(problems) > count:
                unreadable_rows.add(ref)
            if value is not None or note:
                answers[ref] = {"value": value, **({"note": note} if note else {})}
        row += 1
    checked = {k: v for k, v in answers.items() if k not in unreadable_rows}
    for question_id, expected in questionnaire.problems(checked):
        problems.append(Problem(name, ANSWERS, cell_of.get(question_id), expected))
    return answers, cell_of
