"""Build the project's indicator snapshot (``data/indicators/``) and add Fingertips exports to it.

Four files make the snapshot:

* ``catalogue.csv``: one row per indicator of the hand-kept ``definitions.yaml`` (see
  :mod:`jointwork.build.catalogue`): id, name, title, unit, polarity, the high impact areas it
  measures, whether figures are held and where they come from.
* ``values.csv``: tidy figures for every current English upper-tier local authority (LA), the
  9 regions and England, for each indicator with figures. Published figures are copied as they are;
  anything jointwork works out itself (regions added up from LA counts, areas that have changed
  since the data were published) says so in ``status`` and ``note``. An area with no published
  figure gets an empty value and a note, never an estimate.
* ``provenance.json``: where each indicator's figures came from (file, hash, address, checks, gaps).
* ``README.md``: the data log, written from the three above.

:func:`build_indicators` makes the snapshot from the public files (the Fingertips export of 90284
and the DfE file for the good level of development) and keeps every indicator imported since;
:func:`import_fingertips` adds the indicators of any Fingertips "all data" export. The output is
byte-identical whenever the inputs are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from ..core.licence import ATTRIBUTION, OGL
from ..core.paths import data_dir
from .catalogue import (
    CATALOGUE_COLUMNS,
    FINGERTIPSNEXT_FILE,
    Definitions,
    catalogue_rows,
    check_fingertipsnext,
    load_definitions,
)
from .fingertips import (
    CALCULATED,
    ENGLAND_CODE,
    PUBLISHED,
    VALUE_COLUMNS,
    Part,
    Places,
    complete_rows,
    fill_latest,
    is_check_warning,
    read_export,
    sha12,
    worked_out,
)

INJURY = "injury_admissions_0_14"
GLD = "good_level_of_development"
LA_FILE = "dfe_la_codes_2025_england.csv"
FINGERTIPS_FILE = "fingertips_90284_injury_admissions_0to14_utla502.csv"
EYFSP_FILE = "dfe_eyfsp_headline_measures_2022.csv"
OUTPUTS = ("catalogue.csv", "values.csv", "provenance.json", "README.md")
PROVENANCE = "provenance.json"
PROVENANCE_FORMAT = 1
LEVEL_ORDER = {"england": 0, "region": 1, "la": 2}
REBUILD = "jointwork data build-indicators --from ../shared/data"
INDICATOR_HEADER = (
    "| key | Fingertips id | name | unit | polarity | 2021 high impact area | 2026 high impact area | "
    "figures held | to re-check online |\n|---|---|---|---|---|---|---|---|---|"
)

LA_COLUMNS = ("new_la_code", "la_name", "region_code", "region_name")
EYFSP_COLUMNS = (
    "time_period",
    "geographic_level",
    "region_code",
    "new_la_code",
    "lad_code",
    "characteristic",
    "characteristic_type",
    "gender",
    "children_number",
    "gld_number",
    "gld_percentage",
)
# Cumbria county (E10000006) was split in April 2023; DfE's district rows make up the two new councils.
CUMBRIA_CODE = "E10000006"
CUMBRIA_SPLIT = {
    "E06000063": ("Cumberland", {"E07000026": "Allerdale", "E07000028": "Carlisle", "E07000029": "Copeland"}),
    "E06000064": (
        "Westmorland and Furness",
        {"E07000027": "Barrow-in-Furness", "E07000030": "Eden", "E07000031": "South Lakeland"},
    ),
}


@dataclass(frozen=True)
class SourceFile:
    """A public file the build reads, with what the data log says about it."""

    name: str
    publisher: str
    vintage: str
    used_for: str


LA_SOURCE = SourceFile(
    LA_FILE, "Department for Education (dfeR package, from ONS)", "2025", "the current upper-tier LAs, names, regions"
)
FINGERTIPSNEXT_SOURCE = SourceFile(
    FINGERTIPSNEXT_FILE,
    "Department of Health and Social Care, FingertipsNext (development subset)",
    "35 indicators",
    "checks the titles, polarities and value types the catalogue copies from it",
)
FINGERTIPS_SOURCE = SourceFile(
    FINGERTIPS_FILE,
    "OHID Fingertips (export of indicator 90284, area type 502 plus England)",
    "2010/11 to 2023/24",
    INJURY,
)
EYFSP_SOURCE = SourceFile(
    EYFSP_FILE, "Department for Education, Explore Education Statistics", "2021/22 academic year", GLD
)
GLD_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "early-years-foundation-stage-profile-results/2021-22"
)


@dataclass
class BuildReport:
    """What a build or an import wrote, what it checked, and what it could not fill."""

    out_dir: Path
    catalogue: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)  # an import: rows added, replaced and kept, per indicator

    @property
    def indicators(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        """Plain text for the command line and the data log."""
        lines = [
            f"Wrote {self.indicators} indicators with figures (of {self.catalogue} in the catalogue), "
            f"{sum(self.rows.values())} rows to {self.out_dir}"
        ]
        lines += [
            f"  {key}: {n} rows, latest period {self.latest[key]} ({self.origin[key]})" for key, n in self.rows.items()
        ]
        lines += ["Checks:"] + [f"  {line}" for line in self.checks]
        lines += [f"No figure in the latest period ({len(self.missing)}):"] + [f"  {m}" for m in self.missing]
        lines += [f"Warnings ({len(self.warnings)}):"] + [f"  {w}" for w in self.warnings]
        return "\n".join(lines)


# ---- The build -------------------------------------------------------------------------------
def build_indicators(source_dir: Path, out_dir: Path, definitions: Path | None = None) -> BuildReport:
    """Read the public files in ``source_dir`` and write the snapshot to ``out_dir``.

    Indicators imported into ``out_dir`` earlier (``jointwork data import-fingertips``) are kept as
    they are; the others with a source in the definitions are built from ``source_dir``.
    """
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    defs = load_definitions(definitions)
    reference = [_reference(source_dir, LA_SOURCE)]
    checked: list[str] = []
    if (source_dir / FINGERTIPSNEXT_FILE).is_file():
        checked = check_fingertipsnext(defs, source_dir / FINGERTIPSNEXT_FILE)
        reference.append(_reference(source_dir, FINGERTIPSNEXT_SOURCE))
    las = _read(source_dir / LA_FILE, LA_COLUMNS)
    places = Places.from_frame(las, _aliases())
    kept, _, _ = read_snapshot(out_dir, defs)
    parts = {key: part for key, part in kept.items() if part.origin == "import"}
    for entry in defs.indicators:
        if entry["key"] in parts or not entry.get("figures"):
            continue
        if entry["figures"] == "fingertips":
            part = _fingertips_part(source_dir, entry, defs, places)
        else:
            part = _gld_part(source_dir / EYFSP_FILE, entry["key"], places)
        parts[part.key] = part
    if checked:
        parts_checks = (
            f"catalogue: title, polarity and value type of {', '.join(checked)} agree with {FINGERTIPSNEXT_FILE}"
        )
    else:
        parts_checks = ""
    return write_snapshot(out_dir, defs, parts, reference, [parts_checks] if parts_checks else [])


def _fingertips_part(source_dir: Path, entry: dict, defs: Definitions, places: Places) -> Part:
    """The build's Fingertips export for ``entry`` (90284 in the reference data)."""
    path = source_dir / FINGERTIPS_FILE
    if str(entry["fingertips_id"]) != "90284":
        raise InputError(
            defs.path, f"{entry['key']}.figures", "'fingertips' only for 90284 (the export the build reads)"
        )
    if not path.is_file():
        raise InputError(path, "file", "a published source file here (see the data log for where it comes from)")
    (part,) = [p for p in read_export(path, defs, places, origin="build") if p.key == entry["key"]]
    return part


