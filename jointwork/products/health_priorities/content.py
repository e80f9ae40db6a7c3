"""Product 2's content: the health objectives, the centre or hub offer, where they meet, and measures.

The Every Child Matters outcomes that the links serve are product 1's content (``introduction``),
read here as content: this product never imports product 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ...core.content import Entry, ProductContent, load_content

SLUG = "health_priorities"
ECM_SLUG = "introduction"  # the content file that holds the Every Child Matters outcomes
CURRENT_ERAS = ("2021", "now")  # the objectives that form the matrix's rows
OFFER_ERAS = ("then", "now")
ERA_HEADING = {
    "then": "Then: children's centre core offer (2006-08)",
    "now": "Now: family hub and Start for Life services",
}
KIND_HEADING = {
    "high impact area": "Healthy Child Programme high impact areas (2021)",
    "outcome indicator": "Outcome indicators published for every council area",
}
STRENGTH_WORD = {"strong": "Strong", "some": "Some"}


def content() -> ProductContent:
    """The validated content file of product 2."""
    return load_content(SLUG)


def objectives() -> list[Entry]:
    """Every health objective in the content: the 2021 and 2014 high impact areas, the 2026 framework and
    the outcome indicators."""
    return content().group("health_objectives")


def current_objectives() -> list[Entry]:
    """The objectives the matrix shows and the team chooses from: the 2021 areas and the outcome indicators."""
    return [o for o in objectives() if o.get("era") in CURRENT_ERAS]


def objective_titles() -> dict[str, str]:
    """Objective id -> title, for every objective (current or not)."""
    return {o.id: o.get("title") for o in objectives()}


def offers(era: str | None = None) -> list[Entry]:
    """The centre offer strands: ``then`` (the 2006-08 core offer), ``now`` (family hub services) or both."""
    return [o for o in content().group("centre_offer") if era is None or o.get("era") == era]


def offer_titles() -> dict[str, str]:
    """Offer strand id -> title."""
    return {o.id: o.get("title") for o in offers()}


def alignments() -> list[Entry]:
    """Where an objective meets an offer strand: how strongly, and the Every Child Matters outcomes served."""
    return content().group("alignment")


def measures() -> list[Entry]:
    """The measures of progress the content suggests (published indicators or local counts)."""
    return content().group("measures")


def ecm_titles() -> dict[str, str]:
    """Every Child Matters outcome id -> title, from the introduction's content (product 1)."""
    return {e.id: e.get("title") for e in load_content(ECM_SLUG).group("ecm_outcomes")}


def kind_label(objective: Entry) -> str:
    """An objective's kind as a table shows it: "High impact area", with its era unless it is current."""
    kind = str(objective.get("kind"))
    era = objective.get("era")
    label = kind[0].upper() + kind[1:]
    return f"{label} ({era})" if era not in (None, "now") else label


#: The content the alignment index below was made from, and that index (see :func:`_alignment_index`).
_INDEX_READ: list[tuple[ProductContent, dict[tuple[str, str], Entry]]] = []


def _alignment_index() -> dict[tuple[str, str], Entry]:
    """(objective id, offer strand id) -> the first alignment entry for them; made again only when the
    content file changes (the matrix asks for every objective and strand)."""
    current = content()
    read = _INDEX_READ[0] if _INDEX_READ else None
    if read is None or read[0] is not current:
        index: dict[tuple[str, str], Entry] = {}
        for entry in current.group("alignment"):
            key = (entry.get("objective"), entry.get("offer"))
            if all(isinstance(part, str) for part in key):  # ids are text: nothing else is ever asked for
                index.setdefault(key, entry)
        read = (current, index)
        _INDEX_READ[:] = [read]
    return read[1]


def cell(objective_id: str, offer_id: str) -> Entry | None:
    """The alignment entry where an objective meets an offer strand, or ``None``."""
    return _alignment_index().get((objective_id, offer_id))


def objectives_for_indicator(key: str) -> list[Entry]:
    """The current objectives that an indicator of the area's figures informs."""
    return [o for o in current_objectives() if key in (o.get("indicator_keys") or [])]


def content_checks() -> Iterator[str]:
    """Cross-references in the content that do not resolve: what an alignment names (objective, offer
    strand, strength, Every Child Matters outcomes), a cell filled twice, the successor of a 2014 high
    impact area, indicator keys, the objectives a measure names, and kinds and eras the views group by."""
    from ...core.indicators import catalogue

    titles = objective_titles()
    current = {o.id for o in current_objectives()}
    offered = {o.id for o in offers()}
    ecm = ecm_titles()
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in alignments():
        objective, offer = a.get("objective"), a.get("offer")
        if objective not in current:
            yield (
                f"alignment {a.id!r} names objective {objective!r}, which is not a 2021 high impact area or "
                "an outcome indicator in 'health_objectives'"
            )
        if offer not in offered:
            yield f"alignment {a.id!r} names offer strand {offer!r}, which is not in 'centre_offer'"
        if a.get("strength") not in STRENGTH_WORD:
            yield (
                f"alignment {a.id!r} has strength {a.get('strength')!r}; expected "
                + " or ".join(repr(s) for s in STRENGTH_WORD)
            )
        if not a.get("ecm"):
            yield f"alignment {a.id!r} names no Every Child Matters outcome"
        for outcome in a.get("ecm") or []:
            if outcome not in ecm:
                yield (
                    f"alignment {a.id!r} names Every Child Matters outcome {outcome!r}, which is not in "
                    f"the {ECM_SLUG} content's 'ecm_outcomes'"
                )
        cells[(objective, offer)].append(a.id)
    for (objective, offer), ids in cells.items():
        if len(ids) > 1:
            yield f"objective {objective!r} meets offer strand {offer!r} in more than one alignment: {', '.join(ids)}"
    successors = {o.id for o in objectives() if o.get("era") == "2021"}
    known_keys = set(catalogue()["key"])
    for o in objectives():
        if o.get("era") == "2014" and o.get("successor") not in successors:
            yield (
                f"2014 high impact area {o.id!r} names successor {o.get('successor')!r}, which is not a 2021 "
                "high impact area in 'health_objectives'"
            )
        for key in o.get("indicator_keys") or []:
            if key not in known_keys:
                yield f"objective {o.id!r} names indicator {key!r}, which is not in the indicator catalogue"
        if o.id in current and o.get("kind") not in KIND_HEADING:
            yield (
                f"objective {o.id!r} has kind {o.get('kind')!r}; expected " + " or ".join(repr(k) for k in KIND_HEADING)
            )
    for offer in offers():
        if offer.get("era") not in OFFER_ERAS:
            yield (
                f"offer strand {offer.id!r} has era {offer.get('era')!r}; expected "
                + " or ".join(repr(e) for e in OFFER_ERAS)
            )
    for m in measures():
        for objective in m.get("objectives") or []:
            if objective not in titles:
                yield f"measure {m.id!r} names objective {objective!r}, which is not in 'health_objectives'"
