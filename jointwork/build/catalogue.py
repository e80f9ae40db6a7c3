"""The indicator catalogue: read the hand-kept ``data/indicators/definitions.yaml`` and turn it into rows.

The definitions say, for each indicator product 2 shows, its Fingertips id, name, title, unit,
polarity and kind of value, and the Healthy Child Programme high impact areas it measures (2021,
and 2026 where the 2026 area is known). :func:`check_fingertipsnext` compares them with the
FingertipsNext metadata file, so that what is copied from it stays copied faithfully.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import InputError
from ..core.licence import OGL
from ..core.paths import data_dir

DEFINITIONS = "definitions.yaml"
FINGERTIPSNEXT_FILE = "fingertipsnext_indicators.csv"
FINGERTIPS_PUBLISHER = "Office for Health Improvement and Disparities (OHID), Fingertips"
API_BASE = "https://fingertips.phe.org.uk/api/"
EXPORT_PATH = "all_data/csv/by_indicator_id"
CHILD_AREA_TYPE = 502  # upper-tier local authorities from April 2023
PARENT_AREA_TYPE = 15  # England

UNITS = {"%": 100, "per 1,000": 1_000, "per 10,000": 10_000, "per 100,000": 100_000, "score": None, "people": None}
POLARITIES = ("higher is better", "lower is better", "no judgement")
REGION_METHODS = ("from counts", "not calculated")
METADATA = ("fingertipsnext", "export", "jointwork")
FIGURES = ("fingertips", "dfe_eyfsp")
RECHECKABLE = ("fingertips_id", "title", "unit", "polarity", "value_type", "sex", "age")
POLARITY_WORDS = {"Low is good": "lower is better", "High is good": "higher is better", "No judgement": "no judgement"}

REQUIRED = ("key", "fingertips_id", "id_source", "name", "title", "unit", "polarity", "value_type", "regions")
CATALOGUE_COLUMNS = [
    "key",
    "fingertips_id",
    "name",
    "title",
    "unit",
    "polarity",
    "value_type",
    "sex",
    "age",
    "regions",
    "hia_2021",
    "hia_2021_title",
    "hia_2026",
    "hia_2026_title",
    "link_note",
    "metadata",
    "recheck",
    "figures_held",
    "publisher",
    "source_title",
    "url",
    "licence",
    "note",
]


def export_url(
    fingertips_id: int | str,
    child_area_type: int = CHILD_AREA_TYPE,
    parent_area_type: int = PARENT_AREA_TYPE,
    base: str = API_BASE,
) -> str:
    """The Fingertips API address of the "all data" CSV export of one indicator."""
    return (
        f"{base.rstrip('/')}/{EXPORT_PATH}?indicator_ids={fingertips_id}"
        f"&child_area_type_id={child_area_type}&parent_area_type_id={parent_area_type}"
    )


@dataclass(frozen=True)
class FormerArea:
    """An upper-tier area that no longer exists: its figures are not given to today's councils."""

    code: str
    name: str
    change: str
    when: str
    successors: tuple[str, ...]


@dataclass(frozen=True)
class Definitions:
    """The hand-kept definitions: sources, high impact areas, former areas and indicators (in order)."""

    path: Path
    sources: dict[str, dict[str, Any]]
    high_impact_areas: dict[str, dict[str, Any]]
    former_areas: dict[str, FormerArea]
    indicators: tuple[dict[str, Any], ...]

    def by_key(self, key: str) -> dict[str, Any]:
        return next(i for i in self.indicators if i["key"] == key)

    def by_fingertips_id(self) -> dict[str, dict[str, Any]]:
        return {str(i["fingertips_id"]): i for i in self.indicators}

    @property
    def keys(self) -> list[str]:
        return [i["key"] for i in self.indicators]


def definitions_path() -> Path:
    """Where the hand-kept definitions live: ``data/indicators/definitions.yaml``."""
    return data_dir() / "indicators" / DEFINITIONS


