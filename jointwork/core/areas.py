"""Look up English upper-tier local authorities, the ICBs they sit in, and the dates they are valid for.

Reads the tables in ``data/areas/`` (built by ``jointwork data build-areas``) once per folder,
with the csv module only, so importing this stays quick.

Two NHS maps sit side by side: ``Area.icbs`` is today's, the 36 ICBs from 1 April 2026;
``Area.icbs_2022`` is the 42 ICBs of July 2022. An area that ends (Surrey County Council on
1 April 2027) stays findable by its code, with ``valid_to`` and its ``successors``. Nothing here
reads the clock: pass ``on=`` a date wherever the answer depends on it.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .errors import AreaNotFound, InputError
from .paths import data_dir

AREAS_FOLDER = "areas"
MAX_SUGGESTIONS = 5
MAP_2022 = date(2022, 7, 1)  # the 42 ICBs
MAP_2026 = date(2026, 4, 1)  # the 36 ICBs: today's map
MAP_YEARS = (2022, 2026)


def long_date(day: date) -> str:
    """'1 April 2027'."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class IcbLink:
    """One Integrated Care Board an area sits in.

    ``lsoa_count`` and ``lsoa_share`` are known when the link was counted from an ONS LSOA lookup.
    ``sliver``: the ICB covers only a small sliver of the area (not counted as a second ICB).
    ``confidence`` (April 2026 links): "firm", "likely" or "uncertain": firm when a firm succession or
    rule makes the link (``note`` then names any part that rests on a weaker rule), otherwise the
    surest rule it rests on; "" for July 2022 links. ``note`` says why, in words.
    """

    code: str
    ods_code: str
    name: str
    lsoa_count: int | None = None
    lsoa_share: float | None = None
    sliver: bool = False
    confidence: str = ""
    note: str = ""
    weakest_part: str = ""  # "likely"/"uncertain": a part of the link (from a split ICB) rests on a weaker rule

    @property
    def counted(self) -> bool:
        """Whether the link says where the area sits: not a sliver and not resting on an uncertain rule."""
        return not self.sliver and self.confidence != "uncertain"


@dataclass(frozen=True)
class Icb:
    """An ICB on one map, with the April 2026 ICB(s) a July 2022 one continued as or became."""

    code: str
    ods_code: str
    name: str
    nhs_region: str
    year: int
    became: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaChange:
    """The other side of an area ending: a successor (or predecessor), the day the successor
    begins and the order that makes the change; ``code`` is "" until ONS publishes it."""

    code: str
    name: str
    starts: date
    source: str

    @property
    def label(self) -> str:
        """'East Surrey (E06000099)' or 'East Surrey (code not yet published)'."""
        return f"{self.name} ({self.code or 'code not yet published'})"


