"""Reference content: one YAML file per product in ``data/content/``, and one shared list of sources.

Sources
    ``data/content/sources.yaml`` describes every source once (publisher, title, year, address...),
    under a key. A product's file never describes a source of its own: its entries cite keys of the
    shared list, and :func:`load_content` fills ``ProductContent.sources`` with the sources that
    product cites, in the order it first cites them (so each product's table of sources lists exactly
    what it uses). A key that is not in the shared list is an error naming the file, field and line.

Entries
    A product file holds the product's title, purpose and named lists of entries. Every entry has an
    ``id``, text in the project's own words, a ``source`` (a key, or a list of keys, of the shared
    list) and ``verified`` (``false`` needs a ``note`` saying what was reconstructed and why).
    Product-specific fields (``descriptors``, ``stage``, ``tags``...) sit beside those.

Statements about "now" carry their date
    An entry *speaks about now* when any of these holds (:func:`speaks_about_now`):

    - it has a non-empty ``now``, ``today`` or ``then_now`` field;
    - its ``era`` is ``now`` or ``both``, or its ``status`` is ``current`` (a reading still in force);
    - any of its text (every string field except ``id``, ``source`` and ``as_of``, lists and
      mappings included) contains one of the words *now, today, currently, current, still,
      nowadays, at present, these days, no longer* (whole words, any case), except the idiom
      "now and then" and the label "then-and-now", or *since* followed by a date ("since 2013",
      "since 1 July 2022", "since April 2026").

    Such an entry must carry ``as_of: YYYY-MM-DD``, the date on which what it says about the present
    was true, no later than :data:`CONTENT_DATE` (the date the content was last brought up to date;
    the shared data README describes the NHS on that day). A missing ``as_of`` is a validation error.

Placeholders
    A figure that must come from the project's own tables is never typed into content: the text
    holds a placeholder such as ``{single_icb_2026}`` and the product fills it from the area table
    (:func:`fill_placeholders`). Only the names in :data:`PLACEHOLDERS` are allowed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError, PlanError
from .paths import data_dir

#: The date the content was last brought up to date: every ``as_of`` is on or before it.
CONTENT_DATE = date(2026, 12, 1)

#: The shared list of sources, in ``data/content/``.
SOURCES_FILE = "sources.yaml"

#: Fields that, when filled, say something about the present.
NOW_FIELDS = ("now", "today", "then_now")
NOW_ERAS = frozenset({"now", "both"})
NOW_STATUSES = frozenset({"current"})
NOW_WORDS = re.compile(
    r"\b((?<!-)now(?! and then)|today|currently|current|still|nowadays|at present|these days|no longer)\b",
    re.IGNORECASE,
)
#: "since" followed by a date ("since 2013", "since 1 July 2022", "since April 2026") also speaks of now.
NOW_SINCE = re.compile(
    r"\bsince (?:\d{1,2} )?(?:(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) )?\d{4}\b",
    re.IGNORECASE,
)
_NOT_SCANNED = frozenset({"id", "source", "as_of"})

#: The placeholders content may use, and what the product fills each with (from ``data/areas``).
PLACEHOLDERS = {
    "single_icb_2022": "the number of upper-tier councils wholly inside one ICB on the July 2022 map",
    "single_icb_2026": "the number of upper-tier councils wholly inside one ICB on the April 2026 map",
    "areas_2022": "the number of upper-tier councils counted for the July 2022 map",
    "areas_2026": "the number of upper-tier councils counted for the April 2026 map",
}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

#: Hosts that are test or staging copies of a site, never a public address.
_TEST_HOST = re.compile(r"^https?://(uat|staging|stage|test|dev|preprod)[.-]", re.IGNORECASE)
_PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
KEY_PATTERN = r"^[a-z0-9][a-z0-9_]*$"


class Source(BaseModel):
    """Where content came from, described once in ``sources.yaml``."""

    model_config = ConfigDict(extra="forbid")
    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    author: str | None = Field(default=None, description="author(s), when the source names them")
    year: int | None = Field(default=None, ge=1990, le=2030)
    date: str | None = Field(
        default=None,
        pattern=_PARTIAL_DATE,
        description="publication date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    url: str | None = None
    archived_url: str | None = None
    ended: str | None = Field(
        default=None, pattern=_PARTIAL_DATE, description="when it stopped applying (a plan or guide that ran to a date)"
    )
    superseded_by: str | None = Field(
        default=None, pattern=KEY_PATTERN, description="the key of the source that replaced it"
    )
    confirmed: bool = Field(
        default=True,
        description="false when the record's own details (publisher, "
        "title, date) could not be confirmed from a stored source; a note says which",
    )
    note: str | None = None

    @field_validator("url", "archived_url")
    @classmethod
    def _public_address(cls, value: str | None) -> str | None:
        if value is not None and _TEST_HOST.match(value):
            raise ValueError(f"a public address, not a test or staging site, got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.date and self.year is not None and int(self.date[:4]) != self.year:
            raise ValueError(f"the year of 'date' ({self.date}) to match 'year' ({self.year})")
        if self.date and self.year is None:
            raise ValueError("a 'year' when 'date' is given")
        if not self.confirmed and not (self.note and self.note.strip()):
            raise ValueError("a source with confirmed: false needs a note saying what is not confirmed")
        return self


class SourceRegistry(BaseModel):
    """The whole of ``sources.yaml``: every source the content cites, by key."""

    model_config = ConfigDict(extra="forbid")
    sources: dict[str, Source]

    @field_validator("sources")
    @classmethod
    def _keys(cls, value: dict[str, Source]) -> dict[str, Source]:
        for key in value:
            if not re.fullmatch(KEY_PATTERN, key):
                raise ValueError(f"source keys in lowercase with underscores, got {key!r}")
        return value

    @model_validator(mode="after")
    def _successors_exist(self) -> SourceRegistry:
        for key, source in self.sources.items():
            if source.superseded_by and source.superseded_by not in self.sources:
                raise ValueError(f"source {key!r} is superseded_by {source.superseded_by!r}, which is not a source")
        return self


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def entry_texts(fields: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field name, text) for every string an entry holds, except its id, sources and date."""
    for name, value in fields.items():
        if name not in _NOT_SCANNED:
            for text in _strings(value):
                yield name, text


