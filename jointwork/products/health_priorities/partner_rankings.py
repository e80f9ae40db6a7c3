"""Product 2's partner rankings: each partner ranks the objectives on their own (a response in a round);
the group sees the combined ranking and how far the partners agree.

A partner may rank only some objectives, and their ranks are read as an order (1, 2, 5 is read as
1, 2, 3). An objective a partner did not rank counts as tied below every one they did: it takes the
mean of the places left (with 10 objectives and 3 ranked, the other 7 each count as 7). The combined
ranking orders objectives by their mean rank over the partners (the same order as a Borda count).
Agreement is Kendall's coefficient of concordance, W, corrected for those ties: 0 means the partners'
orders have nothing in common, 1 that they are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...core.responses import Response
from .content import current_objectives

if TYPE_CHECKING:
    import pandas as pd


def _ranks(response: Response) -> list[tuple[int, str]]:
    ids = {o.id for o in current_objectives()}
    return sorted(
        (value, q) for q in ids if isinstance(value := response.value(q), int) and not isinstance(value, bool)
    )


def rankers(responses: Sequence[Response]) -> list[Response]:
    """The responses that rank at least one objective."""
    return [r for r in responses if _ranks(r)]


def full_ranks(response: Response) -> dict[str, float]:
    """Every objective's place in one partner's order (1 = first), unranked objectives tied below the rest."""
    ids = [o.id for o in current_objectives()]
    order = [q for _, q in _ranks(response)]
    places: dict[str, float] = {q: float(i) for i, q in enumerate(order, start=1)}
    rest = [q for q in ids if q not in places]
    if rest:
        tied = (len(order) + 1 + len(ids)) / 2  # the mean of places len(order)+1 .. len(ids)
        places.update({q: tied for q in rest})
    return places


def combined_ranking(responses: Sequence[Response]) -> pd.DataFrame:
    """One row per objective, best first: its mean rank, how many partners ranked it, and ranked it first."""
    import pandas as pd

    who = rankers(responses)
    rows = []
    for objective in current_objectives():
        places = [full_ranks(r)[objective.id] for r in who]
        orders = [[q for _, q in _ranks(r)] for r in who]
        rows.append(
            {
                "objective_id": objective.id,
                "objective": objective.get("title"),
                "mean_rank": round(sum(places) / len(places), 2) if places else None,
                "ranked_by": sum(1 for o in orders if objective.id in o),
                "first_for": sum(1 for o in orders if o and o[0] == objective.id),
            }
        )
    frame = pd.DataFrame(rows)
    if who:
        frame = frame.sort_values(["mean_rank", "objective"], kind="stable").reset_index(drop=True)
    return frame


def kendalls_w(responses: Sequence[Response]) -> float | None:
    """Kendall's W over the partners who ranked (with the tie correction); None with fewer than two."""
    who = rankers(responses)
    ids = [o.id for o in current_objectives()]
    m, n = len(who), len(ids)
    if m < 2 or n < 2:
        return None
    table = [full_ranks(r) for r in who]
    sums = [sum(t[q] for t in table) for q in ids]
    centre = m * (n + 1) / 2
    s = sum((total - centre) ** 2 for total in sums)
    ties = 0.0
    for t in table:
        counts: dict[float, int] = {}
        for value in t.values():
            counts[value] = counts.get(value, 0) + 1
        ties += sum(c**3 - c for c in counts.values())
    denominator = m**2 * (n**3 - n) - m * ties
    return round(12 * s / denominator, 2) if denominator > 0 else None


def agreement_words(w: float | None) -> str:
    """Kendall's W in words (a rough reading, not a test)."""
    if w is None:
        return "Agreement can be measured once two or more partners have ranked."
    if w < 0.1:
        reading = "hardly any agreement: the partners' orders have little in common"
    elif w < 0.3:
        reading = "weak agreement"
    elif w < 0.5:
        reading = "moderate agreement"
    elif w < 0.7:
        reading = "fairly strong agreement"
    else:
        reading = "strong agreement: the partners put the objectives in much the same order"
    return f"Kendall's W is {w:.2f} (0 = no agreement, 1 = the same order): {reading}."