@dataclass(frozen=True)
class Area:
    """An English upper-tier local authority, with its ICBs on today's map (``icbs``) and in July 2022."""

    code: str
    dfe_code: str
    name: str
    region: str
    region_code: str
    icbs: tuple[IcbLink, ...]
    single_icb: bool
    coterminous: bool
    icb_basis: str
    aliases: tuple[str, ...]
    icbs_2022: tuple[IcbLink, ...] = ()
    single_icb_2022: bool = False
    coterminous_2022: bool = False
    icb_basis_2022: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    successors: tuple[AreaChange, ...] = ()
    predecessors: tuple[AreaChange, ...] = ()

    # ---- the ICBs ----
    @property
    def main_icbs(self) -> tuple[IcbLink, ...]:
        """Today's links that say which ICB(s) the area sits in (no slivers, no uncertain links)."""
        return tuple(link for link in self.icbs if link.counted) or self.icbs

    @property
    def main_icbs_2022(self) -> tuple[IcbLink, ...]:
        """The July 2022 links that say which ICB(s) the area sat in (no slivers)."""
        return tuple(link for link in self.icbs_2022 if link.counted) or self.icbs_2022

    @property
    def icb_names(self) -> str:
        """Today's ICB names (slivers and uncertain links left out), "; "-joined."""
        return "; ".join(link.name for link in self.main_icbs)

    @property
    def icb_names_2022(self) -> str:
        """The July 2022 ICB names (slivers left out), "; "-joined."""
        return "; ".join(link.name for link in self.main_icbs_2022)

    def not_on_map_2022(self) -> str:
        """A sentence when the area began after the July 2022 map ended, so it has no ICB on it ("" otherwise)."""
        if self.icbs_2022 or self.valid_from is None or self.valid_from < MAP_2026:
            return ""
        return (
            f"None: {self.name} did not exist while the 42 ICBs of July 2022 were in place (to 31 March 2026); "
            f"it began on {long_date(self.valid_from)}."
        )

    def icb_caveats(self, year: int = 2026) -> list[str]:
        """Sentences on what the ICB names alone do not say: slivers, likely or uncertain links, notes."""
        found = []
        for link in self.icbs if year == 2026 else self.icbs_2022:
            note = f" {link.note}" if link.note else ""
            if link.sliver:
                found.append(
                    f"{link.name} covers only a small sliver of {self.name}, so it is not counted as a "
                    f"second ICB.{note}"
                )
            elif link.confidence == "uncertain":
                found.append(f"Whether part of {self.name} is in {link.name} is uncertain, so it is not counted.{note}")
            elif link.confidence == "likely":
                found.append(f"The link to {link.name} is likely but not confirmed.{note}")
            elif link.note:
                found.append(f"About {link.name}: {link.note[:1].lower()}{link.note[1:]}")
        return found

    # ---- the dates ----
    def is_current(self, on: date) -> bool:
        """Whether the area exists on ``on``."""
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def has_ended(self, on: date) -> bool:
        """Whether the area had ended by ``on`` (its successors, if any, in ``successors``)."""
        return self.valid_to is not None and on > self.valid_to

    def change_note(self, on: date | None = None) -> str:
        """A sentence on the area ending or beginning ("" when neither); without ``on``, true at any date."""
        parts = []
        if self.valid_from is not None and self.predecessors:
            before = _and([predecessor.label for predecessor in self.predecessors])
            if on is not None and on < self.valid_from:
                parts.append(f"{self.name} begins on {long_date(self.valid_from)}, replacing {before}.")
            else:
                parts.append(f"{self.name} replaces {before} from {long_date(self.valid_from)}.")
        if self.valid_to is not None:
            ends = self.valid_to + timedelta(days=1)
            after = _and([successor.label for successor in self.successors])
            if on is not None and self.has_ended(on):
                replaced = f", replaced by {after}" if after else ""
                parts.append(f"{self.name} ended on {long_date(self.valid_to)}{replaced}.")
            elif after:
                parts.append(f"{self.name} is replaced by {after} from {long_date(ends)}.")
            else:
                parts.append(f"{self.name} exists until {long_date(self.valid_to)}.")
        return " ".join(parts)

    def describe(self, on: date | None = None) -> str:
        """One line of plain English: name, code, region, today's ICB(s) and how the area fits them."""
        main = self.main_icbs
        show_share = len(main) > 1
        labels = []
        for link in main:
            label = link.name
            if show_share and link.lsoa_share is not None:
                label += f" {_percent(link.lsoa_share)}"
            if link.confidence == "likely":
                label += " (likely)"
            labels.append(label)
        if self.coterminous:
            fit = "sits within one ICB, which covers no other local authority"
        elif self.single_icb:
            fit = "sits within one ICB"
        else:
            fit = f"spans {len(main)} ICBs"
        text = f"{self.name} ({self.code}), {self.region}; {'; '.join(labels)} ({self.icb_basis}); {fit}"
        slivers = [link.name for link in self.icbs if link.sliver]
        if slivers:
            text += f", with a small sliver in {_and(slivers)}"
        uncertain = [link.name for link in self.icbs if not link.sliver and link.confidence == "uncertain"]
        if uncertain:
            text += f"; part may be in {_and(uncertain)} (uncertain)"
        change = self.change_note(on)
        return f"{text}. {change}" if change else text


def _percent(share: float) -> str:
    return "<0.1%" if share < 0.001 else f"{share:.1%}"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---- reading the tables ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Catalogue:
    areas: tuple[Area, ...]
    by_key: dict[str, Area]
    by_name: dict[str, Area]
    icbs: tuple[Icb, ...]