def now_reasons(fields: dict[str, Any]) -> list[str]:
    """Why an entry's fields say something about the present (empty when they do not)."""
    reasons = [f"field {name!r}" for name in NOW_FIELDS if fields.get(name)]
    if fields.get("era") in NOW_ERAS:
        reasons.append(f"era {fields['era']!r}")
    if fields.get("status") in NOW_STATUSES:
        reasons.append(f"status {fields['status']!r}")
    for name, text in entry_texts(fields):
        found = NOW_WORDS.search(text) or NOW_SINCE.search(text)
        if found:
            reasons.append(f"the word {found.group(0).lower()!r} in {name!r}")
            break
    return reasons


def placeholders_in(text: str) -> set[str]:
    """The placeholder names a text uses, e.g. ``{"single_icb_2026"}``."""
    return set(PLACEHOLDER.findall(text))


def fill_placeholders(text: str, values: dict[str, Any]) -> str:
    """``text`` with each ``{name}`` replaced by ``values[name]``; a missing value is an error."""
    missing = sorted(placeholders_in(text) - set(values))
    if missing:
        raise KeyError(f"no value for placeholder(s) {', '.join(missing)}; known: {', '.join(PLACEHOLDERS)}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


class Entry(BaseModel):
    """One piece of content. Extra, product-specific fields are kept as they are."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=KEY_PATTERN)
    text: str = Field(min_length=1)
    source: str | list[str]
    verified: bool
    note: str | None = None
    as_of: date | None = Field(default=None, description="the date what the entry says about now was true")

    @model_validator(mode="after")
    def _checks(self) -> Entry:
        if not self.verified and not (self.note and self.note.strip()):
            raise ValueError("an entry with verified: false needs a note saying what is reconstructed")
        fields = self.fields()
        reasons = now_reasons(fields)
        if reasons and self.as_of is None:
            raise ValueError(
                f"an 'as_of: YYYY-MM-DD' date (the date it was true): the entry speaks about now ({reasons[0]})"
            )
        if self.as_of is not None and self.as_of > CONTENT_DATE:
            raise ValueError(f"an 'as_of' on or before the content's date {CONTENT_DATE}, got {self.as_of}")
        for name, text in entry_texts(fields):
            unknown = sorted(placeholders_in(text) - set(PLACEHOLDERS))
            if unknown:
                raise ValueError(f"placeholders from {sorted(PLACEHOLDERS)} only; {name!r} uses {unknown}")
        return self

    def fields(self) -> dict[str, Any]:
        """Every field of the entry, the product-specific ones included."""
        return {**{name: getattr(self, name) for name in type(self).model_fields}, **(self.model_extra or {})}

    @property
    def source_keys(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)

    @property
    def speaks_about_now(self) -> bool:
        return bool(now_reasons(self.fields()))

    def get(self, name: str, default: Any = None) -> Any:
        """A product-specific field, or ``default``."""
        return (self.model_extra or {}).get(name, getattr(self, name, default))


class ContentPart(BaseModel):
    """A part of a product's session, in the order it is run, with the minutes the product gives it
    (``None`` where it gives none: the facilitator sets them in a session plan)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1, max_length=120)
    minutes: int | None = Field(default=None, ge=1, le=480)
    kind: Literal["reading", "exercise", "discussion"] = Field(
        description="reading (reference content, a pre-read can cover it), exercise or discussion"
    )


