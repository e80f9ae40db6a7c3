"""Reference content: one YAML file per product in ``data/content/``, checked by a schema.

A file holds the product's title, purpose, the sources it cites and named lists of entries.
Every entry has an ``id``, text in the project's own words, a ``source`` (a key of ``sources``)
and ``verified`` (``false`` needs a ``note`` saying what was reconstructed and why).
Product-specific fields (``descriptors``, ``stage``, ``tags``...) sit beside those.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import InputError, PlanError
from .paths import data_dir

if TYPE_CHECKING:
    from .display import Html

PRODUCT_SLUGS: dict[int, str] = {
    1: "introduction",
    2: "health_priorities",
    3: "successful_joint_working",
    4: "who_to_engage",
    5: "when_to_engage",
    6: "joint_priorities",
    7: "hearing_from_others",
    8: "find_out_more",
}


class Source(BaseModel):
    """Where content came from."""

    model_config = ConfigDict(extra="forbid")
    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1990, le=2030)
    url: str | None = None
    archived_url: str | None = None
    note: str | None = None


class Entry(BaseModel):
    """One piece of content. Extra, product-specific fields are kept as they are."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    text: str = Field(min_length=1)
    source: str | list[str]
    verified: bool
    note: str | None = None

    @model_validator(mode="after")
    def _unverified_needs_note(self) -> "Entry":
        if not self.verified and not (self.note and self.note.strip()):
            raise ValueError("an entry with verified: false needs a note saying what is reconstructed")
        return self

    @property
    def source_keys(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)

    def get(self, name: str, default: Any = None) -> Any:
        """A product-specific field, or ``default``."""
        return (self.model_extra or {}).get(name, getattr(self, name, default))


class ProductContent(BaseModel):
    """The whole content file of one product."""

    model_config = ConfigDict(extra="forbid")
    product: int = Field(ge=1, le=8)
    slug: str
    title: str
    purpose: str
    who: str = Field(description="who should be in the room")
    minutes: int = Field(ge=5, le=480, description="how long the exercise takes")
    sources: dict[str, Source]
    entries: dict[str, list[Entry]]

    @model_validator(mode="after")
    def _consistent(self) -> "ProductContent":
        if PRODUCT_SLUGS.get(self.product) != self.slug:
            raise ValueError(f"product {self.product} has slug {PRODUCT_SLUGS.get(self.product)!r}")
        seen: set[str] = set()
        for group, items in self.entries.items():
            for item in items:
                if item.id in seen:
                    raise ValueError(f"entry id {item.id!r} (in {group}) is used twice")
                seen.add(item.id)
                for key in item.source_keys:
                    if key not in self.sources:
                        raise ValueError(f"entry {item.id!r} cites source {key!r}, which is not in 'sources'")
        return self

    def group(self, name: str) -> list[Entry]:
        """The entries of one named list, e.g. ``content.group("factors")``."""
        try:
            return self.entries[name]
        except KeyError:
            raise KeyError(f"content for product {self.product} has no list {name!r}; "
                           f"it has {sorted(self.entries)}") from None

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

    def sources_table(self) -> "Html":
        """Every source the product cites (publisher, title, year, address) and the data attribution."""
        from .display import attribution, table

        rows = [{"Key": key, "Publisher": s.publisher, "Title": s.title, "Year": s.year or "no date",
                 "Address": s.url or s.archived_url or ""} for key, s in self.sources.items()]
        return table(rows, "Sources for this product") + attribution()


def content_path(product: int | str) -> Path:
    slug = PRODUCT_SLUGS[product] if isinstance(product, int) else product
    return data_dir() / "content" / f"{slug}.yaml"


def parse_content(path: Path) -> ProductContent:
    """Read and validate one content file; errors name the file, field and line."""
    from .validation import problems_from_validation

    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, "(file)", f"valid YAML ({getattr(exc, 'problem', exc)})",
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(raw, dict):
        raise InputError(path, "(file)", "a mapping with product, slug, title, sources and entries")
    try:
        return ProductContent.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(path, problems_from_validation(exc, text)) from None


@lru_cache(maxsize=None)
def _load_cached(path_text: str, mtime: float) -> ProductContent:
    return parse_content(Path(path_text))


def load_content(product: int | str) -> ProductContent:
    """The validated content of a product (by number or slug), cached until the file changes."""
    path = content_path(product)
    if not path.exists():
        raise InputError(path, "(file)", "a content file for this product")
    return _load_cached(str(path), path.stat().st_mtime)
