"""What a product asks each partner on their own: its questionnaire, and how answers are checked.

A product that collects individual views declares a :class:`Questionnaire` in its registry entry.
Its questions come from the product's content; the kind says what an answer is:

- ``scale``: a point of the scale (``points``) for each question, with an optional note (product 3's
  ratings and evidence);
- ``ranking``: a rank 1, 2, 3... for the questions a partner chooses to rank, no two the same
  (product 2's health priorities);
- ``choice``: one of ``options`` for each question, with an optional note (product 6's "adopt,
  adapt or set aside" would be one).

Answers are stored as ``{question_id: {"value": ..., "note": "..."}}``; :meth:`Questionnaire.problems`
says in words what is wrong with a set of answers, naming the question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

MAX_NOTE = 5000


@dataclass(frozen=True)
class Question:
    """One question: its id (a content id), its title, what it asks and what each point means."""

    id: str
    title: str
    text: str = ""
    group: str = ""
    descriptors: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Questionnaire:
    """A product's questionnaire (see the module docstring). ``version`` is the form version: a
    filled form from a newer version than this one is refused."""

    kind: Literal["scale", "ranking", "choice"]
    title: str
    questions: Callable[[], Sequence[Question]]
    points: Callable[[], Sequence[tuple[int, str]]] = lambda: ()
    options: Sequence[tuple[str, str]] = ()
    notes: bool = True
    note_label: str = "Evidence"
    version: int = 1

    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions()]

    def problems(self, answers: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        """(question id or ``"(answers)"``, what was expected) for each thing wrong with ``answers``."""
        if not isinstance(answers, Mapping):
            yield "(answers)", "a mapping of question ids to answers"
            return
        known = {q.id: q for q in self.questions()}
        ranks: dict[int, str] = {}
        allowed_points = {p for p, _ in self.points()}
        allowed_options = {value for _, value in self.options}
        for question_id, answer in answers.items():
            if question_id not in known:
                yield str(question_id), "one of the questions of this form (" + ", ".join(known) + ")"
                continue
            if not isinstance(answer, Mapping) or set(answer) - {"value", "note"}:
                yield question_id, "an answer with a value and, optionally, a note"
                continue
            value, note = answer.get("value"), answer.get("note", "")
            if not isinstance(note, str) or len(note) > MAX_NOTE:
                yield question_id, f"a note of text, at most {MAX_NOTE} characters"
            elif note and not self.notes:
                yield question_id, "no note (this form has no notes)"
            if value is None:
                continue
            if self.kind == "scale":
                if isinstance(value, bool) or value not in allowed_points:
                    yield question_id, f"a score from {min(allowed_points)} to {max(allowed_points)}, got {value!r}"
            elif self.kind == "ranking":
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(known):
                    yield question_id, f"a rank from 1 to {len(known)}, got {value!r}"
                elif value in ranks:
                    yield (
                        question_id,
                        (f"a rank no other question has (rank {value} is also given to {known[ranks[value]].title!r})"),
                    )
                else:
                    ranks[value] = question_id
            elif value not in allowed_options:
                yield question_id, "one of " + ", ".join(repr(v) for v in sorted(allowed_options)) + f", got {value!r}"

    def answered(self, answers: Mapping[str, Any]) -> int:
        """How many questions have a value."""
        return sum(1 for a in answers.values() if isinstance(a, Mapping) and a.get("value") is not None)
