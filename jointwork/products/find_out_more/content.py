"""Product 8's content: the reading index, each reading with its own source (publisher, year, address)."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.content import Entry, ProductContent, Source, load_content

SLUG = "find_out_more"
#: A reading's status -> how the index shows it.
STATUS_LABEL = {"current": "current", "superseded": "superseded", "historical": "historical (of its time)"}


def content() -> ProductContent:
    """The validated content file of product 8."""
    return load_content(SLUG)


def readings() -> list[Entry]:
    """Every reading, in the order the content lists them."""
    return content().group("readings")


def reading_titles() -> dict[str, str]:
    """Reading id -> title."""
    return {r.id: r.get("title") for r in readings()}


def source_of(entry: Entry) -> Source:
    """The source a reading is (each reading is its own source)."""
    return content().sources[entry.source_keys[0]]


def topics() -> list[str]:
    """Every topic, most used first (ties alphabetical)."""
    counts: dict[str, int] = {}
    for r in readings():
        for topic in r.get("topics") or []:
            counts[topic] = counts.get(topic, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))


def kinds() -> list[str]:
    """The kinds of reading (guidance, policy, tool...), alphabetical."""
    return sorted({r.get("kind") for r in readings()})


def statuses() -> list[str]:
    """The statuses some reading has, in the order of :data:`STATUS_LABEL`."""
    return [s for s in STATUS_LABEL if any(r.get("status") == s for r in readings())]


def content_checks() -> Iterator[str]:
    """What the index needs and the content does not give: a reading that is not its own source, a
    status the index cannot show, a superseded reading that does not say what replaced it (or a
    current one that does), a reading without a kind or topics, products that are not numbers."""
    for r in readings():
        if r.source_keys != [r.id]:
            yield f"reading {r.id!r} should cite one source, keyed by its own id, got {r.source_keys}"
        status = r.get("status")
        if status not in STATUS_LABEL:
            yield f"reading {r.id!r} has status {status!r}; use one of {', '.join(STATUS_LABEL)}"
        if status == "superseded" and not r.get("superseded_by"):
            yield f"reading {r.id!r} is superseded but does not say what replaced it"
        if status != "superseded" and r.get("superseded_by"):
            yield f"reading {r.id!r} is {status!r} but names what replaced it; only a superseded reading does"
        if not r.get("kind"):
            yield f"reading {r.id!r} has no kind"
        if not r.get("topics"):
            yield f"reading {r.id!r} has no topics"
        products = r.get("products") or []
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in products):
            yield f"reading {r.id!r} lists products {products!r}; give product numbers"
