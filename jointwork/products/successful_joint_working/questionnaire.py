"""What each partner answers on their own in product 3: a score on the four-point scale for every
factor, with the evidence behind it."""

from __future__ import annotations

from ...core.questionnaire import Question, Questionnaire
from .content import content, factors, scale_labels


def questions() -> list[Question]:
    """One question per factor, grouped by principle, with what every point of the scale looks like."""
    principles = {p.id: p.get("title") for p in content().group("principles")}
    return [
        Question(
            f.id,
            f.get("title"),
            f.text,
            principles.get(f.get("principle"), ""),
            {int(k): str(v) for k, v in (f.get("descriptors") or {}).items()},
        )
        for f in factors()
    ]


QUESTIONNAIRE = Questionnaire(
    kind="scale",
    title="Successful joint working: how far each factor is in place today",
    questions=questions,
    points=lambda: sorted(scale_labels().items()),
    notes=True,
    note_label="Evidence",
)
