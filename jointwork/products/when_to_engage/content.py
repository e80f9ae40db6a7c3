"""Product 5's content: the four stages, the activities of each stage and the roles of the RACI table."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.content import Entry, ProductContent, load_content
from ...core.plan import Sector

SLUG = "when_to_engage"


def content() -> ProductContent:
    """The validated content file of product 5."""
    return load_content(SLUG)


def stages() -> list[Entry]:
    """The four stages, by number."""
    return sorted(content().group("stages"), key=lambda s: s.get("number"))


def activities(stage_id: str | None = None) -> list[Entry]:
    """The activities of one stage (or of every stage), in content order."""
    return [a for a in content().group("activities") if stage_id is None or a.get("stage") == stage_id]


def raci_roles() -> list[Entry]:
    """The roles that are the columns of the who-does-what (RACI) table, in content order."""
    return content().group("raci_roles")


def activity_titles() -> dict[str, str]:
    """Activity id -> title, in content order."""
    return {a.id: a.get("title") for a in activities()}


def stage_of(activity_id: str) -> Entry:
    """The stage an activity belongs to."""
    stage_id = content().entry(activity_id).get("stage")
    return next(s for s in stages() if s.id == stage_id)


def role_label(role: Entry) -> str:
    """A role's title without its bracketed alternative, short enough for a column heading."""
    return role.get("title").split(" (")[0]


def content_checks() -> Iterator[str]:
    """What in the content does not fit together: stages not numbered 1, 2, 3... or without a family hub
    counterpart, activities naming a stage that does not exist or not saying whether they need joint work
    and with which health partners, stages with no activity, and RACI roles with a sector that is not one
    of the sectors or with the same column heading as another role."""
    numbers = [s.get("number") for s in stages()]
    if numbers != list(range(1, len(numbers) + 1)):
        yield f"the stages must be numbered 1 to {len(numbers)} once each, got {numbers}"
    stage_ids = {s.id for s in stages()}
    for stage in stages():
        if not str(stage.get("now") or "").strip():
            yield f"stage {stage.id!r} needs 'now': what it corresponds to for a family hub today"
        if not activities(stage.id):
            yield f"stage {stage.id!r} has no activities"
    for activity in activities():
        if activity.get("stage") not in stage_ids:
            yield f"activity {activity.id!r} names stage {activity.get('stage')!r}, which is not in 'stages'"
        if not isinstance(activity.get("joint"), bool):
            yield f"activity {activity.id!r} needs 'joint: true' or 'joint: false'"
        if not activity.get("health_partners"):
            yield f"activity {activity.id!r} needs 'health_partners': the health partners to involve"
    sectors = [s.value for s in Sector]
    headings: dict[str, str] = {}
    for role in raci_roles():
        if role.get("sector") not in (None, *sectors):
            yield f"RACI role {role.id!r} has sector {role.get('sector')!r}; expected one of {', '.join(sectors)}"
        heading = role_label(role)
        if heading in headings:
            yield (
                f"RACI roles {headings[heading]!r} and {role.id!r} have the same column heading {heading!r}: "
                "change one title"
            )
        headings.setdefault(heading, role.id)
