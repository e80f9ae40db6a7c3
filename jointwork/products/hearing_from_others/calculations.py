"""Product 7's calculations: searching and filtering the library, and counting barriers and enablers by theme."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...core.content import Entry
from .content import KINDS, entry_themes, perspectives, theme_ids, theme_titles
from .model import InterviewsSection

if TYPE_CHECKING:
    import pandas as pd


def _haystack(entry: Entry) -> str:
    titles = theme_titles()
    parts = [entry.get(name) or "" for name in ("person", "role", "organisation", "place", "today", "kind")]
    parts += [entry.text, *(titles[t] for t in entry_themes(entry))]
    return " ".join(parts).lower()


def filter_perspectives(
    text: str = "", themes: Iterable[str] = (), kind: str | None = None, *, area_code: str | None = None
) -> list[Entry]:
    """The perspectives that match every word of ``text``, any of ``themes`` and ``kind``.

    ``text`` is searched (ignoring case) in who said it, their role, organisation and place, what
    they said, the "today" note and the theme names. ``themes`` are theme ids or titles; an empty
    selection means every theme. ``kind`` is "barrier", "enabler" or None for both. With
    ``area_code``, perspectives from that area come first; otherwise content order is kept.
    """
    wanted = set(theme_ids(themes))
    if kind not in (None, "", *KINDS):
        raise ValueError(f"kind must be 'barrier', 'enabler' or empty for both, got {kind!r}")
    words = str(text or "").lower().split()
    found = [
        p
        for p in perspectives()
        if (not kind or p.get("kind") == kind)
        and (not wanted or wanted & set(entry_themes(p)))
        and all(word in _haystack(p) for word in words)
    ]
    if area_code:
        found.sort(key=lambda p: p.get("area_code") != area_code)  # stable: local first, then content order
    return found


def theme_counts(section: InterviewsSection | None = None) -> pd.DataFrame:
    """One row per theme: barriers and enablers in the library and in the team's interviews (if given)."""
    import pandas as pd

    interviews = section.interviews if section is not None else []
    rows = []
    tagged = [(p.get("kind"), entry_themes(p)) for p in perspectives()]
    for tid, title in theme_titles().items():
        lib = [kind for kind, tags in tagged if tid in tags]
        own = [v.kind for v in interviews if tid in v.themes]
        row = {
            "theme_id": tid,
            "theme": title,
            "library_barriers": lib.count("barrier"),
            "library_enablers": lib.count("enabler"),
            "team_barriers": own.count("barrier"),
            "team_enablers": own.count("enabler"),
        }
        row["barriers"] = row["library_barriers"] + row["team_barriers"]
        row["enablers"] = row["library_enablers"] + row["team_enablers"]
        rows.append(row)
    return pd.DataFrame(rows)


def most_common_barrier(section: InterviewsSection | None = None) -> str | None:
    """The theme id with the most barriers (library and interviews together); ties go to content order."""
    frame = theme_counts(section)
    if frame["barriers"].max() <= 0:
        return None
    return str(frame.loc[frame["barriers"].idxmax(), "theme_id"])
