"""Build the project's indicator snapshot (``data/indicators/``) from published Fingertips and DfE files.

Two tables come out, plus a data log (``README.md``):

* ``catalogue.csv``: one row per indicator, with its unit, polarity, publisher, source and licence.
* ``values.csv``: tidy figures for every current English upper-tier local authority (LA), the
  9 regions and England. Published figures are copied as they are; anything jointwork works out
  itself (regions for Fingertips, areas that have changed since the data were published) says so
  in ``note``. An area with no published figure gets an empty value and a note, never an estimate.

The output is byte-identical whenever the inputs are.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

import pandas as pd

from .build_areas import SourceFile
from .errors import InputError
from .indicators import ATTRIBUTION

ENGLAND_CODE = "E92000001"
OGL = "Open Government Licence v3.0"
INJURY = "injury_admissions_0_14"
GLD = "good_level_of_development"
RATE_PER = 10_000
REGION_NOTE = ("calculated by jointwork from LA counts (sum of counts / sum of populations x 10,000, 95% limits by "
               "Byar's method); Fingertips does not publish regions for this area type, and rounded LA counts "
               "can move it a little")
ENGLAND_TOLERANCE = 0.5  # per 10,000: warn when England worked out from LA counts strays further

LA_FILE = "dfe_la_codes_2025_england.csv"
FINGERTIPS_FILE = "fingertips_90284_injury_admissions_0to14_utla502.csv"
EYFSP_FILE = "dfe_eyfsp_headline_measures_2022.csv"

LA_COLUMNS = ("new_la_code", "la_name", "region_code", "region_name")
FINGERTIPS_COLUMNS = ("Indicator ID", "Area Code", "Area Type", "Sex", "Category Type", "Time period",
                      "Time period Sortable", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count",
                      "Denominator", "Value note")
EYFSP_COLUMNS = ("time_period", "geographic_level", "region_code", "new_la_code", "lad_code", "characteristic",
                 "characteristic_type", "gender", "children_number", "gld_number", "gld_percentage")

CATALOGUE_COLUMNS = ["key", "fingertips_id", "name", "unit", "polarity", "publisher", "source_title", "url",
                     "licence", "note"]
VALUE_COLUMNS = ["key", "area_code", "area_name", "area_level", "region_code", "period", "value", "lower_ci",
                 "upper_ci", "count", "denominator", "note"]
LEVEL_ORDER = {"england": 0, "region": 1, "la": 2}

CATALOGUE = [
    {"key": INJURY, "fingertips_id": "90284",
     "name": "Hospital admissions for injuries (accidental or deliberate), children aged 0 to 14",
     "unit": "per 10,000", "polarity": "lower is better",
     "publisher": "Office for Health Improvement and Disparities (OHID), Fingertips",
     "source_title": "Hospital admissions caused by unintentional and deliberate injuries in children "
                     "(aged 0 to 14 years), indicator 90284",
     "url": "https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id?indicator_ids=90284"
            "&child_area_type_id=502&parent_area_type_id=15",
     "licence": OGL,
     "note": "Admissions per 10,000 resident children aged 0-14, by financial year, from Hospital Episode "
             "Statistics. From 2012/13 the export gives every LA count as a multiple of 5 (rounded). Fingertips "
             "gives no regions for this area type: jointwork adds them from the LA counts."},
    {"key": GLD, "fingertips_id": "",
     "name": "Children reaching a good level of development at the end of Reception (age 5)",
     "unit": "%", "polarity": "higher is better",
     "publisher": "Department for Education (DfE)",
     "source_title": "Early years foundation stage profile results, 2021/22 (headline measures)",
     "url": "https://explore-education-statistics.service.gov.uk/find-statistics/"
            "early-years-foundation-stage-profile-results/2021-22",
     "licence": OGL,
     "note": "All children, both genders. The profile was reformed in September 2021, so 2021/22 is not "
             "comparable with 2018/19 or earlier, and no profile ran in 2019/20 or 2020/21. Figures use the "
             "LA boundaries of 2021/22; jointwork maps them to today's councils. Fingertips shows the same "
             "measure as indicator 90631 (school readiness)."},
]

# Areas a source still publishes under a code that has since changed; the area itself is the same.
RECODED = {
    "E08000016": ("E08000038", "published under Barnsley's earlier code E08000016 (the code changed in 2025)"),
    "E08000019": ("E08000039", "published under Sheffield's earlier code E08000019 (the code changed in 2025)"),
    "E10000023": ("E06000065", "published for North Yorkshire county council (E10000023), which covered the "
                               "same area as North Yorkshire council (unitary since April 2023)"),
    "E10000027": ("E06000066", "published for Somerset county council (E10000027), which covered the same "
                               "area as Somerset council (unitary since April 2023)"),
}
# Cumbria county (E10000006) was split in April 2023; its former districts make up the two new councils.
CUMBRIA_CODE = "E10000006"
CUMBRIA_SPLIT = {
    "E06000063": ("Cumberland", {"E07000026": "Allerdale", "E07000028": "Carlisle", "E07000029": "Copeland"}),
    "E06000064": ("Westmorland and Furness",
                  {"E07000027": "Barrow-in-Furness", "E07000030": "Eden", "E07000031": "South Lakeland"}),
}


SOURCES = (
    SourceFile(LA_FILE, "Department for Education (dfeR package, from ONS)", "2025",
               "the current upper-tier LAs, their names and regions"),
    SourceFile(FINGERTIPS_FILE, "OHID Fingertips (export of indicator 90284, area type 502 plus England)",
               "2010/11 to 2023/24", INJURY),
    SourceFile(EYFSP_FILE, "Department for Education, Explore Education Statistics", "2021/22 academic year", GLD),
)


@dataclass
class BuildReport:
    """What a build wrote, what it checked, and what it could not fill."""

    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def indicators(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        """Plain text for the command line and the data log."""
        lines = [f"Wrote {self.indicators} indicators, {sum(self.rows.values())} rows to {self.out_dir}"]
        lines += [f"  {key}: {n} rows, latest period {self.latest[key]}" for key, n in self.rows.items()]
        lines += ["Checks:"] + [f"  {line}" for line in self.checks]
        lines += [f"No figure in the latest period ({len(self.missing)}):"] + [f"  {m}" for m in self.missing]
        lines += [f"Warnings ({len(self.warnings)}):"] + [f"  {w}" for w in self.warnings]
        return "\n".join(lines)


def build_indicators(source_dir: Path, out_dir: Path) -> BuildReport:
    """Read the public files in ``source_dir`` and write the indicator tables and data log to ``out_dir``."""
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    report = BuildReport(out_dir=out_dir)
    las = _read(source_dir / LA_FILE, LA_COLUMNS)
    injury = _injury_rows(source_dir / FINGERTIPS_FILE, las, report)
    gld = _gld_rows(source_dir / EYFSP_FILE, las, report)
    values = _tidy(pd.concat([injury, gld], ignore_index=True))
    for key in (INJURY, GLD):
        report.rows[key] = int((values["key"] == key).sum())
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(pd.DataFrame(CATALOGUE, columns=CATALOGUE_COLUMNS), out_dir / "catalogue.csv")
    _write_csv(values, out_dir / "values.csv")
    (out_dir / "README.md").write_text(_data_log(source_dir, report), encoding="utf-8", newline="\n")
    return report


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A source file as text columns (empty cells as NA), after checking it has ``columns``."""
    if not path.is_file():
        raise InputError(path, "file", "a published source file here (see the data log for where it comes from)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    for column in columns:
        if column not in frame.columns:
            raise InputError(path, column, f"a column named '{column}'")
    return frame


def _la_frame(las: pd.DataFrame) -> pd.DataFrame:
    """Current LAs indexed by code, with name and region code."""
    return las.set_index("new_la_code")[["la_name", "region_code"]]


def _regions(las: pd.DataFrame) -> pd.DataFrame:
    """The 9 regions, indexed by code, in code order."""
    return las.drop_duplicates("region_code").set_index("region_code")[["region_name"]].sort_index()


def _numbers(frame: pd.DataFrame, columns: dict[str, str], path: Path) -> pd.DataFrame:
    """Source columns as numbers under new names; a cell that is neither empty nor a number is an error."""
    out = pd.DataFrame(index=frame.index)
    for column, name in columns.items():
        out[name] = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & out[name].isna()
        if bad.any():
            raise InputError(path, column, "a number or an empty cell", got=frame.loc[bad, column].iloc[0])
    return out


def _byar(count: float, denominator: float) -> tuple[float, float]:
    """95% confidence limits of a crude rate per 10,000 by Byar's method (as Fingertips uses)."""
    z = NormalDist().inv_cdf(0.975)
    lower = count * (1 - 1 / (9 * count) - z / (3 * count ** 0.5)) ** 3 if count > 0 else 0.0
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * (count + 1) ** 0.5)) ** 3
    return lower / denominator * RATE_PER, upper / denominator * RATE_PER


