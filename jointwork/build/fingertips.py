"""Read a Fingertips "all data" CSV export into the project's tidy rows, one indicator at a time.

The format is that of the real export of indicator 90284 in the reference data: one row per
indicator, area, sex, age, category and period, for upper-tier local authorities (area type 402 or
502), with England (and regions, when the export was asked for them) as parent areas. What this
reader does with it:

* keeps the plain rows (no category: deprivation-decile rows are dropped), for one sex and age band;
* keeps value notes as they are, and says in ``status`` what a note means for the figure: combined
  with another area (Cornwall with the Isles of Scilly), suppressed, or not published;
* maps codes to today's councils: a re-coded area through the area tables' aliases, a former area
  that was split or merged (Cumbria) to a plain "not published for today's area" on each successor;
* uses regional rows when the export has them, or else, for simple proportions and crude rates,
  adds each region up from its LAs' counts (saying so), and checks England the same way.

Every error names the file (or address), the column or line, and what was expected.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

import pandas as pd

from ..core.errors import InputError
from .catalogue import UNITS, Definitions

ENGLAND_CODE = "E92000001"
LA_PREFIXES = ("E06", "E08", "E09", "E10")
REGION_PREFIX = "E12"

COLUMNS = (
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
    "Value note",
    "Time period Sortable",
)
NUMBERS = {
    "Value": "value",
    "Lower CI 95.0 limit": "lower_ci",
    "Upper CI 95.0 limit": "upper_ci",
    "Count": "count",
    "Denominator": "denominator",
}
TREND = "Recent Trend"
VALUE_COLUMNS = [
    "key",
    "area_code",
    "area_name",
    "area_level",
    "region_code",
    "period",
    "period_sort",
    "value",
    "lower_ci",
    "upper_ci",
    "count",
    "denominator",
    "status",
    "combined_with",
    "recent_trend",
    "note",
]
# What a figure's row says about it (values.csv ``status``).
PUBLISHED = "published"
CALCULATED = "calculated"
COMBINED = "combined"  # a published figure that covers this area and another
IN_COMBINED = "in combined area"  # no figure of its own: counted in another area's combined figure
SUPPRESSED = "suppressed"
NOT_PUBLISHED = "not published"
FORMER_AREA = "former area"  # published only for an area that was split or merged

FILLED_ENDING = " has no row for it)"  # the end of the note of an empty row added by fill_latest
NO_REGIONS = "the Fingertips export has no regional figures, and jointwork does not add them up"
NOT_CALCULATED = "not calculated by jointwork for"
ENGLAND_CHECK = "England from LA counts"
NO_ENGLAND_CHECK = "so England could not be checked"
COMBINED_NOTE = re.compile(r"^Value for .+ combined", re.IGNORECASE)
SUPPRESSED_NOTE = re.compile(r"suppress", re.IGNORECASE)
ENGLAND_TOLERANCE = 0.005  # warn when England worked out from LA counts strays by more than 0.5%


@dataclass
class Part:
    """One indicator's rows and where they came from: what the snapshot and its data log keep."""

    key: str
    rows: pd.DataFrame
    origin: str  # "build" or "import"
    file: str
    sha256: str
    publisher: str
    source_title: str
    url: str
    vintage: str = ""
    latest: str = ""
    regions: str = ""
    retrieved: str = ""
    checks: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def record(self) -> dict[str, object]:
        """The part as the snapshot's ``provenance.json`` keeps it (everything but the rows)."""
        return {
            "key": self.key,
            "origin": self.origin,
            "file": self.file,
            "sha256": self.sha256,
            "publisher": self.publisher,
            "source_title": self.source_title,
            "url": self.url,
            "vintage": self.vintage,
            "latest": self.latest,
            "regions": self.regions,
            "retrieved": self.retrieved,
            "rows": len(self.rows),
            "checks": list(self.checks),
            "missing": list(self.missing),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Places:
    """Today's upper-tier LAs (code -> name, region), the regions, and the codes that led to them."""

    las: pd.DataFrame  # indexed by code: la_name, region_code
    regions: pd.Series  # region code -> name, in code order
    aliases: dict[str, str]  # former code of the same area -> today's code

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, aliases: dict[str, str]) -> Places:
        """From columns new_la_code, la_name, region_code, region_name (the DfE layout)."""
        las = frame.set_index("new_la_code")[["la_name", "region_code"]].sort_index()
        regions = frame.drop_duplicates("region_code").set_index("region_code")["region_name"].sort_index()
        return cls(las, regions, dict(aliases))

    @classmethod
    def from_area_tables(cls) -> Places:
        """From the project's area tables (``data/areas``), aliases included."""
        from ..core.areas import all_areas

        areas = all_areas()
        frame = pd.DataFrame(
            [
                {"new_la_code": a.code, "la_name": a.name, "region_code": a.region_code, "region_name": a.region}
                for a in areas
            ]
        )
        return cls.from_frame(frame, {alias: a.code for a in areas for alias in a.aliases})