def _reference(source_dir: Path, source: SourceFile) -> dict[str, str]:
    path = source_dir / source.name
    if not path.is_file():
        raise InputError(path, "file", "a published source file here (see the data log for where it comes from)")
    return {
        "name": source.name,
        "publisher": source.publisher,
        "vintage": source.vintage,
        "used_for": source.used_for,
        "sha256": sha12(path),
    }


def _aliases() -> dict[str, str]:
    """Former codes of today's areas, from the project's area tables."""
    return dict(Places.from_area_tables().aliases)


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A source file as text columns (empty cells as NA), after checking it has ``columns``."""
    if not path.is_file():
        raise InputError(path, "file", "a published source file here (see the data log for where it comes from)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    for column in columns:
        if column not in frame.columns:
            raise InputError(path, column, f"a column named '{column}'")
    return frame


def _numbers(frame: pd.DataFrame, columns: dict[str, str], path: Path) -> pd.DataFrame:
    """Source columns as numbers under new names; a cell that is neither empty nor a number is an error."""
    out = pd.DataFrame(index=frame.index)
    for column, name in columns.items():
        out[name] = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & out[name].isna()
        if bad.any():
            line = int(bad.to_numpy().nonzero()[0][0]) + 2 if frame.index.is_monotonic_increasing else None
            raise InputError(path, column, "a number or an empty cell", got=frame.loc[bad, column].iloc[0], line=line)
    return out


def _gld_part(path: Path, key: str, places: Places) -> Part:
    """DfE good level of development, all children: England, regions and LAs mapped to today's LAs."""
    raw = _read(path, EYFSP_COLUMNS)
    raw.index = raw.index + 2  # the file's line numbers (the header is line 1)
    total = raw[
        (raw["characteristic"] == "Total") & (raw["characteristic_type"] == "Total") & (raw["gender"] == "Total")
    ]
    year = total["time_period"].max()
    total = total[total["time_period"] == year]
    if total.empty:
        raise InputError(path, "characteristic", "rows with characteristic, characteristic_type and gender 'Total'")
    period = f"{year[:4]}/{year[4:]}"
    period_sort = int(f"{year[:4]}0000")
    numbers = _gld_numbers(total, path)
    tidy = pd.concat([total[["geographic_level", "region_code", "new_la_code", "lad_code"]], numbers], axis=1)
    tidy = tidy.assign(key=key, period=period, period_sort=period_sort, note=pd.NA, status=PUBLISHED)
    level = tidy["geographic_level"]
    england = tidy[level == "National"].assign(
        area_code=ENGLAND_CODE, area_name="England", area_level="england", region_code=pd.NA
    )
    regional = tidy[(level == "Regional") & tidy["region_code"].isin(places.regions.index)]
    regional = regional.assign(
        area_code=regional["region_code"], area_level="region", area_name=regional["region_code"].map(places.regions)
    )
    la_rows = tidy[(level == "Local authority") & (tidy["new_la_code"] != CUMBRIA_CODE)]
    warnings: list[str] = []
    local = _dfe_to_current(la_rows, places, path, warnings)
    local = pd.concat(
        [local, _cumbria_split(tidy[level == "Local authority district"], key, places)], ignore_index=True
    )
    local = fill_latest(local, places, key, period, period_sort, "the DfE file")
    if len(england) != 1 or len(regional) != len(places.regions):
        raise InputError(path, "geographic_level", "one National row and a Regional row for each of the 9 regions")
    checks = _check_gld_totals(key, local, england, warnings)
    empty = local[local["value"].isna()].sort_values("area_code")
    missing = [f"{key} {period}: {r.area_code} {r.area_name}: {r.note}" for r in empty.itertuples()]
    return Part(
        key=key,
        rows=pd.concat([england, regional, local], ignore_index=True),
        origin="build",
        file=path.name,
        sha256=sha12(path),
        publisher="Department for Education (DfE)",
        source_title="Early years foundation stage profile results, 2021/22 (headline measures)",
        url=GLD_URL,
        vintage=period,
        latest=period,
        regions="published in the DfE file",
        checks=checks,
        missing=missing,
        warnings=warnings,
    )