def _read(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line, row) for each row of one of the built tables, after checking its header."""
    if not path.is_file():
        raise InputError(path, "file", "the area tables built by `jointwork data build-areas`")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for column in columns:
            if column not in (reader.fieldnames or []):
                raise InputError(path, column, f"a column named {column} in the header (rebuild the area tables)")
        return [(reader.line_num, row) for row in reader]


def _optional(path: Path, column: str, line: int, text: str, kind: type) -> object:
    if not text:
        return None
    try:
        return date.fromisoformat(text) if kind is date else kind(text)
    except ValueError:
        expected = {date: "a date written YYYY-MM-DD", int: "a whole number", float: "a number"}[kind]
        raise InputError(path, column, f"empty or {expected}", line=line, got=text) from None


def _links(folder: Path) -> dict[tuple[str, int], list[IcbLink]]:
    path = folder / "area_icbs.csv"
    columns = ("area_code", "year", "icb_code", "icb_ods_code", "icb_name", "lsoa_count", "lsoa_share")
    columns += ("sliver", "confidence", "note")
    links: dict[tuple[str, int], list[IcbLink]] = {}
    for line, row in _read(path, columns):
        if row["year"] not in ("2022", "2026"):
            raise InputError(path, "year", "2022 or 2026", line=line, got=row["year"])
        links.setdefault((row["area_code"], int(row["year"])), []).append(
            IcbLink(
                row["icb_code"],
                row["icb_ods_code"],
                row["icb_name"],
                _optional(path, "lsoa_count", line, row["lsoa_count"], int),  # type: ignore[arg-type]
                _optional(path, "lsoa_share", line, row["lsoa_share"], float),  # type: ignore[arg-type]
                row["sliver"] == "true",
                row["confidence"],
                row["note"],
                row.get("weakest_part") or "",
            )
        )
    # the links that say where an area sits first, then slivers and uncertain ones, each in table order
    return {key: sorted(found, key=lambda link: not link.counted) for key, found in links.items()}


def _successors(folder: Path) -> dict[str, list[AreaChange]]:
    path = folder / "area_successors.csv"
    found: dict[str, list[AreaChange]] = {}
    for line, row in _read(path, ("area_code", "date", "successor_code", "successor_name", "source")):
        starts = _optional(path, "date", line, row["date"], date)
        if starts is None:
            raise InputError(path, "date", "the day the successor begins, written YYYY-MM-DD", line=line)
        found.setdefault(row["area_code"], []).append(
            AreaChange(row["successor_code"], row["successor_name"], starts, row["source"])  # type: ignore[arg-type]
        )
    return found


def _icbs(folder: Path) -> tuple[Icb, ...]:
    path = folder / "icbs.csv"
    icbs = []
    for line, row in _read(path, ("year", "code", "ods_code", "name", "nhs_region", "became")):
        if row["year"] not in ("2022", "2026"):
            raise InputError(path, "year", "2022 or 2026", line=line, got=row["year"])
        became = tuple(filter(None, row["became"].split(";")))
        icbs.append(Icb(row["code"], row["ods_code"], row["name"], row["nhs_region"], int(row["year"]), became))
    return tuple(sorted(icbs, key=lambda icb: (icb.year, icb.name)))


@lru_cache(maxsize=4)
def _catalogue(folder: Path) -> _Catalogue:
    """Load and index the tables in ``folder`` (cached per folder)."""
    links = _links(folder)
    successors = _successors(folder)
    predecessors: dict[str, list[AreaChange]] = {}
    aliases: dict[str, list[str]] = {}
    for _, row in _read(folder / "aliases.csv", ("alias", "code")):
        aliases.setdefault(row["code"], []).append(row["alias"])
    path = folder / "areas.csv"
    columns = ("code", "dfe_code", "name", "region", "region_code", "valid_from", "valid_to")
    columns += ("icb_basis", "single_icb", "coterminous", "icb_basis_2022", "single_icb_2022", "coterminous_2022")
    rows = _read(path, columns)
    names = {row["code"]: row["name"] for _, row in rows}
    for code, following in successors.items():
        for successor in following:
            if successor.code:
                change = AreaChange(code, names.get(code, code), successor.starts, successor.source)
                predecessors.setdefault(successor.code, []).append(change)
    areas = [
        Area(
            row["code"],
            row["dfe_code"],
            row["name"],
            row["region"],
            row["region_code"],
            tuple(links.get((row["code"], 2026), ())),
            row["single_icb"] == "true",
            row["coterminous"] == "true",
            row["icb_basis"],
            tuple(sorted(aliases.get(row["code"], ()))),
            tuple(links.get((row["code"], 2022), ())),
            row["single_icb_2022"] == "true",
            row["coterminous_2022"] == "true",
            row["icb_basis_2022"],
            _optional(path, "valid_from", line, row["valid_from"], date),  # type: ignore[arg-type]
            _optional(path, "valid_to", line, row["valid_to"], date),  # type: ignore[arg-type]
            tuple(successors.get(row["code"], ())),
            tuple(predecessors.get(row["code"], ())),
        )
        for line, row in rows
    ]
    areas.sort(key=lambda area: area.name)
    by_key: dict[str, Area] = {}
    for area in areas:
        for key in (area.code, area.dfe_code, *area.aliases):
            if key:
                by_key[key.casefold()] = area
    return _Catalogue(tuple(areas), by_key, {area.name.casefold(): area for area in areas}, _icbs(folder))


def _loaded() -> _Catalogue:
    return _catalogue(data_dir() / AREAS_FOLDER)


# ---- the API ------------------------------------------------------------------------------------
def all_areas(on: date | None = None) -> list[Area]:
    """Every English upper-tier local authority in the tables, sorted by name; with ``on``, those existing then."""
    return [area for area in _loaded().areas if on is None or area.is_current(on)]


def find_area(query: str) -> Area:
    """The area with this GSS code, former code, DfE code or name (any case, spaces trimmed).

    An area that has ended is still found (see ``Area.valid_to`` and ``Area.successors``).
    Raises :class:`AreaNotFound` listing up to five close matches.
    """
    catalogue = _loaded()
    key = query.strip().casefold()
    found = catalogue.by_key.get(key) or catalogue.by_name.get(key)
    found = found or next((area for area in catalogue.areas if search_key(area.name) == search_key(query)), None)
    if found is not None:
        return found
    candidates = {**catalogue.by_name, **{area.code.casefold(): area for area in catalogue.areas}}
    suggestions: list[str] = []
    for match in difflib.get_close_matches(key, list(candidates), n=MAX_SUGGESTIONS * 2, cutoff=0.6):
        label = f"{candidates[match].name} ({candidates[match].code})"
        if label not in suggestions:
            suggestions.append(label)
    raise AreaNotFound(query, suggestions[:MAX_SUGGESTIONS])


def search_key(text: str) -> str:
    """``text`` as searches compare it: any case, punctuation as spaces, runs of spaces as one
    ("St. Helens" and "st helens" give the same key)."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def search_areas(text: str) -> list[Area]:
    """Areas whose name, code, DfE code, region, or ICB name, GSS code or ODS code (either map) contains
    ``text`` (any case; punctuation counts as a space), sorted by name."""
    needle = search_key(text)
    return [
        area
        for area in _loaded().areas
        if any(
            needle in search_key(value)
            for value in (
                area.name,
                area.code,
                area.dfe_code,
                area.region,
                *area.aliases,
                *(value for link in (*area.icbs, *area.icbs_2022) for value in (link.name, link.code, link.ods_code)),
            )
        )
    ]


