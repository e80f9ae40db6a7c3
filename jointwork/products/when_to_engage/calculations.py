"""Product 5's calculations: which activities are planned, what is wrong with their RACI, counts by stage."""

from __future__ import annotations

from typing import Any

from ...core.plan import Rag
from .content import activities, stages
from .model import ActivityPlan, StagePlanSection

RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN)
NO_STATUS = "no status"
NO_LETTER = "-"


def planned(section: StagePlanSection) -> dict[str, ActivityPlan]:
    """The section's entries by activity id, in content order (unknown ids left out)."""
    by_id = {item.activity: item for item in section.activities}
    return {a.id: by_id[a.id] for a in activities() if a.id in by_id}


def raci_problems(item: ActivityPlan) -> list[str]:
    """What is wrong with an activity's RACI: no single accountable person, or no one responsible."""
    letters = list(item.raci.values())
    problems = []
    if letters.count("A") == 0:
        problems.append("no one accountable (A)")
    elif letters.count("A") > 1:
        problems.append(f"{letters.count('A')} people accountable (A): choose one")
    if "R" not in letters:
        problems.append("no one responsible (R)")
    return problems


def stage_counts(section: StagePlanSection) -> list[dict[str, Any]]:
    """Per stage: activities in the content, activities planned, joint ones planned and RAG counts."""
    entries = planned(section)
    rows = []
    for stage in stages():
        items = [(a, entries[a.id]) for a in activities(stage.id) if a.id in entries]
        rags = [item.rag for _a, item in items]
        rows.append(
            {
                "stage_id": stage.id,
                "stage": f"{stage.get('number')}. {stage.get('title')}",
                "activities": len(activities(stage.id)),
                "planned": len(items),
                "joint": sum(1 for a, _item in items if a.get("joint")),
                **{rag.value: rags.count(rag) for rag in RAG_ORDER},
                NO_STATUS: rags.count(None),
            }
        )
    return rows