def _gld_numbers(total: pd.DataFrame, path: Path) -> pd.DataFrame:
    columns = {"gld_percentage": "value", "gld_number": "count", "children_number": "denominator"}
    out = pd.DataFrame(index=total.index)
    for column, name in columns.items():
        out[name] = pd.to_numeric(total[column], errors="coerce")
        bad = total[column].notna() & out[name].isna()
        if bad.any():
            raise InputError(
                path,
                column,
                "a number or an empty cell",
                line=int(total.index[bad][0]),
                got=total.loc[bad, column].iloc[0],
            )
    return out


def _dfe_to_current(rows: pd.DataFrame, places: Places, path: Path, warnings: list[str]) -> pd.DataFrame:
    """DfE LA rows under today's codes (former codes of the same area through the aliases)."""
    rows = rows.copy()
    rows["area_code"] = rows["new_la_code"].map(lambda c: places.aliases.get(c, c))
    recoded = rows["area_code"] != rows["new_la_code"]
    rows.loc[recoded, "note"] = [
        f"published under the former code {old} of {places.las.at[new, 'la_name']}"
        for old, new in zip(rows.loc[recoded, "new_la_code"], rows.loc[recoded, "area_code"], strict=True)
    ]
    unknown = sorted(set(rows.loc[~rows["area_code"].isin(places.las.index), "new_la_code"]))
    if unknown:
        warnings.append(f"{path.name}: left out codes that are not current LAs: {', '.join(unknown)}")
    rows = rows[rows["area_code"].isin(places.las.index)]
    return rows.assign(
        area_name=rows["area_code"].map(places.las["la_name"]),
        area_level="la",
        region_code=rows["area_code"].map(places.las["region_code"]),
    )


