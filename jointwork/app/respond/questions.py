"""A questionnaire as phone screens: which questions each screen asks, and reading a posted screen.

A scale or choice questionnaire gets a screen per question group (product 3: one per principle); a
ranking gets one screen, since ranks are given across all its questions. Form fields are named
``value:<question id>`` and ``note:<question id>``. Nothing here knows about HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core.questionnaire import MAX_NOTE, Question, Questionnaire

VALUE_FIELD = "value:"
NOTE_FIELD = "note:"


@dataclass(frozen=True)
class Screen:
    """One screen of questions: its number (from 1), its heading and its questions."""

    number: int
    title: str
    questions: tuple[Question, ...]


def screens(questionnaire: Questionnaire) -> list[Screen]:
    """The screens of a questionnaire, in its order."""
    questions = list(questionnaire.questions())
    if questionnaire.kind == "ranking":
        return [Screen(1, "Your ranking", tuple(questions))]
    groups: dict[str, list[Question]] = {}
    for question in questions:
        groups.setdefault(question.group or questionnaire.title, []).append(question)
    return [Screen(i, title, tuple(items)) for i, (title, items) in enumerate(groups.items(), start=1)]


def read_screen(questionnaire: Questionnaire, screen: Screen, form: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The answers a posted screen gives, by question id (a question left blank has no entry).

    A value that is not a whole number where one is expected is kept as typed, so that the
    questionnaire's own check names it and the screen shows it again.
    """
    answers: dict[str, dict[str, Any]] = {}
    for question in screen.questions:
        raw = str(form.get(VALUE_FIELD + question.id, "")).strip()
        note = str(form.get(NOTE_FIELD + question.id, "")).strip() if questionnaire.notes else ""
        value: Any = None
        if raw:
            value = raw if questionnaire.kind == "choice" else _whole_number(raw)
        if value is None and not note:
            continue
        answer: dict[str, Any] = {"value": value}
        if note:
            answer["note"] = note
        answers[question.id] = answer
    return answers


def _whole_number(raw: str) -> int | str:
    try:
        return int(raw)
    except ValueError:
        return raw


def merged(
    existing: Mapping[str, Mapping[str, Any]], screen: Screen, new: Mapping[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """A respondent's answers with this screen's questions replaced by what was just posted."""
    on_screen = {q.id for q in screen.questions}
    kept = {k: dict(v) for k, v in existing.items() if k not in on_screen}
    return {**kept, **new}


def field_problems(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong, by question id, in words a respondent reads on their phone."""
    titles = {q.id: q.title for q in questionnaire.questions()}
    found: dict[str, str] = {}
    for question_id, expected in questionnaire.problems(answers):
        found.setdefault(question_id, f"{titles.get(question_id, question_id)}: expected {expected}.")
    return found


def typed_on_screen(screen: Screen, form: Mapping[str, str]) -> dict[str, str]:
    """Exactly what was posted for this screen's fields (shown again on a refused screen)."""
    names = [VALUE_FIELD + q.id for q in screen.questions] + [NOTE_FIELD + q.id for q in screen.questions]
    return {name: str(form.get(name, ""))[: MAX_NOTE + 1000] for name in names if name in form}


def typed_from_answers(screen: Screen, answers: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """A saved response's answers to this screen as form values."""
    typed: dict[str, str] = {}
    for question in screen.questions:
        answer = answers.get(question.id) or {}
        if answer.get("value") is not None:
            typed[VALUE_FIELD + question.id] = str(answer["value"])
        if answer.get("note"):
            typed[NOTE_FIELD + question.id] = str(answer["note"])
    return typed