def load_definitions(path: Path | None = None) -> Definitions:
    """Read and check the definitions file; a wrong entry names the file, the field and what was expected."""
    path = Path(path or definitions_path())
    if not path.is_file():
        raise InputError(path, "file", "the hand-kept indicator definitions (data/indicators/definitions.yaml)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(path, "file", f"valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise InputError(path, "file", "a mapping with sources, high_impact_areas, former_areas and indicators")
    sources = raw.get("sources") or {}
    hias = {h["id"]: h for h in raw.get("high_impact_areas") or []}
    former = {
        f["code"]: FormerArea(f["code"], f["name"], f["change"], f["when"], tuple(f["successors"]))
        for f in raw.get("former_areas") or []
    }
    indicators = []
    seen_keys: set[str] = set()
    seen_ids: set[str] = set()
    for number, entry in enumerate(raw.get("indicators") or [], start=1):
        where = f"indicators[{number}]" + (f" ({entry.get('key')})" if isinstance(entry, dict) else "")
        if not isinstance(entry, dict):
            raise InputError(path, where, "a mapping of indicator fields")
        for name in REQUIRED:
            if entry.get(name) in (None, ""):
                raise InputError(path, f"{where}.{name}", f"a value for '{name}'")
        _one_of(path, where, entry, "unit", tuple(UNITS))
        _one_of(path, where, entry, "polarity", POLARITIES)
        _one_of(path, where, entry, "regions", REGION_METHODS)
        _one_of(path, where, entry, "metadata", METADATA)
        if entry.get("figures") is not None:
            _one_of(path, where, entry, "figures", FIGURES)
        if entry["id_source"] not in sources:
            raise InputError(path, f"{where}.id_source", "a key of 'sources'", got=entry["id_source"])
        for era in ("hia_2021", "hia_2026"):
            for hia in entry.get(era) or []:
                if hia not in hias or hias[hia]["framework"] != era[-4:]:
                    raise InputError(path, f"{where}.{era}", f"ids of {era[-4:]} areas in 'high_impact_areas'", got=hia)
        for name in entry.get("recheck") or []:
            if name not in RECHECKABLE:
                raise InputError(path, f"{where}.recheck", "field names among " + ", ".join(RECHECKABLE), got=name)
        if entry["key"] in seen_keys or str(entry["fingertips_id"]) in seen_ids:
            raise InputError(path, where, "a key and a Fingertips id used by no other indicator")
        seen_keys.add(entry["key"])
        seen_ids.add(str(entry["fingertips_id"]))
        indicators.append(entry)
    if not indicators:
        raise InputError(path, "indicators", "at least one indicator")
    return Definitions(path, sources, hias, former, tuple(indicators))


def _one_of(path: Path, where: str, entry: dict[str, Any], name: str, allowed: tuple[str, ...]) -> None:
    if entry.get(name) not in allowed:
        raise InputError(path, f"{where}.{name}", "one of " + ", ".join(repr(a) for a in allowed), got=entry.get(name))


def check_fingertipsnext(definitions: Definitions, path: Path) -> list[str]:
    """Indicators marked ``metadata: fingertipsnext`` must carry that file's title, polarity and value type.

    Returns one line per indicator checked; raises :class:`InputError` naming the field that disagrees.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for column in ("IndicatorID", "Polarity", "ValueType", "IndicatorName"):
            if column not in (reader.fieldnames or []):
                raise InputError(path, column, f"a column named '{column}'")
        metadata = {row["IndicatorID"]: row for row in reader}
    checked = []
    for entry in definitions.indicators:
        row = metadata.get(str(entry["fingertips_id"]))
        if entry["metadata"] != "fingertipsnext":
            if row is not None:
                raise InputError(
                    definitions.path,
                    f"{entry['key']}.metadata",
                    f"'fingertipsnext', since {path.name} has indicator {entry['fingertips_id']}",
                    got=entry["metadata"],
                )
            continue
        if row is None:
            raise InputError(
                definitions.path, f"{entry['key']}.metadata", f"an indicator that {path.name} has", got="fingertipsnext"
            )
        wanted = {
            "title": row["IndicatorName"],
            "polarity": POLARITY_WORDS.get(row["Polarity"], "no judgement"),
            "value_type": row["ValueType"],
        }
        for name, value in wanted.items():
            if entry[name] != value:
                raise InputError(
                    definitions.path, f"{entry['key']}.{name}", f"{value!r}, as in {path.name}", got=entry[name]
                )
        checked.append(str(entry["fingertips_id"]))
    return checked


def _hia_titles(definitions: Definitions, ids: list[str]) -> str:
    return "; ".join(f"{h['number']}. {h['title']}" for h in (definitions.high_impact_areas[i] for i in ids))


def catalogue_rows(definitions: Definitions, held: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """One row per indicator, in the definitions' order; ``held`` gives the source of the figures held, by key."""
    rows = []
    for entry in definitions.indicators:
        fid = str(entry["fingertips_id"])
        source = held.get(entry["key"])
        recheck = list(entry.get("recheck") or [])
        rows.append(
            {
                "key": entry["key"],
                "fingertips_id": fid,
                "name": entry["name"],
                "title": entry["title"],
                "unit": entry["unit"],
                "polarity": entry["polarity"],
                "value_type": entry["value_type"],
                "sex": entry.get("sex") or "",
                "age": entry.get("age") or "",
                "regions": entry["regions"],
                "hia_2021": ";".join(entry.get("hia_2021") or []),
                "hia_2021_title": _hia_titles(definitions, entry.get("hia_2021") or []),
                "hia_2026": ";".join(entry.get("hia_2026") or []),
                "hia_2026_title": _hia_titles(definitions, entry.get("hia_2026") or []),
                "link_note": entry.get("link_note") or "",
                "metadata": {
                    "fingertipsnext": "title, polarity and value type from the FingertipsNext metadata file",
                    "export": "title, unit and polarity borne out by a real Fingertips export",
                    "jointwork": "jointwork's own record (the id is from the project's notes)",
                }[entry["metadata"]],
                "recheck": ", ".join(recheck),
                "figures_held": "yes" if source else "no",
                "publisher": source["publisher"] if source else FINGERTIPS_PUBLISHER,
                "source_title": source["source_title"] if source else f"{entry['title']}, indicator {fid}",
                "url": source["url"] if source else export_url(fid),
                "licence": OGL,
                "note": " ".join(str(entry.get("note") or "").split()),
            }
        )
    return rows