def _cumbria_split(districts: pd.DataFrame, key: str, places: Places) -> pd.DataFrame:
    """Cumberland and Westmorland and Furness added up from the former Cumbrian districts, where all are present."""
    out = []
    for code, (_, parts) in CUMBRIA_SPLIT.items():
        rows = districts[districts["lad_code"].isin(parts)]
        if set(rows["lad_code"]) != set(parts):
            continue
        count, denominator = rows["count"].sum(), rows["denominator"].sum()
        period = rows["period"].iloc[0]
        out.append(
            {
                "key": key,
                "area_code": code,
                "area_name": places.las.at[code, "la_name"],
                "area_level": "la",
                "region_code": places.las.at[code, "region_code"],
                "period": period,
                "period_sort": rows["period_sort"].iloc[0],
                "value": round(count / denominator * 100, 1),
                "count": count,
                "denominator": denominator,
                "status": CALCULATED,
                "note": f"calculated by jointwork from the {period} figures for the former districts of "
                f"{', '.join(parts.values())}; DfE published Cumbria county ({CUMBRIA_CODE}) before "
                "it was split in April 2023",
            }
        )
    return pd.DataFrame(out)


def _check_gld_totals(key: str, local: pd.DataFrame, england: pd.DataFrame, warnings: list[str]) -> list[str]:
    """Today's LAs should add up to England's published numbers (nothing lost or counted twice)."""
    published = england.iloc[0]
    count, denominator = local["count"].sum(), local["denominator"].sum()
    if (count, denominator) == (published["count"], published["denominator"]):
        return [
            f"{key}: today's LAs add up to England's published {int(count):,} of "
            f"{int(denominator):,} children ({published['value']}%)"
        ]
    warnings.append(
        f"{key}: today's LAs add up to {int(count):,} of {int(denominator):,} children, not England's published "
        f"{int(published['count']):,} of {int(published['denominator']):,}"
    )
    return []


