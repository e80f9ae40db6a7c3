"""What each partner answers on their own in product 2: their ranking of the health objectives
(1 = the most important here), with a reason for any of them."""

from __future__ import annotations

from ...core.questionnaire import Question, Questionnaire
from .content import KIND_HEADING, current_objectives


def questions() -> list[Question]:
    """One question per objective the matrix shows (the 2021 high impact areas and the outcome indicators)."""
    return [Question(o.id, o.get("title"), o.text, KIND_HEADING.get(o.get("kind"), "")) for o in current_objectives()]


QUESTIONNAIRE = Questionnaire(
    kind="ranking",
    title="Health priorities: your ranking of the objectives for this area",
    questions=questions,
    notes=True,
    note_label="Why",
)
