"""A printable pre-read for one area, product and round: its questions, its rating scale and the
area's key figures on a few A4 pages, for partners who read before the workshop or answer on paper
(the facilitator then types their answers in through the workbook).

It is built from what a product declares in the registry: its questionnaire
(:class:`~jointwork.core.questionnaire.Questionnaire`: the questions, the scale's points or the
options, whether there is a note) and its pre-read parts (views of the area's plan, e.g. product 2's
figures). This module knows no product. The page is self-contained HTML: inline styles laid out for
A4 (``@page``), no script, nothing fetched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.licence import ATTRIBUTION
from .display import esc
from .pack import clean_fragment, offline_problems_in

if TYPE_CHECKING:
    from ..core.areas import Area
    from ..core.plan import PlanBase
    from ..core.product import Product, ReportPart
    from ..core.questionnaire import Question, Questionnaire

STYLESHEET = Path(__file__).resolve().parent / "static" / "preread.css"
NOTE_LINES = 3  # ruled lines for a note on paper


@dataclass(frozen=True)
class RoundInfo:
    """The round the pre-read is for: its name and, if known, when it opened."""

    name: str
    opened: str = ""


def _answer_boxes(questionnaire: Questionnaire, question: Question, number: int) -> str:
    """Where a partner marks their answer on paper."""
    if questionnaire.kind == "scale":
        boxes = "".join(
            f'<span class="box">&#9744; {esc(point)} {esc(label)}</span>' for point, label in questionnaire.points()
        )
        answer = f'<p class="answer"><span class="label">Your rating:</span> {boxes}</p>'
    elif questionnaire.kind == "ranking":
        answer = '<p class="answer"><span class="label">Your rank:</span> <span class="blank">&nbsp;</span></p>'
    else:
        boxes = "".join(f'<span class="box">&#9744; {esc(label)}</span>' for label, _value in questionnaire.options)
        answer = f'<p class="answer"><span class="label">Your choice:</span> {boxes}</p>'
    if questionnaire.notes:
        lines = '<span class="line"></span>' * NOTE_LINES
        answer += f'<div class="note"><span class="label">{esc(questionnaire.note_label)}:</span>{lines}</div>'
    return answer


def _question(questionnaire: Questionnaire, question: Question, number: int) -> str:
    parts = [f'<section class="question"><h3>{number}. {esc(question.title)}</h3>']
    if question.text:
        parts.append(f"<p>{esc(question.text)}</p>")
    if question.descriptors:  # side by side, one column per point, to keep the pages few
        labels = dict(questionnaire.points())
        points = sorted(question.descriptors.items())
        heads = "".join(f'<th scope="col">{esc(p)} {esc(labels.get(p, ""))}</th>' for p, _text in points)
        cells = "".join(f"<td>{esc(text)}</td>" for _p, text in points)
        parts.append(
            '<table class="descriptors"><caption>What each point looks like</caption>'
            f"<tr>{heads}</tr><tr>{cells}</tr></table>"
        )
    parts.append(_answer_boxes(questionnaire, question, number))
    parts.append("</section>")
    return "".join(parts)


def _how_to_answer(questionnaire: Questionnaire, count: int) -> str:
    if questionnaire.kind == "scale":
        points = questionnaire.points()
        rows = "".join(f'<tr><th scope="row">{esc(p)}</th><td>{esc(label)}</td></tr>' for p, label in points)
        return (
            "<h2>How to answer</h2><p>For each question, tick the point of the scale that describes how things "
            "are in your area today"
            + (f", and note the {esc(questionnaire.note_label.lower())} behind it" if questionnaire.notes else "")
            + f'.</p><table class="scale"><caption>The rating scale</caption>{rows}</table>'
        )
    if questionnaire.kind == "ranking":
        return (
            "<h2>How to answer</h2><p>Write a rank beside the objectives that matter most in your area: 1 for the "
            f"most important, then 2, 3 and so on, up to {count}; no two the same. Leave the others blank"
            + (
                f", and add a note on {esc(questionnaire.note_label.lower())} where it helps"
                if questionnaire.notes
                else ""
            )
            + ".</p>"
        )
    options = ", ".join(esc(label) for label, _value in questionnaire.options)
    return f"<h2>How to answer</h2><p>For each question, tick one of: {options}.</p>"


def preread_html(
    product: Product,
    area: Area,
    plan: PlanBase,
    round_info: RoundInfo | None = None,
    *,
    figures: Sequence[ReportPart] = (),
    today: date | None = None,
) -> str:
    """The pre-read page for ``product`` in ``area`` (and ``round_info``), as self-contained HTML.

    ``figures`` are the views of the area's plan to print as its key figures (by default the
    product's own ``preread`` parts). A product without a questionnaire has nothing to answer on
    paper: that is an error naming it.
    """
    questionnaire = product.questionnaire
    if questionnaire is None:
        raise ValueError(f"{product.short_title} asks no individual answers, so it has no pre-read")
    questions = list(questionnaire.questions())
    parts_to_show = list(figures or getattr(product, "preread", ()))
    when = (today or date.today()).isoformat()
    round_line = (
        f"<p><strong>Round:</strong> {esc(round_info.name)}"
        + (f" (opened {esc(round_info.opened)})" if round_info.opened else "")
        + "</p>"
        if round_info
        else '<p><span class="label">Round:</span> <span class="blank wide">&nbsp;</span></p>'
    )
    head = (
        f'<header><p class="kicker">Pre-read for {esc(area.name)} ({esc(area.code)})</p>'
        f"<h1>{esc(questionnaire.title)}</h1>{round_line}"
        "<p>Please read this before the workshop. If you answer on paper, fill it in and hand it to the "
        "facilitator, who types your answers into the workbook; nothing else is needed.</p>"
        '<p class="who"><span class="label">Your name (optional):</span> <span class="blank wide">&nbsp;</span> '
        '<span class="label">Your sector:</span> <span class="box">&#9744; Local authority</span>'
        '<span class="box">&#9744; Health</span><span class="box">&#9744; Other</span></p></header>'
    )
    figures_html = [f"<h2>The area</h2><p>{esc(area.describe())}</p>"]
    for part in parts_to_show:
        shown: Any = part.show(plan)
        figures_html += ["\n", f"<h3>{esc(part.title)}</h3>", clean_fragment(getattr(shown, "markup", str(shown)))]
    body_questions = []
    group = None
    for number, question in enumerate(questions, start=1):
        if question.group and question.group != group:
            group = question.group
            body_questions.append(f'<h2 class="group">{esc(group)}</h2>')
        body_questions.append(_question(questionnaire, question, number))
    title = f"Pre-read: {questionnaire.title} - {area.name}"
    pieces = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{STYLESHEET.read_text(encoding='utf-8')}</style>\n</head>\n<body>\n"
        f"{head}\n<main>\n",
        *figures_html,  # checked piece by piece: the figures were checked as they were cleaned
        "\n"
        + _how_to_answer(questionnaire, len(questions))
        + f"\n<h2>The questions ({len(questions)})</h2>\n"
        + "\n".join(body_questions)
        + f"\n</main>\n<footer><p>{esc(product.short_title)}, printed {esc(when)}. {esc(ATTRIBUTION)}</p></footer>\n"
        "</body>\n</html>\n",
    )
    markup = "".join(pieces)
    problems = offline_problems_in(pieces)
    if problems:
        raise ValueError(f"the pre-read '{title}' would not read offline: " + "; ".join(problems[:5]))
    return markup
