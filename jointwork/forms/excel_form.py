"""Writing a respondent form: an ``.xlsx`` a partner fills in on their own and sends back.

Sheets: "Instructions" (how to fill it in), "Your answers" (who the form is for, in locked cells,
then one row per question with what each point means, a drop-down for the answer and a column for
the note) and a hidden "Lists" sheet holding the drop-downs' choices. The answer sheet is protected:
only the sector, the name, the answers and the notes can be typed in. Protection guards against
slips, not against someone determined, so the import checks every cell again.

Every piece of text is written as text: a title or a round name that starts like a formula
(``=``, ``+``, ``-``, ``@``) stays text and is never calculated.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.errors import InputError
from ..core.plan import Sector
from ..core.questionnaire import MAX_NOTE
from ..core.responses import MAX_NAME, Round, new_response_id
from ..render.cells import formula_like
from .spec import FORM_FORMAT, FormProduct, FormSpec, allowed_answers, answer_title, note_title

ANSWERS = "Your answers"
INSTRUCTIONS = "Instructions"
LISTS = "Lists"

#: Rows of the answer sheet's heading block: (key, label in column A, row). Values are in column B.
FIELDS = (
    ("area", "Area", 4),
    ("product", "Product", 5),
    ("round", "Round", 6),
    ("version", "Form version", 7),
    ("layout", "Form layout", 8),
    ("form_id", "Form id", 9),
    ("sector", "Your sector", 11),
    ("name", "Your name (optional)", 12),
)
ROW = {key: row for key, _, row in FIELDS}
HEADER_ROW = 14
MAX_COPIES = 500
FIRST_QUESTION_ROW = HEADER_ROW + 1

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ANSWER_FILL = PatternFill("solid", fgColor="FFFFFF")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def put(sheet: Any, row: int, column: int, value: Any, **style: Any) -> Any:
    """Write a value; text is always stored as text, with Excel's quote prefix when it looks like a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if formula_like(value):
            cell.quotePrefix = True
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def question_columns(spec: FormSpec) -> list[tuple[str, str]]:
    """The answer sheet's columns, left to right: (key, heading)."""
    questionnaire = spec.product.questionnaire
    columns = [("ref", "Ref"), ("group", "Group"), ("title", "Question"), ("text", "What it means")]
    if questionnaire.kind == "scale" and any(q.descriptors for q in questionnaire.questions()):
        columns += [(f"point{p}", f"{p}: {label}") for p, label in questionnaire.points()]
    columns.append(("answer", answer_title(questionnaire)))
    if questionnaire.notes:
        columns.append(("note", note_title(questionnaire)))
    return columns


