"""Product 3's calculations from a round's responses: scores by factor and sector, how far partners
agree, the change since an earlier round, where the sectors disagree, the weakest factors.

Every function takes the responses of one round (:class:`~jointwork.core.responses.Response`). A
sector's breakdown is left out (:func:`hidden_sectors`) when fewer than :data:`MIN_GROUP` people from
it answered and any of them answered anonymously: with so few, an anonymous answer could be picked out.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import mean, pstdev
from typing import TYPE_CHECKING

from ...core.plan import Sector
from ...core.responses import Response
from .content import factors

if TYPE_CHECKING:
    import pandas as pd

MAX_SCORE = 4
MIN_GROUP = 3


def _score(response: Response, factor_id: str) -> int | None:
    value = response.value(factor_id)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mean(values: Sequence[int]) -> float | None:
    return round(float(mean(values)), 2) if values else None


def answered(responses: Sequence[Response]) -> list[Response]:
    """The responses that rate at least one factor."""
    ids = [f.id for f in factors()]
    return [r for r in responses if any(_score(r, f) is not None for f in ids)]


def sector_counts(responses: Sequence[Response]) -> dict[Sector, int]:
    """How many people from each sector rated at least one factor."""
    rated = answered(responses)
    return {s: sum(1 for r in rated if r.sector == s) for s in Sector}


def hidden_sectors(responses: Sequence[Response]) -> list[Sector]:
    """Sectors whose breakdown is not shown: fewer than MIN_GROUP answered, one or more anonymously."""
    rated = answered(responses)
    return [
        s
        for s in Sector
        if 0 < sum(1 for r in rated if r.sector == s) < MIN_GROUP and any(r.anonymous for r in rated if r.sector == s)
    ]


def hidden_notice_text(responses: Sequence[Response]) -> str:
    """What is hidden and why, in words ("" when nothing is)."""
    hidden = hidden_sectors(responses)
    if not hidden:
        return ""
    names = " and ".join(s.value for s in hidden)
    return (
        f"The {names} breakdown is not shown: fewer than {MIN_GROUP} people from "
        f"{'that sector' if len(hidden) == 1 else 'each of those sectors'} answered and some answered "
        "anonymously, so an answer could be traced to one person. Their ratings still count in the overall figures."
    )


def scores(responses: Sequence[Response]) -> pd.DataFrame:
    """One row per factor: mean score overall and by sector (None for a hidden sector), the number of
    ratings, their range and standard deviation (the spread: how far partners agree)."""
    import pandas as pd

    hidden = set(hidden_sectors(responses))
    rows = []
    for factor in factors():
        by_sector: dict[Sector, list[int]] = {s: [] for s in Sector}
        for response in responses:
            score = _score(response, factor.id)
            if score is not None:
                by_sector[response.sector].append(score)
        every = [s for values in by_sector.values() for s in values]
        rows.append(
            {
                "factor_id": factor.id,
                "factor": factor.get("title"),
                "principle": factor.get("principle"),
                "ratings": len(every),
                "mean": round(float(mean(every)), 2) if every else None,
                **{s.label: _mean(v) if s not in hidden else None for s, v in by_sector.items()},
                "range": (max(every) - min(every)) if every else None,
                "spread": round(float(pstdev(every)), 2) if len(every) > 1 else None,
            }
        )
    return pd.DataFrame(rows)


def agreement_words(score_range: int | None, ratings: int) -> str:
    """How far partners agree on a factor, in words, from the range of their scores."""
    if ratings < 2 or score_range is None:
        return "too few ratings to tell"
    if score_range == 0:
        return "everyone gave the same score"
    if score_range == 1:
        return "close: scores one point apart at most"
    if score_range == 2:
        return "mixed: scores two points apart"
    return "wide apart: scores from one end of the scale to the other"


def change(now: Sequence[Response], before: Sequence[Response]) -> pd.DataFrame:
    """One row per factor: the mean now and in the earlier round, overall and by sector, and the change
    (None where either round has no rating, or the sector is hidden in either round)."""
    current, earlier = scores(now), scores(before)
    frame = current[["factor_id", "factor", "principle"]].copy()
    for column in ["mean", *(s.label for s in Sector)]:
        frame[f"{column} now"] = current[column]
        frame[f"{column} before"] = earlier[column]
        difference = current[column].astype("float") - earlier[column].astype("float")
        frame[f"{column} change"] = difference.round(2).astype("object").where(difference.notna(), None)
    return frame


def disagreement(responses: Sequence[Response]) -> pd.DataFrame:
    """Factors rated by both local authority and health respondents, largest gap first."""
    la, health = Sector.LOCAL_AUTHORITY.label, Sector.HEALTH.label
    frame = scores(responses)
    both = frame.dropna(subset=[la, health]).copy()
    both["gap"] = (both[la].astype(float) - both[health].astype(float)).abs().round(2)
    return both.sort_values(["gap", "factor"], ascending=[False, True]).reset_index(drop=True)


def weakest_factors(responses: Sequence[Response], count: int = 3) -> list[str]:
    """Ids of the rated factors with the lowest mean score (ties broken by content order)."""
    frame = scores(responses).dropna(subset=["mean"])
    return list(frame.sort_values("mean", kind="stable")["factor_id"].head(count))


def sector_means(responses: Sequence[Response]) -> dict[str, float | None]:
    """The mean over the factors of each sector's mean score, and of everyone's (key ``"all"``); a
    hidden sector's is None."""
    frame = scores(responses)

    def average(column: str) -> float | None:
        values = [float(v) for v in frame[column] if v is not None and v == v]
        return round(sum(values) / len(values), 2) if values else None

    return {**{s.label: average(s.label) for s in Sector}, "all": average("mean")}


def principle_means(responses: Sequence[Response]) -> list[tuple[str, str, float | None]]:
    """(principle id, title, mean of its factors' mean scores) for each principle, in content order."""
    from .content import content

    frame = scores(responses)
    found = []
    for principle in content().group("principles"):
        values = [float(v) for v in frame[frame["principle"] == principle.id]["mean"] if v is not None and v == v]
        found.append((principle.id, principle.get("title"), round(sum(values) / len(values), 2) if values else None))
    return found