class ProductContent(BaseModel):
    """The whole content file of one product, with the shared sources it cites."""

    model_config = ConfigDict(extra="forbid")
    product: int = Field(ge=1, description="the product's number (the registry checks it matches the slug)")
    slug: str
    title: str
    purpose: str
    who: str = Field(description="who should be in the room")
    minutes: int = Field(ge=5, le=480, description="how long the exercise takes")
    parts: list[ContentPart] = Field(
        default_factory=list, description="the session's parts in order, with the minutes of each (summing to minutes)"
    )
    entries: dict[str, list[Entry]]
    sources: dict[str, Source] = Field(
        default_factory=dict, description="filled by the loader from sources.yaml: what the entries cite"
    )

    @model_validator(mode="after")
    def _parts_add_up(self) -> ProductContent:
        ids = [part.id for part in self.parts]
        if len(set(ids)) != len(ids):
            raise ValueError(f"each part's id once; parts are {ids}")
        timed = [part.minutes for part in self.parts if part.minutes is not None]
        if self.parts and len(timed) == len(self.parts) and sum(timed) != self.minutes:
            raise ValueError(f"parts whose minutes add up to minutes ({self.minutes}), got {sum(timed)}")
        if sum(timed) > self.minutes:
            raise ValueError(f"parts whose minutes add up to no more than minutes ({self.minutes}), got {sum(timed)}")
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> ProductContent:
        seen: set[str] = set()
        for group, items in self.entries.items():
            for item in items:
                if item.id in seen:
                    raise ValueError(f"entry id {item.id!r} (in {group}) is used twice")
                seen.add(item.id)
        return self

    def cited_keys(self) -> list[str]:
        """Every source key the entries cite, in the order they are first cited."""
        keys: dict[str, None] = {}
        for items in self.entries.values():
            for item in items:
                keys.update(dict.fromkeys(item.source_keys))
        return list(keys)

    def group(self, name: str) -> list[Entry]:
        """The entries of one named list, e.g. ``content.group("factors")``."""
        try:
            return self.entries[name]
        except KeyError:
            raise KeyError(
                f"content for product {self.product} has no list {name!r}; it has {sorted(self.entries)}"
            ) from None

    def entry(self, entry_id: str) -> Entry:
        for items in self.entries.values():
            for item in items:
                if item.id == entry_id:
                    return item
        raise KeyError(f"no content entry {entry_id!r} in product {self.product}")

    def cite(self, entry: Entry) -> str:
        """A short citation for an entry: publisher (year) and whether it is verified."""
        parts = []
        for key in entry.source_keys:
            src = self.sources[key]
            parts.append(f"{src.publisher}{f' ({src.year})' if src.year else ''}")
        flag = "" if entry.verified else " [unverified]"
        return "; ".join(parts) + flag


def content_path(slug: str) -> Path:
    """Where a product's content file is: ``data/content/<slug>.yaml``."""
    return data_dir() / "content" / f"{slug}.yaml"