# ---- Importing Fingertips exports ------------------------------------------------------------
def import_fingertips(
    files: list[Path],
    out_dir: Path | None = None,
    *,
    definitions: Path | None = None,
    places: Places | None = None,
    urls: dict[str, str] | None = None,
    retrieved: str = "",
) -> BuildReport:
    """Add the indicators of Fingertips "all data" CSV exports to the snapshot in ``out_dir``.

    An import merges: the rows a file holds (indicator, area, period) replace the snapshot's, and the
    snapshot's other rows of that indicator are kept, so a partial export does not cut a fuller series.
    ``report.merges`` says, for each indicator, how many rows were added, replaced and kept. Nothing is
    written unless every file reads cleanly. ``urls`` gives, by file name, the address a file was
    downloaded from.
    """
    out_dir = Path(out_dir or data_dir() / "indicators")
    defs = load_definitions(definitions)
    places = places or Places.from_area_tables()
    if not files:
        raise InputError("argument", "FILE", "one or more Fingertips export files")
    new: dict[str, Part] = {}
    for path in files:
        path = Path(path)
        url = (urls or {}).get(path.name, "")
        label = f"{url} (downloaded to {path})" if url else str(path)
        for part in read_export(path, defs, places, label=label, url=url, retrieved=retrieved):
            new[part.key] = part
    parts, reference, checks = read_snapshot(out_dir, defs)
    merges = []
    for key, part in new.items():
        parts[key], said = _merged(parts.get(key), part, defs, places)
        merges.append(said)
    report = write_snapshot(out_dir, defs, parts, reference, checks)
    report.added = list(new)
    report.merges = merges
    return report


def _merged(old: Part | None, new: Part, definitions: Definitions, places: Places) -> tuple[Part, str]:
    """``new`` merged into the snapshot's ``old`` part of the same indicator, and a sentence saying how.

    The published rows of the file replace those of the snapshot with the same area and period; the
    snapshot's other published rows stay. What jointwork works out (empty rows for the latest period,
    regions from counts, the England check) is then worked out again over the merged rows."""
    if old is None:
        return new, f"{new.key}: {len(new.rows)} rows added (not held before)"
    if old.publisher != new.publisher:
        return new, (
            f"{new.key}: replaced the {len(old.rows)} rows from {old.file} ({old.publisher}, another source) "
            f"with the {len(new.rows)} rows of {new.file}"
        )
    keys = ["area_code", "period"]
    mine = old.rows[~worked_out(old.rows)]
    theirs = new.rows[~worked_out(new.rows)]
    held = set(zip(mine["area_code"], mine["period"], strict=True))
    given = set(zip(theirs["area_code"], theirs["period"], strict=True))
    kept = mine[[key not in given for key in zip(mine["area_code"], mine["period"], strict=True)]]
    said = (
        f"{new.key}: {len(given - held)} rows added, {len(given & held)} replaced, {len(kept)} kept from the snapshot"
    )
    if kept.empty:
        return new, said
    rows = (
        pd.concat([kept, theirs], ignore_index=True)
        .drop(columns=[c for c in ("line",) if c in kept])
        .sort_values(["period_sort", *keys], kind="stable")
    )
    entry = next(item for item in definitions.indicators if item["key"] == new.key)
    warnings = [w for w in dict.fromkeys([*old.warnings, *new.warnings]) if not is_check_warning(w)]
    out, checks, missing, latest, how = complete_rows(
        entry,
        rows[rows["area_level"] == "england"],
        rows[rows["area_level"] == "region"],
        rows[rows["area_level"] == "la"],
        places,
        warnings,
    )
    periods = out.sort_values("period_sort")["period"]
    merged = Part(
        key=new.key,
        rows=out,
        origin="import",
        file=f"{old.file}; {new.file}",
        sha256=f"{old.sha256}; {new.sha256}",
        publisher=new.publisher,
        source_title=new.source_title,
        url=new.url,
        vintage=f"{periods.iloc[0]} to {periods.iloc[-1]}" if periods.iloc[0] != latest else latest,
        latest=latest,
        regions=how,
        retrieved=new.retrieved or old.retrieved,
        checks=checks,
        missing=missing,
        warnings=warnings,
    )
    return merged, said + f" ({len(out)} rows now)"


