"""Product 3's content: the principles, the factors under them, the rating scale, barriers and actions."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.content import Entry, ProductContent, load_content

SLUG = "successful_joint_working"
LEADS = ("LA", "health", "joint")


def content() -> ProductContent:
    """The validated content file of product 3."""
    return load_content(SLUG)


def factors() -> list[Entry]:
    """The factors, in the order the content lists them (grouped by principle)."""
    return content().group("factors")


def factor_titles() -> dict[str, str]:
    """Factor id -> title."""
    return {f.id: f.get("title") for f in factors()}


def scale_labels() -> dict[int, str]:
    """Point of the rating scale -> its label (``1`` -> ``"not in place"``...)."""
    return {int(s.get("score")): s.get("label") for s in content().group("scale")}


def content_checks() -> Iterator[str]:
    """Cross-references in the content that do not resolve: a factor's principle and barriers, an essential
    action's factors and lead, a factor without a descriptor for every point of the scale."""
    c = content()
    principles = {p.id for p in c.group("principles")}
    barriers = {b.id for b in c.group("barriers")}
    points = set(scale_labels())
    known = set(factor_titles())
    for factor in factors():
        if factor.get("principle") not in principles:
            yield f"factor {factor.id!r} names principle {factor.get('principle')!r}, which is not in 'principles'"
        descriptors = factor.get("descriptors") or {}
        if set(descriptors) != points or not all(str(descriptors[n]).strip() for n in descriptors):
            yield f"factor {factor.id!r} needs a descriptor for each point of the scale {sorted(points)}"
        for barrier in factor.get("barriers") or []:
            if barrier not in barriers:
                yield f"factor {factor.id!r} names barrier {barrier!r}, which is not in 'barriers'"
    for action in c.group("essential_actions"):
        for factor_id in action.get("factors", []):
            if factor_id not in known:
                yield f"essential action {action.id!r} names factor {factor_id!r}, which is not in 'factors'"
        if action.get("lead") not in LEADS:
            yield f"essential action {action.id!r} has lead {action.get('lead')!r}; expected one of {', '.join(LEADS)}"