def _injury_rows(path: Path, las: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Fingertips 90284 for Persons: published LA and England rows, and regions added from LA counts."""
    raw = _read(path, FINGERTIPS_COLUMNS)
    # England appears twice (once as a parent area); the copies differ only in columns not used here.
    rows = raw[(raw["Sex"] == "Persons") & raw["Category Type"].isna()].drop_duplicates(list(FINGERTIPS_COLUMNS))
    if rows.empty:
        raise InputError(path, "Sex", "rows for Persons without a category (the plain area rows)")
    if rows.duplicated(["Area Code", "Time period"]).any():
        raise InputError(path, "Area Code", "one Persons row per area and period")
    periods = rows.drop_duplicates("Time period").sort_values("Time period Sortable")["Time period"].tolist()
    latest = periods[-1]
    report.latest[INJURY] = latest
    numbers = _numbers(rows, {"Value": "value", "Lower CI 95.0 limit": "lower_ci", "Upper CI 95.0 limit": "upper_ci",
                              "Count": "count", "Denominator": "denominator"}, path)
    tidy = pd.concat([rows[["Area Code", "Time period", "Value note"]]
                      .rename(columns={"Area Code": "source_code", "Time period": "period", "Value note": "note"}),
                      numbers], axis=1)
    tidy.insert(0, "key", INJURY)
    england = tidy[tidy["source_code"] == ENGLAND_CODE].assign(
        area_code=ENGLAND_CODE, area_name="England", area_level="england", region_code=pd.NA)
    local = _to_current_las(tidy[tidy["source_code"] != ENGLAND_CODE], las, path, report)
    local = _fill_latest(local, las, INJURY, latest, "the Fingertips export", report)
    regions = _injury_regions(local, las, periods)
    _check_england(local, england, len(las), report)
    return pd.concat([england, regions, local], ignore_index=True)


def _to_current_las(rows: pd.DataFrame, las: pd.DataFrame, path: Path, report: BuildReport) -> pd.DataFrame:
    """Rows keyed by today's LA codes, with today's names and regions; unknown codes dropped with a warning."""
    current = _la_frame(las)
    rows = rows.copy()
    rows["area_code"] = rows["source_code"].map(lambda code: RECODED.get(code, (code, ""))[0])
    recode_notes = rows["source_code"].map(lambda code: RECODED.get(code, ("", pd.NA))[1])
    rows["note"] = _join_notes(rows["note"], recode_notes)
    unknown = sorted(set(rows.loc[~rows["area_code"].isin(current.index), "source_code"]))
    if unknown:
        report.warnings.append(f"{path.name}: left out codes that are not current LAs: {', '.join(unknown)}")
    rows = rows[rows["area_code"].isin(current.index)]
    return rows.assign(area_name=rows["area_code"].map(current["la_name"]), area_level="la",
                       region_code=rows["area_code"].map(current["region_code"]))


def _join_notes(first: pd.Series, second: pd.Series) -> pd.Series:
    """Two note columns joined with '; ', skipping empty ones."""
    both = pd.concat([first, second], axis=1)
    return both.apply(lambda row: "; ".join(str(v) for v in row if pd.notna(v) and v) or pd.NA, axis=1)


def _fill_latest(local: pd.DataFrame, las: pd.DataFrame, key: str, period: str, where: str,
                 report: BuildReport) -> pd.DataFrame:
    """Add an empty, noted row for every current LA with no row in ``period``; list those with no value."""
    current = _la_frame(las)
    present = set(local.loc[local["period"] == period, "area_code"])
    absent = [code for code in current.index if code not in present]
    blanks = pd.DataFrame({"key": key, "area_code": absent, "period": period, "area_level": "la",
                           "area_name": [current.at[c, "la_name"] for c in absent],
                           "region_code": [current.at[c, "region_code"] for c in absent],
                           "note": f"not published for this area in {period} ({where} has no row for it)"})
    local = pd.concat([local, blanks], ignore_index=True)
    empty = local[(local["period"] == period) & local["value"].isna()].sort_values("area_code")
    report.missing += [f"{key} {period}: {r.area_code} {r.area_name}: {r.note}" for r in empty.itertuples()]
    return local


def _covered(rows: pd.DataFrame) -> pd.Series:
    """LA rows whose children are counted somewhere: a count of their own, or a combined area's count."""
    combined = rows["note"].fillna("").str.contains(r"^Value for .+ combined", regex=True)
    return (rows["count"].notna() & rows["denominator"].notna()) | combined


def _injury_regions(local: pd.DataFrame, las: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Regional rates from LA counts, only where every LA in the region is counted."""
    members = las.groupby("region_code")["new_la_code"].apply(set)
    out = []
    for period in periods:
        in_period = local[local["period"] == period]
        for region_code, region_name in _regions(las)["region_name"].items():
            rows = in_period[in_period["area_code"].isin(members[region_code])]
            counted = rows[_covered(rows)]
            uncounted = sorted(set(las.loc[las["new_la_code"].isin(members[region_code] - set(counted["area_code"])),
                                           "la_name"]))
            row = {"key": INJURY, "area_code": region_code, "area_name": region_name, "area_level": "region",
                   "region_code": region_code, "period": period}
            if uncounted:
                row["note"] = (f"not calculated by jointwork for {period}: Fingertips does not publish regions for "
                               f"this area type, and no count is published for {', '.join(uncounted)}")
            else:
                count, denominator = counted["count"].sum(), counted["denominator"].sum()
                lower, upper = _byar(count, denominator)
                row.update(value=round(count / denominator * RATE_PER, 5), lower_ci=round(lower, 5),
                           upper_ci=round(upper, 5), count=count, denominator=denominator,
                           note=REGION_NOTE)
            out.append(row)
    return pd.DataFrame(out)


def _check_england(local: pd.DataFrame, england: pd.DataFrame, n_las: int, report: BuildReport) -> None:
    """Compare England worked out from LA counts with the published England rate, period by period."""
    differences = []
    for row in england.sort_values("period").itertuples():
        rows = local[local["period"] == row.period]
        if _covered(rows).sum() < n_las:
            continue
        computed = rows["count"].sum() / rows["denominator"].sum() * RATE_PER
        differences.append((row.period, computed, row.value))
    if not differences:
        report.warnings.append(f"{INJURY}: no period has counts for every LA, so England could not be checked")
        return
    worst = max(differences, key=lambda d: abs(d[1] - d[2]))
    period, computed, published = differences[-1]
    report.checks.append(
        f"{INJURY}: England worked out from LA counts vs published, {len(differences)} periods with every LA "
        f"counted: {period} {computed:.2f} vs {published:.2f}; largest gap {abs(worst[1] - worst[2]):.2f} per "
        f"10,000 ({worst[0]})")
    for period, computed, published in differences:
        if abs(computed - published) > ENGLAND_TOLERANCE:
            report.warnings.append(f"{INJURY} {period}: England from LA counts {computed:.2f} differs from the "
                                   f"published {published:.2f} by more than {ENGLAND_TOLERANCE}")


def _gld_rows(path: Path, las: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """DfE good level of development, all children: published England, regions and LAs mapped to today's LAs."""
    raw = _read(path, EYFSP_COLUMNS)
    total = raw[(raw["characteristic"] == "Total") & (raw["characteristic_type"] == "Total")
                & (raw["gender"] == "Total")]
    year = total["time_period"].max()
    total = total[total["time_period"] == year]
    if total.empty:
        raise InputError(path, "characteristic", "rows with characteristic, characteristic_type and gender 'Total'")
    period = f"{year[:4]}/{year[4:]}"
    report.latest[GLD] = period
    numbers = _numbers(total, {"gld_percentage": "value", "gld_number": "count",
                               "children_number": "denominator"}, path)
    tidy = pd.concat([total[["geographic_level", "region_code", "new_la_code", "lad_code"]], numbers], axis=1)
    tidy = tidy.assign(key=GLD, period=period, note=pd.NA)
    level = tidy["geographic_level"]
    england = tidy[level == "National"].assign(area_code=ENGLAND_CODE, area_name="England", area_level="england",
                                               region_code=pd.NA)
    regions = _regions(las)
    regional = tidy[(level == "Regional") & tidy["region_code"].isin(regions.index)]
    regional = regional.assign(area_code=regional["region_code"], area_level="region",
                               area_name=regional["region_code"].map(regions["region_name"]))
    la_rows = tidy[(level == "Local authority") & (tidy["new_la_code"] != CUMBRIA_CODE)]
    local = _to_current_las(la_rows.rename(columns={"new_la_code": "source_code"}), las, path, report)
    local = pd.concat([local, _cumbria_split(tidy[level == "Local authority district"], las, period)],
                      ignore_index=True)
    local = _fill_latest(local, las, GLD, period, "the DfE file", report)
    if len(england) != 1 or len(regional) != len(regions):
        raise InputError(path, "geographic_level", "one National row and a Regional row for each of the 9 regions")
    _check_gld_totals(local, england, report)
    return pd.concat([england, regional, local], ignore_index=True)


def _cumbria_split(districts: pd.DataFrame, las: pd.DataFrame, period: str) -> pd.DataFrame:
    """Cumberland and Westmorland and Furness added up from the former Cumbrian districts, where all are present."""
    current = _la_frame(las)
    out = []
    for code, (_, parts) in CUMBRIA_SPLIT.items():
        rows = districts[districts["lad_code"].isin(parts)]
        if set(rows["lad_code"]) != set(parts):
            continue
        count, denominator = rows["count"].sum(), rows["denominator"].sum()
        out.append({"key": GLD, "area_code": code, "area_name": current.at[code, "la_name"], "area_level": "la",
                    "region_code": current.at[code, "region_code"], "period": period,
                    "value": round(count / denominator * 100, 1), "count": count, "denominator": denominator,
                    "note": f"calculated by jointwork from the {period} figures for the former districts of "
                            f"{', '.join(parts.values())}; DfE published Cumbria county ({CUMBRIA_CODE}) before "
                            "it was split in April 2023"})
    return pd.DataFrame(out)


def _check_gld_totals(local: pd.DataFrame, england: pd.DataFrame, report: BuildReport) -> None:
    """Today's LAs should add up to England's published numbers (nothing lost or counted twice)."""
    published = england.iloc[0]
    count, denominator = local["count"].sum(), local["denominator"].sum()
    if (count, denominator) == (published["count"], published["denominator"]):
        report.checks.append(f"{GLD}: today's LAs add up to England's published {int(count):,} of "
                             f"{int(denominator):,} children ({published['value']}%)")
    else:
        report.warnings.append(f"{GLD}: today's LAs add up to {int(count):,} of {int(denominator):,} children, "
                               f"not England's published {int(published['count']):,} of "
                               f"{int(published['denominator']):,}")


def _tidy(values: pd.DataFrame) -> pd.DataFrame:
    """The output columns, types and a stable order."""
    values = values[VALUE_COLUMNS].copy()
    for column in ("value", "lower_ci", "upper_ci"):
        values[column] = values[column].astype("Float64")
    for column in ("count", "denominator"):
        values[column] = values[column].round().astype("Int64")
    order = [row["key"] for row in CATALOGUE]
    values = values.assign(_key=values["key"].map(order.index), _level=values["area_level"].map(LEVEL_ORDER))
    values = values.sort_values(["_key", "period", "_level", "area_code"], kind="stable")
    return values.drop(columns=["_key", "_level"]).reset_index(drop=True)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _short_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _data_log(source_dir: Path, report: BuildReport) -> str:
    """The README.md written beside the tables: sources, method, checks, gaps and attribution."""
    sources = "\n".join(f"| `{s.name}` | {s.publisher} | {s.vintage} | {OGL} | {s.used_for} | "
                        f"`{_short_hash(source_dir / s.name)}` |" for s in SOURCES)
    catalogue = "\n".join(f"| `{c['key']}` | {c['name']} | {c['unit']} | {c['polarity']} | {c['url']} |"
                          for c in CATALOGUE)
    return f"""# Indicator snapshot: data log

The project's own compact extract of two published child-health indicators, for product 2
(health priorities). Each area's figure sits beside its region's and England's, with the period
and source. Do not edit these files by hand: rebuild them.

## How to rebuild

From the repository root, with the public files in `../shared/data`:

    jointwork data build-indicators --from ../shared/data

(`make data` runs this too; in Python: `jointwork.build_indicators.build_indicators(source_dir, out_dir)`.)
The output is byte-identical whenever the inputs are.

## Files

- `catalogue.csv`: one row per indicator: key, Fingertips id (empty for DfE), plain-English name,
  unit, polarity, publisher, source title, URL, licence, note.
- `values.csv`: one row per indicator, area and period: key, area code and name, level
  (`england`, `region`, `la`), region code, period, value, 95% confidence limits, count,
  denominator, note. Current upper-tier LAs (153), the 9 regions and England.

## Indicators

| key | name | unit | polarity | source URL |
|---|---|---|---|---|
{catalogue}

## Sources

| file | publisher | vintage | licence | used for | sha256 (first 12) |
|---|---|---|---|---|---|
{sources}

## How the figures were derived

- **{INJURY}** (Fingertips 90284): rows for Persons without a category (deprivation-decile
  rows dropped); duplicated England rows kept once; every period, 2010/11 onwards. Values,
  confidence limits, counts, populations and value notes are copied as published (notes such as
  combined areas, e.g. Cornwall and Isles of Scilly, stay on the row). Barnsley and Sheffield are
  published under their codes from before 2025 and are mapped to today's codes.
- Fingertips has no regional figures for this area type, so jointwork adds each region as the sum
  of its LAs' counts divided by the sum of their populations, times 10,000, with 95% limits by
  Byar's method. A region is left empty for a period when any of its LAs has no published count
  (for example when a hospital trust's records were incomplete); a combined area counts for both
  of its LAs. From 2012/13 every LA count in the export is a multiple of 5 (rounded), so a
  region can differ a little from a figure worked out from exact counts; the build compares
  England worked out the same way with the published England figure (see the summary below).
- **{GLD}** (DfE 2021/22): rows where characteristic, characteristic type and gender are all
  `Total`; the published England and regional (not Inner/Outer London) rows are used as they are.
  The file uses the LA codes of 2021/22: North Yorkshire (E10000023 -> E06000065) and Somerset
  (E10000027 -> E06000066) became unitary councils with the same boundaries; Cumbria (E10000006)
  was split, so Cumberland (Allerdale, Carlisle, Copeland) and Westmorland and Furness
  (Barrow-in-Furness, Eden, South Lakeland) are added up from the district rows of the same file,
  with the percentage rounded to one decimal place as DfE does.
- A current LA with no published figure keeps a row with an empty value and a note saying so.
  jointwork never estimates a missing figure.
- Each row's `note` says when jointwork calculated or re-coded a figure.

## Build summary

```
{report.summary().replace(str(report.out_dir), "this folder")}
```

## Licence and attribution

The source data are published under the {OGL}; so are these derived tables.

{ATTRIBUTION}
"""