# ---- The snapshot: reading what is there, writing it all --------------------------------------
def _values_frame(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        path,
        dtype={
            **{c: str for c in VALUE_COLUMNS if c not in ("value", "lower_ci", "upper_ci", "count", "denominator")},
            "period_sort": "int64",
            "count": "Int64",
            "denominator": "Int64",
        },
        keep_default_na=False,
        na_values={c: [""] for c in VALUE_COLUMNS if c not in ("key", "area_code", "period", "period_sort")},
    )
    for column in VALUE_COLUMNS:
        if column not in frame.columns:
            raise InputError(path, column, f"a column named '{column}' (rebuild with `{REBUILD}`)")
    return frame


def read_snapshot(out_dir: Path, definitions: Definitions) -> tuple[dict[str, Part], list[dict[str, str]], list[str]]:
    """The parts a snapshot folder holds (with their rows), its reference files and the build's checks of the
    catalogue; all empty if there is no snapshot there."""
    provenance, values = Path(out_dir) / PROVENANCE, Path(out_dir) / "values.csv"
    if not provenance.is_file() or not values.is_file():
        return {}, [], []
    try:
        record = json.loads(provenance.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(provenance, "file", f"the snapshot's provenance as JSON; rebuild with `{REBUILD}`") from exc
    if not isinstance(record, dict) or record.get("format") != PROVENANCE_FORMAT:
        raise InputError(provenance, "format", f"format {PROVENANCE_FORMAT}; rebuild with `{REBUILD}`")
    frame = _values_frame(values)
    parts = {}
    for item in record.get("parts", []):
        if item["key"] not in definitions.keys:
            continue  # an indicator taken out of the catalogue goes with its rows
        rows = frame[frame["key"] == item["key"]].reset_index(drop=True)
        fields = {k: v for k, v in item.items() if k != "rows"}
        parts[item["key"]] = Part(rows=rows, **fields)
    return parts, list(record.get("reference", [])), list(record.get("checks", []))


def _tidy(values: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The output columns, types and a stable order."""
    values = values.reindex(columns=VALUE_COLUMNS).copy()
    for column in ("value", "lower_ci", "upper_ci"):
        values[column] = pd.to_numeric(values[column]).astype("Float64")
    for column in ("count", "denominator"):
        values[column] = pd.to_numeric(values[column]).round().astype("Int64")
    values["period_sort"] = values["period_sort"].astype("int64")
    values = values.assign(_key=values["key"].map(keys.index), _level=values["area_level"].map(LEVEL_ORDER))
    values = values.sort_values(["_key", "period_sort", "period", "_level", "area_code"], kind="stable")
    return values.drop(columns=["_key", "_level"]).reset_index(drop=True)


def write_snapshot(
    out_dir: Path,
    definitions: Definitions,
    parts: dict[str, Part],
    reference: list[dict[str, str]],
    catalogue_checks: list[str],
) -> BuildReport:
    """Write catalogue.csv, values.csv, provenance.json and README.md for ``parts``; return the report."""
    out_dir = Path(out_dir)
    keys = definitions.keys
    ordered = [parts[k] for k in keys if k in parts]
    held = {p.key: {"publisher": p.publisher, "source_title": p.source_title, "url": p.url} for p in ordered}
    catalogue = pd.DataFrame(catalogue_rows(definitions, held), columns=CATALOGUE_COLUMNS)
    frames = [p.rows.reindex(columns=VALUE_COLUMNS) for p in ordered]
    values = _tidy(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=VALUE_COLUMNS), keys)
    report = BuildReport(out_dir=out_dir, catalogue=len(keys), checks=list(catalogue_checks))
    for part in ordered:
        part.rows = values[values["key"] == part.key]
        report.rows[part.key] = len(part.rows)
        report.latest[part.key] = part.latest
        report.origin[part.key] = ("built from " if part.origin == "build" else "imported from ") + part.file
        report.checks += part.checks
        report.missing += part.missing
        report.warnings += part.warnings
    provenance = {
        "format": PROVENANCE_FORMAT,
        "checks": list(catalogue_checks),
        "reference": reference,
        "parts": [p.record() for p in ordered],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(catalogue, out_dir / "catalogue.csv")
    _write_csv(values, out_dir / "values.csv")
    (out_dir / PROVENANCE).write_text(
        json.dumps(provenance, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
    )
    (out_dir / "README.md").write_text(
        _data_log(definitions, catalogue, ordered, reference, report), encoding="utf-8", newline="\n"
    )
    return report


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _cell(text: object) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def _data_log(
    definitions: Definitions,
    catalogue: pd.DataFrame,
    parts: list[Part],
    reference: list[dict[str, str]],
    report: BuildReport,
) -> str:
    """The README.md written beside the tables: indicators, sources, method, checks, gaps and attribution."""
    indicators = "\n".join(
        f"| `{r.key}` | {r.fingertips_id} | {_cell(r.name)} | {r.unit} | {r.polarity} | "
        f"{_cell(r.hia_2021_title) or 'none'} | {_cell(r.hia_2026_title) or 'not linked yet'} | "
        f"{r.figures_held} | {_cell(r.recheck) or 'none'} |"
        for r in catalogue.itertuples()
    )
    files = [
        *(
            f"| `{s['name']}` | {s['publisher']} | {s['vintage']} | {OGL} | {s['used_for']} | `{s['sha256']}` |"
            for s in reference
        ),
        *(
            f"| `{p.file}` | {p.publisher} | {p.vintage} | {OGL} | "
            f"`{p.key}` ({'build' if p.origin == 'build' else 'imported'}"
            f"{', retrieved ' + p.retrieved if p.retrieved else ''}) | `{p.sha256}` |"
            for p in parts
        ),
    ]
    addresses = "\n".join(f"- `{p.key}`: {p.url}" for p in parts)
    not_held = [r for r in catalogue.itertuples() if r.figures_held != "yes"]
    to_fetch = ",".join(r.fingertips_id for r in not_held)
    regions = "\n".join(f"- `{p.key}`: regions {p.regions}" for p in parts)
    sources = "\n".join(
        f"- `{key}`: {s.get('publisher', '') + ', ' if s.get('publisher') else ''}{s['title']}"
        + (f" ({s['url']})" if s.get("url") else "")
        for key, s in definitions.sources.items()
    )
    summary = report.summary().replace(str(report.out_dir), "this folder")
    return f"""# Indicator snapshot: data log

The project's own compact extract of published child-health indicators for product 2 (health
priorities): a catalogue of {len(catalogue)} indicators, each tied to the Healthy Child Programme high
impact areas it helps to measure, and the figures held for {len(parts)} of them. Each area's figure
sits beside its region's and England's, with the period and source. Do not edit `catalogue.csv`,
`values.csv`, `provenance.json` or this file by hand: edit `definitions.yaml` and rebuild, or import.

## How to rebuild, import and fetch

From the repository root, with the public files in `../shared/data`:

    {REBUILD}

rebuilds the catalogue from `definitions.yaml` and the figures of the indicators it has sources for,
and keeps every indicator imported since. To add the figures of any catalogue indicator from a
Fingertips "all data" CSV export (upper-tier LAs, area type 402 or 502):

    jointwork data import-fingertips FILE [FILE ...]

(an import merges: the rows a file holds, by indicator, area and period, replace the snapshot's,
the indicator's other rows are kept, and the command says how many were added, replaced and kept),
or, on a machine that is online, download and import in one step (all catalogue indicators, or
those named):

    jointwork data fetch-indicators --ids {to_fetch or "92517,93085"}

(`make data` runs the build; in Python: `jointwork.build.indicators.build_indicators(source_dir,
out_dir)` and `import_fingertips(files)`.) The output is byte-identical whenever the inputs are.

## Files

- `definitions.yaml` (kept by hand): the indicators, their high impact areas and sources, and the
  former areas whose figures are not given to today's councils.
- `catalogue.csv`: one row per indicator: key, Fingertips id, plain-English name, title, unit,
  polarity, value type, sex and age kept, how regions are got, 2021 and 2026 high impact areas (ids
  and titles), why it sits there, where its metadata comes from, the fields to re-check online,
  whether figures are held, publisher, source title, address, licence, note.
- `values.csv`: one row per indicator, area and period: key, area code and name, level (`england`,
  `region`, `la`), region code, period and its sort key, value, 95% confidence limits, count,
  denominator, status (`published`, `calculated`, `combined`, `in combined area`, `suppressed`,
  `not published`, `former area`), the areas a combined figure covers, the publisher's recent trend,
  note. Current upper-tier LAs (153), the 9 regions and England.
- `provenance.json`: for each indicator with figures, the file, its hash, the address, how regions
  were got, the checks, the gaps and the warnings (this log is written from it).

## Indicators

{INDICATOR_HEADER}
{indicators}

Only area 1 of the six 2026 areas for ages 0 to 5 ("The transition to parenthood") is named in a
stored source; the others are to be completed from the framework, so no indicator is linked to
them yet. The links are jointwork's reading of each area's scope (see `link_note` in the catalogue).
Titles, units and polarities not marked as coming from the FingertipsNext metadata file or a real
export are the project's own record: check the fields in "to re-check online" against Fingertips
before publishing figures (an import warns when an export's title differs from the catalogue's).

Sources of the definitions:

{sources}

## Sources of the figures

| file | publisher | vintage | licence | used for | sha256 (first 12) |
|---|---|---|---|---|---|
{chr(10).join(files)}

Addresses:

{addresses}

## How the figures were derived

- Fingertips exports: the rows without a category (deprivation-decile rows dropped), for Persons
  (or the catalogue's sex and age band, e.g. Female for smoking at delivery); a row repeated as a
  parent area (England) kept once; every period. Values, confidence limits, counts, denominators,
  value notes and the published recent trend are copied as published. A note saying a value is for
  two areas combined (Cornwall and Isles of Scilly; Hackney and City of London) marks the row with a
  value `combined` and the other `in combined area`, with the partner in `combined_with`;
  suppressed and withheld values stay empty with their note.
- Codes: an area published under a former code of the same area (Barnsley, Sheffield, North
  Yorkshire, Somerset, Buckinghamshire) is mapped through the area tables' aliases
  (`data/areas/aliases.csv`), with a note. A former area that was split or merged (Cumbria,
  Northamptonshire, Bournemouth, Poole, the old Dorset county; see `definitions.yaml`) gives its
  successors an empty row "not published for today's area": jointwork never divides a figure.
- Regions: taken from the export when it has regional rows. Otherwise, for proportions and crude
  rates (`regions: from counts`), jointwork adds each region up from its LAs' counts and
  denominators, with 95% limits by Wilson's score method (proportions) or Byar's method (rates), and
  checks England worked out the same way against the published England figure (see the summary).
  A region is left empty for a period when any of its LAs has no published count; a combined area
  counts for both of its LAs. Rounded LA counts (multiples of 5 in 90284 from 2012/13) can move a
  region a little. Other kinds of figure (estimates, scores, counts) get no region unless published.

{regions}
- `{GLD}` until a Fingertips export of 90631 is imported: the DfE 2021/22 rows where
  characteristic, characteristic type and gender are all `Total`; the published England and
  regional (not Inner/Outer London) rows are used as they are. The file uses the LA codes of
  2021/22: North Yorkshire (E10000023) and Somerset (E10000027) are mapped through the aliases;
  Cumbria (E10000006) was split, so Cumberland (Allerdale, Carlisle, Copeland) and Westmorland and
  Furness (Barrow-in-Furness, Eden, South Lakeland) are added up from the district rows of the same
  file, with the percentage rounded to one decimal place as DfE does.
- A current LA with no published figure in the latest period keeps a row with an empty value and a
  note saying so. jointwork never estimates a missing figure.

## Build summary

```
{summary}
```

## Licence and attribution

The source data are published under the {OGL}; so are these derived tables.

{ATTRIBUTION}
"""