def sha12(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def join_notes(*notes: object) -> object:
    """Notes joined with '; ', skipping empty ones; NA when all are empty."""
    kept = [str(n) for n in notes if n is not None and not (isinstance(n, float) and math.isnan(n)) and n is not pd.NA]
    kept = [n for n in kept if n]
    return "; ".join(kept) if kept else pd.NA


def byar(count: float, denominator: float, multiplier: float) -> tuple[float, float]:
    """95% confidence limits of a crude rate by Byar's method (as Fingertips uses)."""
    z = NormalDist().inv_cdf(0.975)
    lower = count * (1 - 1 / (9 * count) - z / (3 * count**0.5)) ** 3 if count > 0 else 0.0
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * (count + 1) ** 0.5)) ** 3
    return lower / denominator * multiplier, upper / denominator * multiplier


def wilson(count: float, denominator: float, multiplier: float = 100) -> tuple[float, float]:
    """95% confidence limits of a proportion by Wilson's score method (as Fingertips uses)."""
    z = NormalDist().inv_cdf(0.975)
    p = count / denominator
    centre = p + z * z / (2 * denominator)
    half = z * math.sqrt(p * (1 - p) / denominator + z * z / (4 * denominator * denominator))
    scale = 1 + z * z / denominator
    return (centre - half) / scale * multiplier, (centre + half) / scale * multiplier


def read_rows(path: Path, label: str | None = None) -> pd.DataFrame:
    """The export's rows as text (empty cells as NA), with the file ``line`` of each; columns checked."""
    label = label or str(path)
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise InputError(
                    label,
                    missing[0],
                    f"a Fingertips 'all data' CSV export; its header lacks the columns {', '.join(missing)}",
                )
            rows = []
            for row in reader:
                row["line"] = reader.line_num
                rows.append(row)
    except UnicodeDecodeError as exc:
        raise InputError(label, "file", "a CSV file in UTF-8 (a Fingertips export)") from exc
    frame = pd.DataFrame(rows, columns=[*header, "line"], dtype=object)
    frame[header] = frame[header].replace(r"^\s*$", pd.NA, regex=True)
    if TREND not in frame.columns:
        frame[TREND] = pd.NA
    return frame