def all_icbs(year: int = 2026) -> list[Icb]:
    """The ICBs of one map, sorted by name: 2026 (today's, from 1 April 2026) or 2022 (July 2022)."""
    if year not in MAP_YEARS:
        raise InputError("argument", "year", "2022 or 2026", got=year)
    return [icb for icb in _loaded().icbs if icb.year == year]


def then_and_now(area: Area) -> list[tuple[str, str, str]]:
    """For each of the area's July 2022 ICBs: its name, what happened to it on 1 April 2026, and the
    area's April 2026 ICB(s) it went into, with "likely", "uncertain" or "small sliver" where so."""
    by_code = {(icb.year, icb.code): icb for icb in _loaded().icbs}
    rows = []
    for link in area.icbs_2022:
        icb = by_code.get((2022, link.code))
        became = icb.became if icb else ()
        names = [by_code[(2026, code)].name if (2026, code) in by_code else code for code in became]
        if became == (link.code,):
            happened = "unchanged"
        elif len(became) == 1 and names[0] == link.name:
            happened = f"kept its name, with a new code ({became[0]}) because its boundary changed"
        elif len(became) == 1:
            happened = f"merged into {names[0]}"
        else:
            happened = f"split between {_and(names)}" if became else "not recorded"
        now = []
        for new in area.icbs:
            if new.code in became:
                # a weaker part of a firm link comes from a split rule, so from the ICB that split
                sure = new.weakest_part if new.weakest_part and len(became) > 1 else new.confidence
                words = [sure] if sure in ("likely", "uncertain") else []
                words += ["small sliver"] if new.sliver else []
                now.append(new.name + (f" ({', '.join(words)})" if words else ""))
        rows.append((link.name, happened, "; ".join(now) or "none of the area"))
    return rows


def regions() -> list[str]:
    """The English regions, sorted."""
    return sorted({area.region for area in _loaded().areas})


def areas_in_region(name: str) -> list[Area]:
    """The areas in a region, given its name or code (any case), sorted by name."""
    wanted = name.strip().casefold()
    found = [area for area in _loaded().areas if wanted in (area.region.casefold(), area.region_code.casefold())]
    if not found:
        raise InputError("argument", "region", "one of " + ", ".join(regions()), got=name)
    return found


def table_figures() -> dict[str, int]:
    """The figures content may quote from the area tables (see ``PLACEHOLDERS`` in
    :mod:`jointwork.core.content`): how many upper-tier councils sit wholly inside one ICB on each map."""
    areas = list(_loaded().areas)
    return {
        "single_icb_2022": sum(a.single_icb_2022 for a in areas),
        "areas_2022": len(areas),
        "single_icb_2026": sum(a.single_icb for a in areas),
        "areas_2026": len(areas),
    }
