"""Product 6's content: the starter principles and the cited examples of practice under them."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.content import Entry, ProductContent, load_content

SLUG = "joint_priorities"
RECONSTRUCTION = (
    "The starter principles are a reconstruction. The 2007-08 toolkit offered principles for joint "
    'working, drafted by a joint health and local authority working group, as a "starter for 10"; '
    "their wording was not found. The principles here were written for this workbook from the "
    "sources cited and are marked [unverified]. The practice examples under them are real and cited."
)


def content() -> ProductContent:
    """The validated content file of product 6."""
    return load_content(SLUG)


def principles() -> list[Entry]:
    """The starter principles, in the content's order."""
    return content().group("principles")


def principle_titles() -> dict[str, str]:
    """Principle id -> title."""
    return {p.id: p.get("title") for p in principles()}


def practice_examples() -> dict[str, Entry]:
    """Practice example id -> the example, in the content's order."""
    return {e.id: e for e in content().group("practice_examples")}


def content_checks() -> Iterator[str]:
    """Cross-references in the content that do not resolve: a principle without examples or naming an
    example that is not there, an example without a place, an example citing a source with no address
    (the agreement cites every example it draws on with its address)."""
    c = content()
    examples = practice_examples()
    for principle in principles():
        if not principle.get("examples"):
            yield f"principle {principle.id!r} names no practice examples"
        for example_id in principle.get("examples") or []:
            if example_id not in examples:
                yield (f"principle {principle.id!r} names example {example_id!r}, which is not in 'practice_examples'")
    for example in examples.values():
        if not example.get("place"):
            yield f"practice example {example.id!r} names no place"
        for key in example.source_keys:
            if not c.sources[key].url:
                yield f"practice example {example.id!r} cites source {key!r}, which has no url"