def numbers(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """The number columns as floats; a cell that is neither empty nor a number is an error with its line."""
    out = pd.DataFrame(index=frame.index)
    for column, name in NUMBERS.items():
        out[name] = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & out[name].isna()
        if bad.any():
            first = frame.loc[bad].iloc[0]
            raise InputError(label, column, "a number or an empty cell", line=int(first["line"]), got=first[column])
    return out


def indicator_ids(frame: pd.DataFrame, definitions: Definitions, label: str) -> list[str]:
    """The export's indicator ids, in order of appearance; each must be in the catalogue."""
    known = definitions.by_fingertips_id()
    ids: list[str] = []
    for value, line in zip(frame["Indicator ID"], frame["line"], strict=True):
        text = "" if pd.isna(value) else str(value).strip()
        if text not in known:
            raise InputError(
                label,
                "Indicator ID",
                "an indicator in the project's catalogue (data/indicators/definitions.yaml): "
                + ", ".join(sorted(known, key=int)),
                line=int(line),
                got=text,
            )
        if text not in ids:
            ids.append(text)
    if not ids:
        raise InputError(label, "Indicator ID", "at least one row of data")
    return ids


def _choose(frame: pd.DataFrame, column: str, wanted: str | None, default: str | None, label: str, fid: str) -> str:
    """The one value of ``column`` (sex or age band) to keep for indicator ``fid``."""
    found = [v for v in dict.fromkeys(frame[column].dropna())]
    if wanted:
        if wanted in found:
            return wanted
        raise InputError(
            label,
            column,
            f"rows for {wanted!r} (the catalogue's {column.lower()} for indicator {fid})",
            got="; ".join(found),
        )
    if default in found:
        return default
    if len(found) == 1:
        return found[0]
    raise InputError(
        label,
        column,
        f"one {column.lower()} for indicator {fid}, or the catalogue naming which to keep",
        got="; ".join(found),
    )


def parse_indicator(
    frame: pd.DataFrame,
    fid: str,
    definitions: Definitions,
    places: Places,
    label: str,
    file_name: str,
) -> tuple[pd.DataFrame, list[str], list[str], list[str], str, str]:
    """Tidy rows of one indicator: (rows, checks, missing, warnings, latest period, how regions were got)."""
    entry = definitions.by_fingertips_id()[fid]
    key = entry["key"]
    checks: list[str] = []
    warnings: list[str] = []
    rows = frame[(frame["Indicator ID"].astype(str).str.strip() == fid)]
    names = list(dict.fromkeys(rows["Indicator Name"].dropna()))
    if names and names[0] != entry["title"]:
        warnings.append(
            f"{key}: the export calls indicator {fid} {names[0]!r}; the catalogue's title is {entry['title']!r} "
            "(check it and update data/indicators/definitions.yaml)"
        )
    plain = rows[rows["Category Type"].isna()]
    if plain.empty:
        raise InputError(label, "Category Type", f"rows without a category for indicator {fid} (the plain area rows)")
    sex = _choose(plain, "Sex", entry.get("sex"), "Persons", label, fid)
    plain = plain[plain["Sex"] == sex]
    age = _choose(plain, "Age", entry.get("age"), None, label, fid)
    plain = plain[plain["Age"] == age]
    figures = numbers(plain, label)
    sortable = pd.to_numeric(plain["Time period Sortable"], errors="coerce")
    bad = sortable.isna()
    if bad.any():
        first = plain.loc[bad].iloc[0]
        raise InputError(
            label, "Time period Sortable", "a whole number", line=int(first["line"]), got=first["Time period Sortable"]
        )
    tidy = pd.DataFrame(
        {
            "source_code": plain["Area Code"].fillna("").str.strip().str.upper(),
            "source_name": plain["Area Name"],
            "period": plain["Time period"],
            "period_sort": sortable.astype("int64"),
            "note": plain["Value note"],
            "recent_trend": plain[TREND],
            "line": plain["line"],
        }
    )
    tidy = pd.concat([tidy, figures], axis=1)
    # England (and a region) can appear twice, once as a parent area: keep identical rows once.
    same = ["source_code", "period", "value", "lower_ci", "upper_ci", "count", "denominator", "note"]
    tidy = tidy.drop_duplicates(same)
    twice = tidy.duplicated(["source_code", "period"], keep=False)
    if twice.any():
        first = tidy.loc[twice].iloc[1]
        raise InputError(
            label,
            "Area Code",
            f"one row per area and period for indicator {fid} ({sex}, {age}, no category)",
            line=int(first["line"]),
            got=f"{first['source_code']} {first['period']}",
        )
    order = dict(zip(tidy["period"], tidy["period_sort"], strict=True))
    england = tidy[tidy["source_code"] == ENGLAND_CODE]
    region_rows = tidy[tidy["source_code"].str.startswith(REGION_PREFIX)]
    local = tidy[tidy["source_code"].str.startswith(LA_PREFIXES)]
    other = sorted(set(tidy["source_code"]) - set(england["source_code"]) - set(region_rows["source_code"]))
    other = [c for c in other if not c.startswith(LA_PREFIXES)]
    if local.empty:
        raise InputError(
            label,
            "Area Type",
            "rows for upper-tier local authorities (Fingertips area type 402 or 502)",
            got="; ".join(dict.fromkeys(plain["Area Type"].dropna())),
        )
    if other:
        warnings.append(f"{file_name}: left out rows for areas that are not upper-tier LAs: {', '.join(other)}")

    local, former_warnings = _to_current(local, key, places, definitions, order)
    warnings += former_warnings
    local = _statuses(local)
    england_out = england.assign(
        key=key, area_code=ENGLAND_CODE, area_name="England", area_level="england", region_code=pd.NA
    )
    england_out = _statuses(england_out)
    if england_out.empty:
        warnings.append(f"{key}: the export has no row for England")
    regions = _published_regions(region_rows, key, places) if not region_rows.empty else pd.DataFrame()
    out, more_checks, missing, latest, how = complete_rows(entry, england_out, regions, local, places, warnings)
    return out, checks + more_checks, missing, warnings, latest, how


def complete_rows(
    entry: dict,
    england: pd.DataFrame,
    regions: pd.DataFrame,
    local: pd.DataFrame,
    places: Places,
    warnings: list[str],
) -> tuple[pd.DataFrame, list[str], list[str], str, str]:
    """Add what jointwork works out to an indicator's published rows (England, regions, LAs, in tidy columns):
    an empty, noted row for each LA with none in the latest period, and the regions (from counts, where the
    kind of figure allows, when none are published). Returns (rows, checks, missing, latest period, how
    regions were got); warnings of the checks go into ``warnings``."""
    key = entry["key"]
    checks: list[str] = []
    published = pd.concat([frame for frame in (england, regions, local) if not frame.empty], ignore_index=True)
    periods = published.drop_duplicates("period").sort_values("period_sort")[["period", "period_sort"]]
    latest = str(periods["period"].iloc[-1])
    order = dict(zip(periods["period"], periods["period_sort"], strict=True))
    local = fill_latest(local, places, key, latest, order[latest], "the Fingertips export")
    multiplier = UNITS[entry["unit"]]
    if not regions.empty:
        how = "published in the export"
    elif entry["regions"] == "from counts" and multiplier:
        regions = regions_from_counts(local, places, key, periods, multiplier)
        how = "calculated by jointwork from LA counts"
        checks += check_england(key, local, england, len(places.las), multiplier, entry["unit"], warnings)
    else:
        regions = pd.DataFrame(
            [
                {
                    "key": key,
                    "area_code": code,
                    "area_name": name,
                    "area_level": "region",
                    "region_code": code,
                    "period": latest,
                    "period_sort": order[latest],
                    "status": NOT_PUBLISHED,
                    "note": NO_REGIONS + f" for this kind of figure ({entry['value_type'].lower()})",
                }
                for code, name in places.regions.items()
            ]
        )
        how = "not in the export (not calculated)"
    out = pd.concat([frame for frame in (england, regions, local) if not frame.empty], ignore_index=True)
    latest_rows = out[(out["period"] == latest) & (out["area_level"] == "la")]
    missing = [
        f"{key} {latest}: {r.area_code} {r.area_name}: {r.note}"
        for r in latest_rows[latest_rows["value"].isna()].sort_values("area_code").itertuples()
    ]
    return out, checks, missing, latest, how


def worked_out(rows: pd.DataFrame) -> pd.Series:
    """The rows jointwork added to a published series (see :func:`complete_rows`): the empty rows of LAs with
    no figure in the latest period, and regions it calculated or left empty. An import merges the rest."""
    note = rows["note"].fillna("").astype(str)
    region = rows["area_level"] == "region"
    filled = (rows["area_level"] == "la") & (rows["status"] == NOT_PUBLISHED) & note.str.endswith(FILLED_ENDING)
    own_region = region & (
        (rows["status"] == CALCULATED)
        | note.str.contains(NO_REGIONS, regex=False)
        | note.str.startswith(NOT_CALCULATED)
    )
    return filled | own_region


def is_check_warning(text: str) -> bool:
    """Whether a warning comes from checking England against LA counts (redone whenever the rows change)."""
    return ENGLAND_CHECK in text or NO_ENGLAND_CHECK in text


def _to_current(
    local: pd.DataFrame, key: str, places: Places, definitions: Definitions, order: dict[str, int]
) -> tuple[pd.DataFrame, list[str]]:
    """LA rows under today's codes and names; a former area's rows become "not published for today's area"."""
    warnings: list[str] = []
    current = places.las
    rows = local.copy()
    rows["area_code"] = rows["source_code"].map(lambda c: places.aliases.get(c, c))
    recoded = rows["area_code"] != rows["source_code"]
    rows.loc[recoded, "note"] = [
        join_notes(note, f"published under the former code {old} of {current.at[new, 'la_name']}")
        for note, old, new in zip(
            rows.loc[recoded, "note"], rows.loc[recoded, "source_code"], rows.loc[recoded, "area_code"], strict=True
        )
    ]
    # A row under today's code wins over one under a former code for the same period.
    rows = rows.sort_values("area_code", kind="stable")
    rows = rows.assign(_former=recoded.astype(int)).sort_values(["area_code", "period_sort", "_former"], kind="stable")
    rows = rows.drop_duplicates(["area_code", "period"]).drop(columns="_former")
    former_rows = rows[rows["area_code"].isin(definitions.former_areas)]
    unknown = sorted(set(rows["area_code"]) - set(current.index) - set(definitions.former_areas))
    if unknown:
        warnings.append(f"{key}: left out codes that are not current LAs: {', '.join(unknown)}")
    rows = rows[rows["area_code"].isin(current.index)]
    added = []
    for former in former_rows.itertuples():
        area = definitions.former_areas[former.area_code]
        names = " and ".join(current.at[c, "la_name"] for c in area.successors if c in current.index)
        for code in area.successors:
            if code not in current.index or ((rows["area_code"] == code) & (rows["period"] == former.period)).any():
                continue
            added.append(
                {
                    "area_code": code,
                    "source_code": former.area_code,
                    "period": former.period,
                    "period_sort": order[former.period],
                    "status": FORMER_AREA,
                    "note": f"not published for today's area: the export gives {former.period} for "
                    f"{area.name} ({area.code}), which was {area.change} into {names} in {area.when}; "
                    "jointwork does not divide a former area's figure",
                }
            )
    if added:
        rows = pd.concat([rows, pd.DataFrame(added)], ignore_index=True)
    rows = rows.assign(
        key=key,
        area_name=rows["area_code"].map(current["la_name"]),
        area_level="la",
        region_code=rows["area_code"].map(current["region_code"]),
    )
    return rows, warnings


def _statuses(rows: pd.DataFrame) -> pd.DataFrame:
    """``status`` and ``combined_with`` from each row's value and note (rows already given a status keep it)."""
    rows = rows.copy()
    if "status" not in rows.columns:
        rows["status"] = pd.NA
    note = rows["note"].fillna("").astype(str)
    has_value = rows["value"].notna() if "value" in rows.columns else pd.Series(False, index=rows.index)
    combined = note.str.contains(COMBINED_NOTE)
    status = pd.Series(PUBLISHED, index=rows.index, dtype=object)
    status[~has_value] = NOT_PUBLISHED
    status[~has_value & note.str.contains(SUPPRESSED_NOTE)] = SUPPRESSED
    status[has_value & combined] = COMBINED
    status[~has_value & combined] = IN_COMBINED
    rows["status"] = rows["status"].where(rows["status"].notna(), status)
    groups: dict[tuple[object, str], list[str]] = {}
    for code, period, text, is_combined in zip(rows["area_code"], rows["period"], note, combined, strict=True):
        if is_combined:
            groups.setdefault((period, text), []).append(code)
    partners = [
        ";".join(sorted(c for c in groups[(period, text)] if c != code)) or pd.NA if is_combined else pd.NA
        for code, period, text, is_combined in zip(rows["area_code"], rows["period"], note, combined, strict=True)
    ]
    rows["combined_with"] = partners
    return rows


def fill_latest(
    local: pd.DataFrame, places: Places, key: str, period: str, period_sort: int, where: str
) -> pd.DataFrame:
    """Add an empty, noted row for every current LA with no row in the latest ``period``."""
    present = set(local.loc[local["period"] == period, "area_code"])
    absent = [code for code in places.las.index if code not in present]
    blanks = pd.DataFrame(
        {
            "key": key,
            "area_code": absent,
            "period": period,
            "period_sort": period_sort,
            "area_level": "la",
            "area_name": [places.las.at[c, "la_name"] for c in absent],
            "region_code": [places.las.at[c, "region_code"] for c in absent],
            "status": NOT_PUBLISHED,
            "note": f"not published for this area in {period} ({where}{FILLED_ENDING}",
        }
    )
    return pd.concat([local, blanks], ignore_index=True) if absent else local


def _published_regions(region_rows: pd.DataFrame, key: str, places: Places) -> pd.DataFrame:
    rows = region_rows[region_rows["source_code"].isin(places.regions.index)]
    rows = rows.assign(
        key=key,
        area_code=rows["source_code"],
        area_name=rows["source_code"].map(places.regions),
        area_level="region",
        region_code=rows["source_code"],
    )
    return _statuses(rows)


def _covered(rows: pd.DataFrame) -> pd.Series:
    """LA rows whose people are counted somewhere: a count of their own, or in a combined area's count."""
    return (rows["count"].notna() & rows["denominator"].notna()) | (rows["status"] == IN_COMBINED)


def region_note(multiplier: int) -> str:
    method = "Wilson's score method" if multiplier == 100 else "Byar's method"
    return (
        f"calculated by jointwork from LA counts (sum of counts / sum of denominators x {multiplier:,}, 95% limits "
        f"by {method}); the Fingertips export has no regional figures, and rounded LA counts can move it a little"
    )


def regions_from_counts(
    local: pd.DataFrame, places: Places, key: str, periods: pd.DataFrame, multiplier: int
) -> pd.DataFrame:
    """Each region's figure from its LAs' counts, only where every LA in the region is counted."""
    members: dict[str, list[str]] = {}
    for code, region_code in places.las["region_code"].items():
        members.setdefault(region_code, []).append(code)
    limits = wilson if multiplier == 100 else byar
    covered = _covered(local)
    figures: dict[object, dict[str, tuple[float, float, bool]]] = {}
    for code, period, count, denominator, counted in zip(
        local["area_code"], local["period"], local["count"], local["denominator"], covered, strict=True
    ):
        figures.setdefault(period, {})[code] = (count, denominator, bool(counted))
    out = []
    for period, period_sort in zip(periods["period"], periods["period_sort"], strict=True):
        in_period = figures.get(period, {})
        for region_code, region_name in places.regions.items():
            codes = members.get(region_code, [])
            uncounted = sorted(places.las.at[c, "la_name"] for c in codes if not in_period.get(c, (0, 0, False))[2])
            row: dict[str, object] = {
                "key": key,
                "area_code": region_code,
                "area_name": region_name,
                "area_level": "region",
                "region_code": region_code,
                "period": period,
                "period_sort": period_sort,
            }
            if uncounted:
                row.update(
                    status=NOT_PUBLISHED,
                    note=f"{NOT_CALCULATED} {period}: the Fingertips export has no regional "
                    f"figures, and no count is published for {', '.join(uncounted)}",
                )
            else:
                pairs = [in_period[c][:2] for c in codes if pd.notna(in_period[c][0]) and pd.notna(in_period[c][1])]
                count, denominator = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
                lower, upper = limits(count, denominator, multiplier)
                row.update(
                    value=round(count / denominator * multiplier, 5),
                    lower_ci=round(lower, 5),
                    upper_ci=round(upper, 5),
                    count=count,
                    denominator=denominator,
                    status=CALCULATED,
                    note=region_note(multiplier),
                )
            out.append(row)
    return pd.DataFrame(out)


def check_england(
    key: str,
    local: pd.DataFrame,
    england: pd.DataFrame,
    n_las: int,
    multiplier: int,
    unit: str,
    warnings: list[str],
) -> list[str]:
    """Compare England worked out from LA counts with the published England figure, period by period."""
    differences = []
    for row in england.sort_values("period_sort").itertuples():
        rows = local[local["period"] == row.period]
        if _covered(rows).sum() < n_las or pd.isna(row.value):
            continue
        computed = rows["count"].sum() / rows["denominator"].sum() * multiplier
        differences.append((row.period, computed, row.value))
    if not differences:
        warnings.append(f"{key}: no period has counts for every LA, {NO_ENGLAND_CHECK}")
        return []
    worst = max(differences, key=lambda d: abs(d[1] - d[2]))
    period, computed, published = differences[-1]
    for p, c, v in differences:
        if abs(c - v) > ENGLAND_TOLERANCE * abs(v):
            warnings.append(
                f"{key} {p}: {ENGLAND_CHECK} {c:.2f} differs from the published {v:.2f} by more than "
                f"{ENGLAND_TOLERANCE:.1%}"
            )
    return [
        f"{key}: England worked out from LA counts vs published, {len(differences)} periods with every LA "
        f"counted: {period} {computed:.2f} vs {published:.2f}; largest gap {abs(worst[1] - worst[2]):.2f} "
        f"{unit} ({worst[0]})"
    ]


def read_export(
    path: Path,
    definitions: Definitions,
    places: Places,
    *,
    origin: str = "import",
    label: str | None = None,
    url: str = "",
    retrieved: str = "",
) -> list[Part]:
    """Every indicator of one export as a :class:`Part` (nothing is written)."""
    path = Path(path)
    label = label or str(path)
    if not path.is_file():
        raise InputError(label, "file", "a Fingertips 'all data' CSV export")
    frame = read_rows(path, label)
    ids = indicator_ids(frame, definitions, label)
    parts = []
    for fid in ids:
        entry = definitions.by_fingertips_id()[fid]
        rows, checks, missing, warnings, latest, how = parse_indicator(
            frame, fid, definitions, places, label, path.name
        )
        periods = rows.sort_values("period_sort")["period"]
        parts.append(
            Part(
                key=entry["key"],
                rows=rows,
                origin=origin,
                file=path.name,
                sha256=sha12(path),
                publisher="Office for Health Improvement and Disparities (OHID), Fingertips",
                source_title=f"{entry['title']}, indicator {fid}",
                url=url or entry.get("url") or _default_url(fid),
                vintage=f"{periods.iloc[0]} to {periods.iloc[-1]}" if periods.iloc[0] != latest else latest,
                latest=latest,
                regions=how,
                retrieved=retrieved,
                checks=checks,
                missing=missing,
                warnings=warnings,
            )
        )
    return parts


def _default_url(fid: str) -> str:
    from .catalogue import export_url

    return export_url(fid)
