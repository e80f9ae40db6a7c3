"""Product 7's content: practitioners' perspectives, the themes that tag them, and interview questions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal, get_args

from ...core.content import Entry, ProductContent, load_content

SLUG = "hearing_from_others"

#: A perspective or an interview is a barrier to joint working or an enabler of it.
Kind = Literal["barrier", "enabler"]
KINDS: tuple[str, ...] = get_args(Kind)


def content() -> ProductContent:
    """The validated content file of product 7."""
    return load_content(SLUG)


def perspectives() -> list[Entry]:
    """The library of perspectives, in content order."""
    return content().group("perspectives")


def themes() -> list[Entry]:
    """The themes that tag perspectives, questions and interviews, in content order."""
    return content().group("themes")


def interview_questions() -> list[Entry]:
    """The suggested questions for the team's own interviews."""
    return content().group("interview_questions")


def theme_titles() -> dict[str, str]:
    """Theme id (``data_sharing``) -> title (``data sharing``), in content order."""
    return {t.id: t.get("title") for t in themes()}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


#: The content the theme names below were read from, and those names (see :func:`_theme_names`).
_NAMES_READ: list[tuple[ProductContent, dict[str, str]]] = []


def _theme_names() -> dict[str, str]:
    """Each theme's id and title, as :func:`_key` makes them, -> its id; read again only when the
    content file changes (every view tags many perspectives, each with several themes)."""
    current = content()
    read = _NAMES_READ[0] if _NAMES_READ else None
    if read is None or read[0] is not current:
        titles = {t.id: t.get("title") for t in current.group("themes")}
        known = {_key(tid): tid for tid in titles}
        known.update({_key(title): tid for tid, title in titles.items()})
        read = (current, known)
        _NAMES_READ[:] = [read]
    return read[1]


def theme_id(name: str) -> str:
    """The theme id for a theme id or title: "conditions of service" -> "conditions_of_service".

    The content tags perspectives and questions with titles (words with spaces); the plan stores ids.
    Raises ``ValueError`` naming the themes for anything else.
    """
    return _theme_id(name, _theme_names())


def _theme_id(name: str, known: dict[str, str]) -> str:
    found = known.get(_key(name))
    if found is None:
        raise ValueError(f"{name!r} is not a theme; choose from: " + ", ".join(theme_titles().values()))
    return found


def theme_ids(names: Iterable[str]) -> list[str]:
    """Theme ids for ids or titles, without repeats, in the order given (one name may be given as text)."""
    given = [names] if isinstance(names, str) else list(names)
    out: list[str] = []
    known = _theme_names() if given else {}
    for name in given:
        tid = _theme_id(name, known)
        if tid not in out:
            out.append(tid)
    return out


def entry_themes(entry: Entry) -> list[str]:
    """The theme ids a perspective or a question is tagged with."""
    return theme_ids(entry.get("themes") or [])


def content_checks() -> Iterator[str]:
    """What in the content does not fit together: perspectives and questions with no theme, with a theme that
    is not in 'themes' or with the same theme twice; perspectives that are not a barrier or an enabler, do
    not say who said it (person, role, organisation), have no note on what holds today, or name an area by
    something other than its current GSS code (so that "from your area" would never find them)."""
    from ...core.areas import find_area
    from ...core.errors import AreaNotFound

    for group in ("perspectives", "interview_questions"):
        for entry in content().group(group):
            tags = entry.get("themes") or []
            if not tags:
                yield f"{group} entry {entry.id!r} needs at least one theme"
            tagged: list[str] = []
            for tag in tags:
                try:
                    tagged.append(theme_id(tag))
                except ValueError:
                    yield f"{group} entry {entry.id!r} names theme {tag!r}, which is not in 'themes'"
            if len(tagged) != len(set(tagged)):
                yield f"{group} entry {entry.id!r} names the same theme more than once"
    for entry in perspectives():
        if entry.get("kind") not in KINDS:
            yield f"perspective {entry.id!r} has kind {entry.get('kind')!r}; expected 'barrier' or 'enabler'"
        missing = [name for name in ("person", "role", "organisation") if not entry.get(name)]
        if missing:
            yield f"perspective {entry.id!r} needs {', '.join(missing)}: who said it"
        if not str(entry.get("today") or "").strip():
            yield f"perspective {entry.id!r} needs 'today': whether the point still holds"
        code = entry.get("area_code")
        if code:
            try:
                current = find_area(code).code
            except AreaNotFound:
                current = None
            if current != code:
                yield (
                    f"perspective {entry.id!r} names area {code!r}, which is not the current GSS code of an area"
                    + (f" (use {current!r})" if current else "")
                )
