"""Answers from outside the workbook, by area and product number: Excel forms and survey exports.

The Python API behind ``jointwork forms`` and ``jointwork responses import``: it looks the product
up in the registry and hands its questionnaire to :mod:`jointwork.forms`, which never imports the
products itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .core.areas import find_area
from .core.errors import InputError
from .core.responses import ResponseError, ResponseStore, Round
from .forms import FormProduct
from .forms.excel_form import write_forms
from .forms.importing import ImportReport, import_files
from .forms.survey import survey_questions_csv, survey_questions_text
from .products import PRODUCTS, get_product

Workspace = str | os.PathLike[str] | None


@dataclass(frozen=True)
class WrittenForms:
    """What :func:`write_respondent_forms` did: the round (and whether it opened it) and the files."""

    round: Round
    opened: bool
    paths: list[Path]


def form_products() -> list[FormProduct]:
    """Every product that asks each partner's own view, as the forms take them."""
    return [FormProduct(p.number, p.slug, p.title, p.questionnaire) for p in PRODUCTS if p.questionnaire is not None]


def form_product(key: int | str) -> FormProduct:
    """A product that asks individual views, by number or slug."""
    product = get_product(key)
    if product.questionnaire is None:
        asking = ", ".join(str(p.number) for p in form_products())
        raise InputError("argument", "product", f"a product that asks each partner's own view ({asking})", got=key)
    return FormProduct(product.number, product.slug, product.title, product.questionnaire)


def write_respondent_forms(
    area: str,
    product: int | str,
    round_name: str,
    out: str | os.PathLike[str],
    count: int = 1,
    workspace: Workspace = None,
) -> WrittenForms:
    """Write ``count`` respondent forms for a round (opened first if the area has no round of that name)."""
    found_area, asking = find_area(area), form_product(product)
    if not str(round_name or "").strip():
        raise InputError("argument", "--round", "the name of the round the forms are for, e.g. 'Baseline, March 2027'")
    store = ResponseStore(workspace)
    target = store.find_round(found_area.code, asking.slug, round_name)
    opened = target is None
    if target is None:
        target = store.open_round(found_area.code, asking.slug, round_name)
    elif not target.is_open:
        raise ResponseError(
            f"responses of {found_area.code}",
            "round",
            "an open round: this one is closed, so no form can be added to it",
            got=target.name,
        )
    paths = write_forms(asking, found_area.code, found_area.name, target, Path(out), count)
    return WrittenForms(target, opened, paths)


def write_survey_questions(product: int | str, out: str | os.PathLike[str]) -> list[Path]:
    """Write the product's survey question list, as text and as CSV, into ``out``."""
    asking = form_product(product)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in (("txt", survey_questions_text(asking)), ("csv", survey_questions_csv(asking))):
        path = folder / f"{asking.slug}-survey-questions.{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def import_responses(
    area: str,
    files: Iterable[str | os.PathLike[str]],
    product: int | str | None = None,
    round_name: str | None = None,
    named: bool = False,
    workspace: Workspace = None,
) -> ImportReport:
    """Import filled forms and survey exports into an area's rounds: every file is checked first, and
    nothing is saved if any has a problem (:class:`jointwork.forms.ImportRefused` lists them all)."""
    return import_files(
        ResponseStore(workspace),
        find_area(area).code,
        files,
        form_products(),
        product=form_product(product) if product is not None else None,
        round_name=round_name,
        named=named,
    )
