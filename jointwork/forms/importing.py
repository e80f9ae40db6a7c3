"""Importing filled forms and survey exports: check every file, then save, or save nothing.

All the files handed to one import are read and checked first (every cell, the area, product and
round each is for, the rounds being open, no form given twice). Only when no file has a problem are
the responses saved; otherwise :class:`ImportRefused` lists every problem and nothing stored changes.
Importing the same form (or survey row) again updates the response it gave the first time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.responses import Response, ResponseStore, Round, round_id_for
from .excel_form import ANSWERS, ROW
from .files import check_file, open_workbook
from .problems import ImportRefused, Problem
from .reading import ReadResponse, is_form, read_form
from .spec import FormProduct
from .survey import read_survey, table_from_csv, table_from_workbook


@dataclass
class ImportReport:
    """What an import saved: each response with whether it was new, and the rounds it opened."""

    saved: list[tuple[ReadResponse, Response, bool]] = field(default_factory=list)
    opened: list[Round] = field(default_factory=list)
    names_left_out: int = 0

    @property
    def added(self) -> int:
        return sum(1 for _, _, new in self.saved if new)

    @property
    def updated(self) -> int:
        return len(self.saved) - self.added

    def summary(self) -> str:
        """What was done, in a few lines."""
        lines = [f"Opened round '{r.name}' of {r.product}" for r in self.opened]
        rounds = sorted({f"product {read.product.number}, round {saved.round_id}" for read, saved, _ in self.saved})
        lines.append(
            f"Imported {len(self.saved)} response(s): {self.added} new, {self.updated} updated "
            f"({'; '.join(rounds) or 'none'})"
        )
        if self.names_left_out:
            lines.append(
                f"{self.names_left_out} name(s) given in the survey were not stored: the import treats a survey as "
                "anonymous unless told it is a named one (--named)"
            )
        return "\n".join(lines)


def read_files(
    store: ResponseStore,
    area_code: str,
    files: Iterable[str | os.PathLike[str]],
    products: Sequence[FormProduct],
    *,
    product: FormProduct | None = None,
    round_name: str | None = None,
    named: bool = False,
) -> tuple[list[ReadResponse], list[Problem]]:
    """Read and check every file; (the responses they give, every problem found)."""
    by_slug = {p.slug: p for p in products}
    read: list[ReadResponse] = []
    problems: list[Problem] = []
    survey_round = _survey_round(store, area_code, product, round_name)
    for file in files:
        path = Path(file)
        kind, found = check_file(path)
        problems += found
        if kind is None:
            continue
        if kind == "csv":
            table, found = table_from_csv(path)
            problems += found
            if table is not None:
                rows, found = read_survey(path, table, product, survey_round, named)
                read += rows
                problems += found
            continue
        workbook, found = open_workbook(path)
        problems += found
        if workbook is None:
            continue
        try:
            if is_form(workbook):
                response, found = read_form(path, workbook, area_code, by_slug)
                if response is not None:
                    found += _form_target_problems(store, area_code, response, product, round_name)
                    read.append(response)
            else:
                rows, found = read_survey(path, table_from_workbook(workbook), product, survey_round, named)
                read += rows
        except Exception as exc:  # a workbook openpyxl opens but cannot read through
            found = [Problem(str(path), None, None, f"a spreadsheet that can be read ({type(exc).__name__}: {exc})")]
        finally:
            workbook.close()
        problems += found
    problems += _round_problems(store, area_code, read)
    problems += _duplicate_problems(read)
    problems += _store_problems(store, read)
    return read, problems


def import_files(
    store: ResponseStore,
    area_code: str,
    files: Iterable[str | os.PathLike[str]],
    products: Sequence[FormProduct],
    *,
    product: FormProduct | None = None,
    round_name: str | None = None,
    named: bool = False,
) -> ImportReport:
    """Import filled forms and survey exports into an area's responses (see the module docstring)."""
    files = list(files)
    products = [settled(p) for p in products]
    product = next((p for p in products if p.slug == product.slug), settled(product)) if product else None
    if not files:
        raise ImportRefused([Problem("argument", None, None, "at least one file to import")])
    read, problems = read_files(store, area_code, files, products, product=product, round_name=round_name, named=named)
    if problems:
        raise ImportRefused(problems)
    report = ImportReport(names_left_out=sum(1 for r in read if r.extra.get("name_dropped")))
    if product is not None and round_name is not None and any(r.source == "survey" for r in read):
        if store.find_round(area_code, product.slug, round_name) is None:
            report.opened.append(store.open_round(area_code, product.slug, round_name))
    groups: dict[tuple[str, str], list[ReadResponse]] = {}
    for item in read:
        groups.setdefault((item.product.slug, item.round_id), []).append(item)
    for (slug, round_id), items in groups.items():
        questionnaire = items[0].product.questionnaire
        known = {r.id for r in store.responses(area_code, slug, round_id)}
        responses = [_response(item) for item in items]
        saved = store.save_many(area_code, questionnaire, responses, source=", ".join(sorted({i.file for i in items})))
        report.saved += [(item, s, s.id not in known) for item, s in zip(items, saved, strict=True)]
    return report