def write_form(spec: FormSpec, path: str | Path) -> Path:
    """Write the respondent form for ``spec`` to ``path`` (an ``.xlsx``); returns the path."""
    path = Path(path)
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS
    answers = workbook.create_sheet(ANSWERS)
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    _write_instructions(instructions, spec)
    _write_answers(answers, lists, spec)
    workbook.active = 1
    workbook.security = WorkbookProtection(lockStructure=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    workbook.save(tmp)
    tmp.replace(path)
    return path


def _write_instructions(sheet: Any, spec: FormSpec) -> None:
    questionnaire = spec.product.questionnaire
    what = {
        "scale": "give each factor the score that best matches how things are today, using what each point "
        "of the scale looks like as your guide",
        "ranking": "rank the objectives you think matter most here: 1 for the most important, 2 for the next, "
        "and so on; you do not have to rank them all, but no two may share a rank",
        "choice": "choose one answer for each question",
    }[questionnaire.kind]
    lines = [
        (questionnaire.title, TITLE),
        (f"{spec.area_name} ({spec.area_code}), round '{spec.round.name}'", BOLD),
        ("", None),
        (
            "This form is for you alone. Fill it in on your own, without comparing notes first: the group looks "
            "at where partners agree and differ once everyone has answered.",
            None,
        ),
        (f"On the sheet '{ANSWERS}', {what}.", None),
        (f"Each answer has a drop-down; the form accepts {allowed_answers(questionnaire)}.", None),
        (
            f"Use the column '{note_title(questionnaire)}' to say briefly what your answer rests on."
            if questionnaire.notes
            else "",
            None,
        ),
        (
            "Pick your sector from the drop-down: it lets the group see how views differ between sectors. "
            "Results by sector are only shown where at least three people from that sector answered.",
            None,
        ),
        (
            "Your name is optional. Leave it empty to answer anonymously: the form then holds nothing that says "
            "who you are, so do not add your name or role to your notes either.",
            None,
        ),
        (
            "Only the white cells can be changed. The grey cells say which area, round and form this is; the "
            "import checks them, so please leave them as they are.",
            None,
        ),
        ("Type your answers as plain values. A cell holding a formula is refused when the form is imported.", None),
        (
            "Save the file as it is (Excel Workbook, .xlsx) and send it back to the person who gave it to you. "
            "If you send a corrected copy of the same form later, it replaces your earlier answers.",
            None,
        ),
    ]
    sheet.column_dimensions["A"].width = 110
    for row, (text, font) in enumerate(lines, start=1):
        cell = put(sheet, row, 1, text, alignment=WRAP)
        if font is not None:
            cell.font = font
    sheet.protection.sheet = True


def _write_answers(sheet: Any, lists: Any, spec: FormSpec) -> None:
    questionnaire = spec.product.questionnaire
    questions = list(questionnaire.questions())
    put(sheet, 1, 1, questionnaire.title, font=TITLE)
    put(sheet, 2, 1, "Fill in the white cells: your sector, your name if you wish, then an answer for each row.")
    values = {
        "area": (spec.area_code, spec.area_name),
        "product": (spec.product.slug, f"Product {spec.product.number}: {spec.product.title}"),
        "round": (spec.round.id, spec.round.name),
        "version": (questionnaire.version, "questionnaire version"),
        "layout": (FORM_FORMAT, "layout of this form"),
        "form_id": (spec.form_id, "the id of this copy of the form"),
    }
    for key, label, row in FIELDS:
        put(sheet, row, 1, label, font=BOLD)
        if key in values:
            value, note = values[key]
            put(sheet, row, 2, value, fill=LOCKED_FILL)
            put(sheet, row, 3, note, fill=LOCKED_FILL)
    sector_cell = put(sheet, ROW["sector"], 2, None, fill=ANSWER_FILL, protection=UNLOCKED)
    put(sheet, ROW["sector"], 3, "pick one from the drop-down")
    name_cell = put(sheet, ROW["name"], 2, None, fill=ANSWER_FILL, protection=UNLOCKED)
    put(sheet, ROW["name"], 3, "leave empty to answer anonymously")

    for index, sector in enumerate(Sector, start=1):
        put(lists, index, 1, sector.label)
    sector_list = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(LISTS)}!$A$1:$A${len(Sector)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Sector",
        error="Pick your sector from the list.",
    )
    sector_list.add(sector_cell.coordinate)
    name_length = _at_most(MAX_NAME)
    name_length.add(name_cell.coordinate)

    columns = question_columns(spec)
    where = {key: index for index, (key, _) in enumerate(columns, start=1)}
    for index, (_, heading) in enumerate(columns, start=1):
        put(sheet, HEADER_ROW, index, heading, font=BOLD, alignment=WRAP)
    last = FIRST_QUESTION_ROW + len(questions) - 1
    answer_letter = get_column_letter(where["answer"])
    answer_range = f"{answer_letter}{FIRST_QUESTION_ROW}:{answer_letter}{last}"
    for offset, question in enumerate(questions):
        row = FIRST_QUESTION_ROW + offset
        texts = {"ref": question.id, "group": question.group, "title": question.title, "text": question.text}
        texts.update({f"point{p}": question.descriptors.get(p, "") for p, _ in questionnaire.points()})
        for key, column in where.items():
            if key in texts:
                put(sheet, row, column, texts[key], alignment=WRAP, fill=LOCKED_FILL)
        put(
            sheet,
            row,
            where["answer"],
            None,
            fill=ANSWER_FILL,
            protection=UNLOCKED,
            alignment=Alignment(horizontal="center", vertical="top"),
        )
        if "note" in where:
            put(sheet, row, where["note"], None, fill=ANSWER_FILL, protection=UNLOCKED, alignment=WRAP)

    sheet.add_data_validation(sector_list)
    sheet.add_data_validation(name_length)
    sheet.add_data_validation(_answer_validation(spec, lists, answer_range))
    if "note" in where:
        letter = get_column_letter(where["note"])
        notes = _at_most(MAX_NOTE)
        notes.add(f"{letter}{FIRST_QUESTION_ROW}:{letter}{last}")
        sheet.add_data_validation(notes)

    widths = {"ref": 12, "group": 24, "title": 32, "text": 48, "answer": 14, "note": 48}
    for key, column in where.items():
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(key, 34)
    sheet.freeze_panes = sheet.cell(row=FIRST_QUESTION_ROW, column=1)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _at_most(characters: int) -> DataValidation:
    """Excel's check that a typed text is at most ``characters`` long (blank allowed)."""
    return DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(characters),
        allow_blank=True,
        showErrorMessage=True,
        error=f"At most {characters} characters.",
    )


def _answer_validation(spec: FormSpec, lists: Any, answer_range: str) -> DataValidation:
    """The answer column's drop-down: the points of the scale, a rank from 1 to n, or the options."""
    questionnaire = spec.product.questionnaire
    common = {
        "allow_blank": True,
        "showErrorMessage": True,
        "errorTitle": "Answer",
        "error": f"Expected {allowed_answers(questionnaire)}.",
    }
    if questionnaire.kind == "ranking":
        validation = DataValidation(
            type="whole", operator="between", formula1="1", formula2=str(len(questionnaire.questions())), **common
        )
    else:
        choices = (
            [str(p) for p, _ in questionnaire.points()]
            if questionnaire.kind == "scale"
            else [label for label, _ in questionnaire.options]
        )
        for index, choice in enumerate(choices, start=1):
            put(lists, index, 2, int(choice) if choice.isdigit() else choice)
        validation = DataValidation(type="list", formula1=f"{quote_sheetname(LISTS)}!$B$1:$B${len(choices)}", **common)
    validation.add(answer_range)
    return validation


def write_forms(
    product: FormProduct, area_code: str, area_name: str, round_: Round, out: str | Path, count: int = 1
) -> list[Path]:
    """Write ``count`` copies of the form, each with its own form id, into ``out``; a file already
    there is never replaced (the numbering carries on after the highest one)."""
    if not 1 <= count <= MAX_COPIES:
        raise InputError("argument", "count", f"a number of forms from 1 to {MAX_COPIES}", got=count)
    out = Path(out)
    stem = f"{area_code}-{product.slug}-{round_.id}"
    taken = [int(m.group(1)) for p in out.glob(f"{stem}-*.xlsx") if (m := re.fullmatch(r".*-(\d+)\.xlsx", p.name))]
    start = max(taken, default=0) + 1
    written = []
    for number in range(start, start + count):
        spec = FormSpec(product, area_code, area_name, round_, new_response_id())
        written.append(write_form(spec, out / f"{stem}-{number:03d}.xlsx"))
    return written
