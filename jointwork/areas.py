"""Look up English upper-tier local authorities and the ICBs they sit in.

Reads the tables in ``data/areas/`` (built by :mod:`jointwork.build_areas`) once per folder,
with the csv module only, so importing this stays quick.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import AreaNotFound, InputError
from .paths import data_dir

AREAS_FOLDER = "areas"
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class IcbLink:
    """One Integrated Care Board an area sits in, with the LSOA count and share when known exactly."""

    code: str
    ods_code: str
    name: str
    lsoa_count: int | None
    lsoa_share: float | None


@dataclass(frozen=True)
class Area:
    """An English upper-tier local authority."""

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

    @property
    def icb_names(self) -> str:
        """The ICB names, "; "-joined."""
        return "; ".join(link.name for link in self.icbs)

    def describe(self) -> str:
        """One line of plain English: name, code, region, ICB(s) and how the area fits them."""
        show_share = not self.single_icb
        labels = [f"{link.name} {_percent(link.lsoa_share)}" if show_share and link.lsoa_share is not None
                  else link.name for link in self.icbs]
        if self.coterminous:
            fit = "sits within one ICB, which covers no other local authority"
        elif self.single_icb:
            fit = "sits within one ICB"
        else:
            fit = f"spans {len(self.icbs)} ICBs"
        return f"{self.name} ({self.code}), {self.region}; {'; '.join(labels)} ({self.icb_basis}); {fit}"


def _percent(share: float) -> str:
    return "<0.1%" if share < 0.001 else f"{share:.1%}"


@dataclass(frozen=True)
class _Catalogue:
    areas: tuple[Area, ...]
    by_key: dict[str, Area]
    by_name: dict[str, Area]


def _read(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError(path, "file", "the area tables built by `jointwork data build-areas`")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for column in columns:
            if column not in (reader.fieldnames or []):
                raise InputError(path, column, f"a column named {column} in the header")
        return list(reader)


def _optional_int(text: str) -> int | None:
    return int(text) if text else None


def _optional_float(text: str) -> float | None:
    return float(text) if text else None


@lru_cache(maxsize=4)
def _catalogue(folder: Path) -> _Catalogue:
    """Load and index the tables in ``folder`` (cached per folder)."""
    links: dict[str, list[IcbLink]] = {}
    for row in _read(folder / "area_icbs.csv", ("area_code", "icb_code", "icb_ods_code", "icb_name", "lsoa_count",
                                                "lsoa_share")):
        links.setdefault(row["area_code"], []).append(IcbLink(
            row["icb_code"], row["icb_ods_code"], row["icb_name"], _optional_int(row["lsoa_count"]),
            _optional_float(row["lsoa_share"])))
    aliases: dict[str, list[str]] = {}
    for row in _read(folder / "aliases.csv", ("alias", "code")):
        aliases.setdefault(row["code"], []).append(row["alias"])
    areas = [Area(row["code"], row["dfe_code"], row["name"], row["region"], row["region_code"],
                  tuple(links.get(row["code"], ())), row["single_icb"] == "true", row["coterminous"] == "true",
                  row["icb_basis"], tuple(sorted(aliases.get(row["code"], ()))))
             for row in _read(folder / "areas.csv", ("code", "dfe_code", "name", "region", "region_code",
                                                     "single_icb", "coterminous", "icb_basis"))]
    areas.sort(key=lambda area: area.name)
    by_key: dict[str, Area] = {}
    for area in areas:
        for key in (area.code, area.dfe_code, *area.aliases):
            by_key[key.casefold()] = area
    return _Catalogue(tuple(areas), by_key, {area.name.casefold(): area for area in areas})


def _loaded() -> _Catalogue:
    return _catalogue(data_dir() / AREAS_FOLDER)


def all_areas() -> list[Area]:
    """Every English upper-tier local authority, sorted by name."""
    return list(_loaded().areas)


def find_area(query: str) -> Area:
    """The area with this GSS code, former code, DfE code or name (any case, spaces trimmed).

    Raises :class:`AreaNotFound` listing up to five close matches.
    """
    catalogue = _loaded()
    key = query.strip().casefold()
    found = catalogue.by_key.get(key) or catalogue.by_name.get(key)
    if found is not None:
        return found
    candidates = {**catalogue.by_name, **{area.code.casefold(): area for area in catalogue.areas}}
    suggestions: list[str] = []
    for match in difflib.get_close_matches(key, list(candidates), n=MAX_SUGGESTIONS * 2, cutoff=0.6):
        label = f"{candidates[match].name} ({candidates[match].code})"
        if label not in suggestions:
            suggestions.append(label)
    raise AreaNotFound(query, suggestions[:MAX_SUGGESTIONS])


def search_areas(text: str) -> list[Area]:
    """Areas whose name, code, DfE code, region or ICB name contains ``text`` (any case), sorted by name."""
    needle = text.strip().casefold()
    return [area for area in _loaded().areas
            if any(needle in value.casefold()
                   for value in (area.name, area.code, area.dfe_code, area.region, *area.aliases,
                                 *(link.name for link in area.icbs)))]


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