def settled(product: FormProduct) -> FormProduct:
    """The product with its questions read once, for the length of one import (the questionnaire reads
    them from the content each time it is asked, and an import asks for every cell)."""
    questions = tuple(product.questionnaire.questions())
    points = tuple(product.questionnaire.points())
    questionnaire = replace(product.questionnaire, questions=lambda: questions, points=lambda: points)
    return replace(product, questionnaire=questionnaire)


def _response(item: ReadResponse) -> Response:
    return Response(
        id="",
        round_id=item.round_id,
        product=item.product.slug,
        sector=item.sector,
        label="",
        answers=item.answers,
        name=item.name,
        source=item.source,
        source_key=item.source_key,
    )


def _survey_round(
    store: ResponseStore, area_code: str, product: FormProduct | None, round_name: str | None
) -> str | None:
    """The id of the round a survey goes into (it is opened at import if it does not exist yet)."""
    if product is None or round_name is None:
        return None
    found = store.find_round(area_code, product.slug, round_name)
    return found.id if found else round_id_for(round_name)


def _form_target_problems(
    store: ResponseStore, area_code: str, read: ReadResponse, product: FormProduct | None, round_name: str | None
) -> list[Problem]:
    """A form for another product or round than the import asked for, or for a round that is not there."""
    problems = []
    if product is not None and read.product.slug != product.slug:
        problems.append(
            Problem(
                read.file,
                ANSWERS,
                f"B{ROW['product']}",
                f"a form of {product.label} (this form is for {read.product.label})",
            )
        )
        return problems
    existing = {r.id: r for r in store.rounds(area_code, read.product.slug)}
    target = existing.get(read.round_id)
    if round_name is not None:
        wanted = store.find_round(area_code, read.product.slug, round_name)
        if wanted is None or wanted.id != read.round_id:
            problems.append(
                Problem(
                    read.file,
                    ANSWERS,
                    f"B{ROW['round']}",
                    f"a form of the round '{round_name}' (this form is for another round)",
                    read.round_id,
                )
            )
            return problems
    if target is None:
        names = ", ".join(f"'{r.name}'" for r in existing.values()) or "none yet"
        problems.append(
            Problem(
                read.file,
                ANSWERS,
                f"B{ROW['round']}",
                f"a round of {read.product.label} for {area_code} (its rounds: {names}); write "
                "forms with `jointwork forms`, which opens the round",
                read.round_id,
            )
        )
    return problems


def _round_problems(store: ResponseStore, area_code: str, read: Sequence[ReadResponse]) -> list[Problem]:
    """Responses for a round that is closed."""
    problems = []
    for item in read:
        found = {r.id: r for r in store.rounds(area_code, item.product.slug)}.get(item.round_id)
        if found is not None and not found.is_open:
            sheet, cell = (ANSWERS, f"B{ROW['round']}") if item.source == "form" else (None, None)
            problems.append(
                Problem(
                    item.file,
                    sheet,
                    cell,
                    f"an open round: '{found.name}' was closed on "
                    f"{(found.closed_at or '')[:10]}, so its responses can no longer change",
                )
            )
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in problems:
        if (p.file, p.expected) not in seen:
            seen.add((p.file, p.expected))
            unique.append(p)
    return unique


def _duplicate_problems(read: Sequence[ReadResponse]) -> list[Problem]:
    """The same form in two files of one import (each respondent needs their own copy)."""
    first: dict[tuple[str, str], ReadResponse] = {}
    problems = []
    for item in read:
        key = (item.round_id, item.source_key)
        if key in first and item.source == "form":
            problems.append(
                Problem(
                    item.file,
                    ANSWERS,
                    f"B{ROW['form_id']}",
                    f"a form id of its own: {first[key].file} is the same copy of the form "
                    "(give each respondent their own copy: `jointwork forms --count N`)",
                )
            )
        elif key in first:
            problems.append(
                Problem(item.file, None, None, f"each respondent once ({item.where} is also {first[key].where})")
            )
        else:
            first[key] = item
    return problems


def _store_problems(store: ResponseStore, read: Sequence[ReadResponse]) -> list[Problem]:
    """Anything the store itself would refuse (for example a name that is an anonymous label)."""
    problems = []
    for item in read:
        for text in store.problems(item.product.questionnaire, _response(item)):
            sheet, cell = (
                (ANSWERS, f"B{ROW['name']}") if item.source == "form" and text.startswith("the name") else (None, None)
            )
            problems.append(Problem(item.where or item.file, sheet, cell, text.replace(": expected ", ": ")))
    return problems