def sources_path(folder: Path | None = None) -> Path:
    """Where the shared sources are: ``data/content/sources.yaml`` (or ``folder/sources.yaml``)."""
    return (folder if folder is not None else data_dir() / "content") / SOURCES_FILE


def _read_yaml(path: Path, expected: str) -> tuple[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "(file)", expected) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path, "(file)", f"valid YAML ({getattr(exc, 'problem', exc)})", line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(raw, dict):
        raise InputError(path, "(file)", expected)
    return text, raw


def parse_sources(path: Path) -> SourceRegistry:
    """Read and validate the shared sources file; errors name the file, field and line."""
    from .validation import problems_from_validation

    text, raw = _read_yaml(path, "a mapping with 'sources': each source's key, publisher, title, year...")
    try:
        return SourceRegistry.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(path, problems_from_validation(exc, text)) from None


@cache
def _sources_cached(path_text: str, mtime: float) -> SourceRegistry:
    return parse_sources(Path(path_text))


def load_sources(folder: Path | None = None) -> SourceRegistry:
    """The validated shared sources, cached until the file changes."""
    path = sources_path(folder)
    if not path.exists():
        raise InputError(path, "(file)", "the shared sources file of the content")
    return _sources_cached(str(path), path.stat().st_mtime)


def parse_content(path: Path, registry: SourceRegistry | None = None) -> ProductContent:
    """Read and validate one content file against the shared sources (by default the
    ``sources.yaml`` beside it); errors name the file, field and line."""
    from .validation import problems_from_validation, yaml_line

    text, raw = _read_yaml(path, "a mapping with product, slug, title, purpose, who, minutes and entries")
    if "sources" in raw:
        raise PlanError(
            path,
            [
                (
                    "sources",
                    yaml_line(text, ("sources",)),
                    f"no 'sources' in a product file: describe each source once in {SOURCES_FILE} "
                    "and cite it by its key",
                )
            ],
        )
    try:
        content = ProductContent.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(path, problems_from_validation(exc, text)) from None
    if content.slug != path.stem:
        raise PlanError(
            path, [("slug", yaml_line(text, ("slug",)), f"{path.stem!r}, the file's name, got {content.slug!r}")]
        )
    registry = registry if registry is not None else load_sources(path.parent)
    problems = []
    for group, items in content.entries.items():
        for i, item in enumerate(items):
            for key in item.source_keys:
                if key not in registry.sources:
                    loc = ("entries", group, i, "source")
                    problems.append(
                        (
                            f"entries.{group}[{i}].source",
                            yaml_line(text, loc),
                            f"keys of {SOURCES_FILE}; {key!r} (cited by {item.id!r}) is not one",
                        )
                    )
    if problems:
        raise PlanError(path, problems)
    return content.model_copy(update={"sources": {key: registry.sources[key] for key in content.cited_keys()}})


@cache
def _load_cached(path_text: str, mtime: float, sources_mtime: float) -> ProductContent:
    path = Path(path_text)
    return with_figures(parse_content(path, load_sources(path.parent)))


def with_figures(content: ProductContent) -> ProductContent:
    """``content`` with every placeholder filled from the project's area tables, so no count is ever
    typed into content and every view shows the tables' own figures."""
    if not any(
        placeholders_in(text)
        for items in content.entries.values()
        for e in items
        for _name, text in entry_texts(e.fields())
    ):
        return content
    from .areas import table_figures

    figures = table_figures()

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return fill_placeholders(value, figures)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    entries = {
        group: [
            Entry.model_validate({k: fill(v) if k not in _NOT_SCANNED else v for k, v in e.fields().items()})
            for e in items
        ]
        for group, items in content.entries.items()
    }
    return content.model_copy(update={"entries": entries})


def load_content(slug: str) -> ProductContent:
    """The validated content of a product, by its slug, cached until it or the sources file changes."""
    path = content_path(slug)
    try:  # one stat a file: views read their content many times for each notebook
        mtime = os.stat(path).st_mtime
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(path, "(file)", "a content file for this product") from None
    try:
        sources_mtime = os.stat(sources_path(path.parent)).st_mtime
    except (FileNotFoundError, NotADirectoryError):
        sources_mtime = 0.0
    return _load_cached(str(path), mtime, sources_mtime)
