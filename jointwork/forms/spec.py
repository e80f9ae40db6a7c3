"""What a form is for: the product's questionnaire, the area and the round."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.questionnaire import Question, Questionnaire
from ..core.responses import Round

#: The layout of the forms this version writes. A form with a higher layout number is refused.
FORM_FORMAT = 1


@dataclass(frozen=True)
class FormProduct:
    """A product that asks individual views, as the forms need it (the CLI builds it from the registry)."""

    number: int
    slug: str
    title: str
    questionnaire: Questionnaire

    @property
    def label(self) -> str:
        return f"product {self.number} ({self.title})"


@dataclass(frozen=True)
class FormSpec:
    """One respondent form: which product, area and round it is for, and its own id."""

    product: FormProduct
    area_code: str
    area_name: str
    round: Round
    form_id: str


def answer_title(questionnaire: Questionnaire) -> str:
    """The heading of the answer column (and what the survey asks for each question)."""
    if questionnaire.kind == "scale":
        points = [p for p, _ in questionnaire.points()]
        return f"Your score ({min(points)} to {max(points)})"
    if questionnaire.kind == "ranking":
        return f"Your rank (1 = most important, up to {len(questionnaire.questions())})"
    return "Your answer"


def note_title(questionnaire: Questionnaire) -> str:
    """The heading of the note column."""
    return f"Your {questionnaire.note_label.casefold()} (optional)"


def survey_note_title(questionnaire: Questionnaire, question: Question) -> str:
    """The survey question that carries a question's note: "Evidence: <title>"."""
    return f"{questionnaire.note_label}: {question.title}"


def allowed_answers(questionnaire: Questionnaire) -> str:
    """What an answer may be, in words."""
    if questionnaire.kind == "scale":
        return "a score " + ", ".join(f"{p} ({label})" for p, label in questionnaire.points())
    if questionnaire.kind == "ranking":
        return f"a whole number from 1 to {len(questionnaire.questions())}, each used once"
    return "one of " + ", ".join(f"'{label}'" for label, _ in questionnaire.options)
