"""Product 3's calculations: scores by factor and sector, where the sectors disagree, the weakest factors."""

from __future__ import annotations

from statistics import mean
from typing import TYPE_CHECKING

from ...core.plan import Sector
from .content import factors
from .model import SelfAssessmentSection

if TYPE_CHECKING:
    import pandas as pd

MAX_SCORE = 4


def scores(section: SelfAssessmentSection) -> pd.DataFrame:
    """One row per factor: mean score overall and by sector, the number of ratings and their range."""
    import pandas as pd

    rows = []
    for factor in factors():
        by_sector: dict[Sector, list[int]] = {s: [] for s in Sector}
        for respondent in section.respondents:
            rating = respondent.ratings.get(factor.id)
            if rating is not None and rating.score is not None:
                by_sector[respondent.sector].append(rating.score)
        every = [s for values in by_sector.values() for s in values]
        rows.append(
            {
                "factor_id": factor.id,
                "factor": factor.get("title"),
                "principle": factor.get("principle"),
                "ratings": len(every),
                "mean": round(float(mean(every)), 2) if every else None,
                **{s.label: (round(float(mean(v)), 2) if v else None) for s, v in by_sector.items()},
                "range": (max(every) - min(every)) if every else None,
            }
        )
    return pd.DataFrame(rows)


def disagreement(section: SelfAssessmentSection) -> pd.DataFrame:
    """Factors rated by both local authority and health respondents, largest gap first."""
    la, health = Sector.LOCAL_AUTHORITY.label, Sector.HEALTH.label
    frame = scores(section)
    both = frame.dropna(subset=[la, health]).copy()
    both["gap"] = (both[la] - both[health]).abs().round(2)
    return both.sort_values(["gap", "factor"], ascending=[False, True]).reset_index(drop=True)


def weakest_factors(section: SelfAssessmentSection, count: int = 3) -> list[str]:
    """Ids of the rated factors with the lowest mean score (ties broken by content order)."""
    frame = scores(section).dropna(subset=["mean"])
    return list(frame.sort_values("mean", kind="stable")["factor_id"].head(count))


def sector_means(section: SelfAssessmentSection) -> dict[str, float | None]:
    """The mean over the factors of each sector's mean score, and of everyone's (key ``"all"``)."""
    frame = scores(section)

    def average(column: str) -> float | None:
        values = [float(v) for v in frame[column] if v is not None and v == v]
        return round(sum(values) / len(values), 2) if values else None

    return {**{s.label: average(s.label) for s in Sector}, "all": average("mean")}
