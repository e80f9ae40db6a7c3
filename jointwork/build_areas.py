"""Build the project's area tables (``data/areas/``) from public ONS and DfE files.

The tables are the project's own compact extract: every English upper-tier local authority (LA)
with its DfE code, region and Integrated Care Board(s) (ICB), plus former codes that still
name a current area. ICB membership comes from an INDICATIVE join of older lookups unless the
official ONS LSOA21 -> SICBL -> ICB -> LAD lookup is supplied, which gives exact LSOA counts.
The output is byte-identical whenever the inputs are.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

ENGLAND_CODE = "E92000001"
LA_LEVEL = "Local authority"
BASIS_INDICATIVE = "indicative"
BASIS_EXACT = "exact"
ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence v3.0. "
               "Source: Office for National Statistics; Department for Education; OHID Fingertips.")
OGL = "Open Government Licence v3.0"

AREAS_COLUMNS = ("code", "dfe_code", "name", "region", "region_code", "icb_basis", "single_icb", "coterminous",
                 "icb_codes")
AREA_ICBS_COLUMNS = ("area_code", "icb_code", "icb_ods_code", "icb_name", "lsoa_count", "lsoa_share")
ALIASES_COLUMNS = ("alias", "code", "reason")
LSOA_COLUMNS = ("LSOA21CD", "ICB23CD", "ICB23CDH", "ICB23NM", "LAD23CD")


@dataclass(frozen=True)
class SourceFile:
    """A public file the build reads, with what the data log says about it."""

    name: str
    publisher: str
    vintage: str
    used_for: str


UTLAS = SourceFile("drkane_utla_all_codes.csv", "Office for National Statistics (compiled by drkane/geo-lookups)",
                   "2025/26", "codes, names and regions of the upper-tier LAs")
LA_CODES = SourceFile("dfe_la_codes_2025_england.csv", "Department for Education (dfeR package, from ONS)", "2025",
                      "DfE 3-digit LA codes")
LTLA_UTLA = SourceFile("ons_ltla23_utla23_lookup_ew.csv", "Office for National Statistics", "April 2023",
                       "former LA codes; district -> LA for the exact join")
POPULATION = SourceFile("dfe_ons_mye_children_0to17_by_la_2012_2024.csv",
                        "Office for National Statistics mid-year estimates, via Department for Education",
                        "mid-2012 to mid-2024", "former LA codes and the DfE codes that went with them")
SICBL_ICB = SourceFile("ons_sicbl22_icb22_nhser22_lookup.csv", "Office for National Statistics", "July 2022",
                       "ICB names and ODS codes")
INDICATIVE = SourceFile("DERIVED_indicative_utla23_to_icb22_via_ccg21.csv",
                        "derived from ONS lookups (CCG21-LAD21 pairs, SICBL22 -> ICB22, LTLA23 -> UTLA23)",
                        "2021 to 2023", "indicative LA -> ICB links")
LAD_TO_LA = SourceFile("dfe_geo_hierarchy_2025_lad_to_la_england.csv", "Department for Education (dfeR package)",
                       "2025", "district -> LA for the exact join")


@dataclass(frozen=True)
class Correction:
    """A link the indicative join is known to get wrong, dropped on purpose."""

    area_code: str
    icb_code: str
    why: str


INDICATIVE_CORRECTIONS = (
    Correction("E10000007", "E54000057",
               "Glossop moved from NHS Greater Manchester ICB to NHS Derby and Derbyshire ICB on 1 July 2022, "
               "so Derbyshire sits in NHS Derby and Derbyshire ICB only; the join rests on 2021 CCG boundaries"),
)
# (area code, ICB code): links that may come from a small sliver of land; kept, but named in the data log.
SLIVER_CAVEATS = (("E10000025", "E54000040"), ("E06000060", "E54000024"))


@dataclass
class BuildReport:
    """What a build wrote, with counts and everything a reviewer should know."""

    out_dir: Path
    areas: int = 0
    links: int = 0
    single_icb: int = 0
    coterminous: int = 0
    exact: int = 0
    aliases: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few plain-English lines for the terminal."""
        lines = [f"Wrote {self.out_dir}: {self.areas} areas, {self.links} area-ICB links, {self.aliases} aliases.",
                 f"{self.single_icb} areas sit within one ICB ({self.coterminous} coterminous); "
                 f"{self.areas - self.single_icb} span more than one.",
                 f"ICB basis: {self.exact} exact, {self.areas - self.exact} indicative."]
        lines += [f"warning: {text}" for text in self.warnings]
        return "\n".join(lines)


@dataclass
class _Link:
    icb_code: str
    ods_code: str
    name: str
    lsoa_count: int | None = None
    lsoa_share: float | None = None


@dataclass
class _Area:
    code: str
    dfe_code: str
    name: str
    region: str
    region_code: str
    icb_basis: str = BASIS_INDICATIVE
    links: list[_Link] = field(default_factory=list)


@dataclass(frozen=True)
class _Alias:
    code: str
    reason: str


def build_areas(source_dir: Path, out_dir: Path, lsoa_lookup: Path | None = None) -> BuildReport:
    """Build ``areas.csv``, ``area_icbs.csv``, ``aliases.csv`` and ``README.md`` in ``out_dir``."""
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    report = BuildReport(out_dir)
    used = [UTLAS, LA_CODES, LTLA_UTLA, POPULATION, SICBL_ICB, INDICATIVE]
    areas = _read_areas(source_dir, report)
    aliases = _derive_aliases(source_dir, areas, report)
    icb_names = _read_icb_names(source_dir)
    _add_indicative_links(source_dir, areas, aliases, icb_names)
    corrections = _apply_corrections(areas, report)
    if lsoa_lookup is not None:
        used.append(LAD_TO_LA)
        _add_exact_links(Path(lsoa_lookup), source_dir, areas, aliases, report)
    single, coterminous = _membership(areas)

    out_dir.mkdir(parents=True, exist_ok=True)
    _write_tables(out_dir, areas, aliases, single, coterminous)
    report.areas = len(areas)
    report.links = sum(len(area.links) for area in areas.values())
    report.single_icb = len(single)
    report.coterminous = len(coterminous)
    report.exact = sum(area.icb_basis == BASIS_EXACT for area in areas.values())
    report.aliases = len(aliases)
    log = _data_log(source_dir, used, lsoa_lookup, areas, corrections, report)
    (out_dir / "README.md").write_bytes(log.encode("utf-8"))
    return report


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV keyed by ``columns`` (matched ignoring case and a byte-order mark)."""
    if not path.is_file():
        raise InputError(path, "file", "an existing CSV file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        position = {name.strip().casefold(): index for index, name in enumerate(header)}
        for column in columns:
            if column.casefold() not in position:
                raise InputError(path, column, f"a column named {column} in the header", got=", ".join(header))
        picks = [(column, position[column.casefold()]) for column in columns]
        return [{column: row[index].strip() if index < len(row) else "" for column, index in picks}
                for row in reader if row]


def _read_areas(source_dir: Path, report: BuildReport) -> dict[str, _Area]:
    """The English upper-tier LAs (ONS) with their DfE codes, keyed by GSS code."""
    utla_path = source_dir / UTLAS.name
    utlas = [row for row in _read_csv(utla_path, ("UTLACD", "UTLANM", "RGNCD", "RGNNM", "CTRYCD"))
             if row["CTRYCD"] == ENGLAND_CODE]
    dfe_path = source_dir / LA_CODES.name
    dfe = {row["new_la_code"]: row
           for row in _read_csv(dfe_path, ("new_la_code", "old_la_code", "la_name", "region_code", "region_name"))}
    ons_codes = {row["UTLACD"] for row in utlas}
    if ons_codes != set(dfe):
        raise InputError(dfe_path, "new_la_code", f"the same LA codes as {UTLAS.name}",
                         got=sorted(ons_codes ^ set(dfe)))
    areas = {}
    for row in utlas:
        code = row["UTLACD"]
        other = dfe[code]
        if (other["la_name"], other["region_code"]) != (row["UTLANM"], row["RGNCD"]):
            report.warnings.append(f"{code}: {LA_CODES.name} says {other['la_name']} in {other['region_name']}; "
                                   f"kept the ONS name {row['UTLANM']} in {row['RGNNM']}")
        areas[code] = _Area(code, other["old_la_code"], row["UTLANM"], row["RGNNM"], row["RGNCD"])
    return areas


def _derive_aliases(source_dir: Path, areas: dict[str, _Area], report: BuildReport) -> dict[str, _Alias]:
    """Former GSS codes of current areas, found in older lookups; fills DfE codes the 2025 list lacks.

    A former code is an alias when a current area has the same name and, where the old file gives
    one, the same DfE code (a changed DfE code means the boundary changed, so it is not an alias).
    """
    seen_in: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    dfe_codes: dict[str, set[str]] = defaultdict(set)
    last_year: dict[str, int] = {}
    for row in _read_csv(source_dir / LTLA_UTLA.name, ("UTLA23CD", "UTLA23NM")):
        if row["UTLA23CD"].startswith("E") and row["UTLA23CD"] not in areas:
            seen_in[row["UTLA23CD"]].add("ONS UTLA lookup April 2023")
            names[row["UTLA23CD"]] = row["UTLA23NM"]
    population = _read_csv(source_dir / POPULATION.name,
                           ("geographic_level", "time_period", "new_la_code", "old_la_code", "la_name"))
    for row in population:
        code = row["new_la_code"]
        if row["geographic_level"] == LA_LEVEL and code not in areas:
            year = int(row["time_period"])
            seen_in[code].add("ONS mid-year population estimates (via DfE)")
            names[code] = row["la_name"]
            dfe_codes[code].add(row["old_la_code"])
            last_year[code] = max(year, last_year.get(code, year))

    by_name = {area.name.casefold(): area for area in areas.values()}
    aliases: dict[str, _Alias] = {}
    for old_code in sorted(seen_in):
        name = names[old_code]
        area = by_name.get(name.casefold())
        if area is None:
            report.warnings.append(f"former code {old_code} ({name}) not aliased: no current area has that name "
                                   "(merged or split)")
            continue
        old_dfe = "/".join(sorted(dfe_codes[old_code]))
        if old_dfe and area.dfe_code.isdigit() and old_dfe != area.dfe_code:
            report.warnings.append(f"former code {old_code} ({name}, DfE {old_dfe}) not aliased to {area.code}: "
                                   f"its DfE code is now {area.dfe_code}, so the boundary changed")
            continue
        if old_dfe.isdigit() and not area.dfe_code.isdigit():
            area.dfe_code = old_dfe
        when = f"recoded {last_year[old_code] + 1}" if old_code in last_year else "recoded after April 2023"
        sources = " and ".join(sorted(seen_in[old_code]))
        until = f" to mid-{last_year[old_code]}" if old_code in last_year else ""
        aliases[old_code] = _Alias(area.code, f"{when}: same name{' and DfE code' if old_dfe else ''}; "
                                              f"former code in {sources}{until}")
    for area in areas.values():
        if not (area.dfe_code.isdigit() and len(area.dfe_code) == 3):
            raise InputError(source_dir / LA_CODES.name, "old_la_code",
                             f"a 3-digit DfE code for {area.name} ({area.code}), or a former code of the same "
                             f"area with one in {POPULATION.name}", got=area.dfe_code)
    return aliases


def _short_icb_name(name: str) -> str:
    """'NHS Dorset Integrated Care Board' -> 'NHS Dorset ICB'."""
    suffix = " Integrated Care Board"
    return name[: -len(suffix)] + " ICB" if name.endswith(suffix) else name


def _read_icb_names(source_dir: Path) -> dict[str, tuple[str, str]]:
    """ICB GSS code -> (ODS code, short name)."""
    rows = _read_csv(source_dir / SICBL_ICB.name, ("ICB22CD", "ICB22CDH", "ICB22NM"))
    return {row["ICB22CD"]: (row["ICB22CDH"], _short_icb_name(row["ICB22NM"])) for row in rows}


def _current_code(code: str, areas: dict[str, _Area], aliases: dict[str, _Alias]) -> str | None:
    """The current GSS code for a current or former code, else None."""
    if code in areas:
        return code
    return aliases[code].code if code in aliases else None


def _add_indicative_links(source_dir: Path, areas: dict[str, _Area], aliases: dict[str, _Alias],
                          icb_names: dict[str, tuple[str, str]]) -> None:
    """Link each area to the ICB(s) the indicative join gives (names from the ONS ICB lookup)."""
    path = source_dir / INDICATIVE.name
    for line, row in enumerate(_read_csv(path, ("UTLA23CD", "icb22_codes")), start=2):
        code = _current_code(row["UTLA23CD"], areas, aliases)
        if code is None:
            raise InputError(path, "UTLA23CD", "a current LA code or a known former one", line=line,
                             got=row["UTLA23CD"])
        for icb_code in sorted(set(filter(None, row["icb22_codes"].split(";")))):
            if icb_code not in icb_names:
                raise InputError(path, "icb22_codes", f"ICB codes listed in {SICBL_ICB.name}", line=line,
                                 got=icb_code)
            ods_code, name = icb_names[icb_code]
            areas[code].links.append(_Link(icb_code, ods_code, name))
    missing = sorted(code for code, area in areas.items() if not area.links)
    if missing:
        raise InputError(path, "UTLA23CD", "a row for every English upper-tier LA", got=missing)


def _apply_corrections(areas: dict[str, _Area], report: BuildReport) -> list[str]:
    """Drop the indicative links known to be wrong; returns what was done, for the data log."""
    done = []
    for correction in INDICATIVE_CORRECTIONS:
        area = areas[correction.area_code]
        wrong = [link for link in area.links if link.icb_code == correction.icb_code]
        if not wrong:
            report.warnings.append(f"correction not needed any more, {area.name} has no link to "
                                   f"{correction.icb_code}: {correction.why}")
            continue
        if len(wrong) == len(area.links):
            raise InputError(INDICATIVE.name, "icb22_codes",
                             f"another ICB for {area.name} besides {correction.icb_code}")
        area.links = [link for link in area.links if link.icb_code != correction.icb_code]
        done.append(f"dropped {area.name} ({area.code}) -> {wrong[0].name} ({correction.icb_code}): "
                    f"{correction.why}")
    report.warnings.extend(f"corrected: {text}" for text in done)
    return done


def _district_to_area(source_dir: Path, areas: dict[str, _Area], aliases: dict[str, _Alias]) -> dict[str, str]:
    """District (LAD) code, 2023 or 2025, -> current upper-tier LA code."""
    mapping = {}
    for row in _read_csv(source_dir / LTLA_UTLA.name, ("LTLA23CD", "UTLA23CD")):
        code = _current_code(row["UTLA23CD"], areas, aliases)
        if code is not None:
            mapping[row["LTLA23CD"]] = code
    for row in _read_csv(source_dir / LAD_TO_LA.name, ("lad_code", "new_la_code")):
        mapping[row["lad_code"]] = row["new_la_code"]
    return mapping


def _add_exact_links(path: Path, source_dir: Path, areas: dict[str, _Area], aliases: dict[str, _Alias],
                     report: BuildReport) -> None:
    """Replace the indicative links of every area the LSOA lookup covers with exact LSOA counts."""
    rows = _read_csv(path, LSOA_COLUMNS)
    district_to_area = _district_to_area(source_dir, areas, aliases)
    icbs: dict[str, tuple[str, str]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    seen_lsoas: set[str] = set()
    outside_england = 0
    for line, row in enumerate(rows, start=2):
        if row["LSOA21CD"] in seen_lsoas:
            raise InputError(path, "LSOA21CD", "each LSOA once", line=line, got=row["LSOA21CD"])
        seen_lsoas.add(row["LSOA21CD"])
        if not row["LAD23CD"].startswith("E"):
            outside_england += 1
            continue
        if row["LAD23CD"] not in district_to_area:
            raise InputError(path, "LAD23CD", f"a district code listed in {LTLA_UTLA.name} or {LAD_TO_LA.name}",
                             line=line, got=row["LAD23CD"])
        icb = (row["ICB23CDH"], _short_icb_name(row["ICB23NM"]))
        if icbs.setdefault(row["ICB23CD"], icb) != icb:
            raise InputError(path, "ICB23NM", f"one ODS code and name per ICB23CD ({row['ICB23CD']})", line=line,
                             got=row["ICB23NM"])
        counts[district_to_area[row["LAD23CD"]], row["ICB23CD"]] += 1
    totals: Counter[str] = Counter()
    for (area_code, _), count in counts.items():
        totals[area_code] += count
    for area_code in totals:
        areas[area_code].icb_basis = BASIS_EXACT
        areas[area_code].links = []
    for (area_code, icb_code), count in sorted(counts.items()):
        ods_code, name = icbs[icb_code]
        areas[area_code].links.append(_Link(icb_code, ods_code, name, count, count / totals[area_code]))
    if outside_england:
        report.warnings.append(f"{path.name}: skipped {outside_england} LSOAs outside England")
    left = len(areas) - len(totals)
    if left:
        report.warnings.append(f"{path.name} covers {len(totals)} of {len(areas)} areas; "
                               f"the other {left} keep indicative ICB links")


def _membership(areas: dict[str, _Area]) -> tuple[set[str], set[str]]:
    """Codes of areas within one ICB, and of those whose ICB covers no other area."""
    areas_per_icb: Counter[str] = Counter(link.icb_code for area in areas.values() for link in area.links)
    single = {code for code, area in areas.items() if len(area.links) == 1}
    coterminous = {code for code in single if areas_per_icb[areas[code].links[0].icb_code] == 1}
    return single, coterminous


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _write_tables(out_dir: Path, areas: dict[str, _Area], aliases: dict[str, _Alias], single: set[str],
                  coterminous: set[str]) -> None:
    ordered = [areas[code] for code in sorted(areas)]
    _write_csv(out_dir / "areas.csv", AREAS_COLUMNS, [
        [area.code, area.dfe_code, area.name, area.region, area.region_code, area.icb_basis,
         _flag(area.code in single), _flag(area.code in coterminous),
         ";".join(link.icb_code for link in area.links)]
        for area in ordered])
    _write_csv(out_dir / "area_icbs.csv", AREA_ICBS_COLUMNS, [
        [area.code, link.icb_code, link.ods_code, link.name,
         "" if link.lsoa_count is None else str(link.lsoa_count),
         "" if link.lsoa_share is None else f"{link.lsoa_share:.4f}"]
        for area in ordered for link in sorted(area.links, key=lambda link: link.icb_code)])
    _write_csv(out_dir / "aliases.csv", ALIASES_COLUMNS,
               [[old_code, alias.code, alias.reason] for old_code, alias in sorted(aliases.items())])


def _short_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _data_log(source_dir: Path, used: list[SourceFile], lsoa_lookup: Path | None, areas: dict[str, _Area],
              corrections: list[str], report: BuildReport) -> str:
    """The README.md that travels with the tables: contents, sources, caveats, how to rebuild."""
    multi = sorted(f"{area.name} ({area.code}): {'; '.join(link.name for link in area.links)} ({area.icb_basis})"
                   for area in areas.values() if len(area.links) > 1)
    slivers = []
    for area_code, icb_code in SLIVER_CAVEATS:
        link = next((link for link in areas[area_code].links if link.icb_code == icb_code), None)
        state = "kept" if link else "not present in this build"
        slivers.append(f"{areas[area_code].name} -> {link.name if link else icb_code} ({state})")
    rebuild = "jointwork data build-areas --from DIR" + (f" --lsoa-lookup {lsoa_lookup.name}" if lsoa_lookup else "")
    source_rows = [f"| {source.name} | {source.publisher} | {source.vintage} | {OGL} | {source.used_for} | "
                   f"{_short_hash(source_dir / source.name)} |" for source in used]
    if lsoa_lookup is not None:
        source_rows.append(f"| {lsoa_lookup.name} | Office for National Statistics (LSOA21 -> SICBL -> ICB -> LAD "
                           f"lookup) | 2023 | {OGL} | exact LSOA counts per LA and ICB | {_short_hash(lsoa_lookup)} |")
    warnings = [f"- {text}" for text in report.warnings] or ["- none"]
    text = [
        "# Area reference tables (data log)",
        "",
        "Built by `jointwork/build_areas.py`; do not edit these files by hand, rebuild them.",
        "",
        "## Tables",
        "",
        f"- `areas.csv`: one row per English upper-tier local authority ({report.areas} rows, sorted by code): "
        "`code` (ONS GSS code), `dfe_code` (DfE 3-digit code), `name`, `region`, `region_code`, "
        "`icb_basis` (`indicative` or `exact`), `single_icb` (the LA sits within one ICB), "
        "`coterminous` (that ICB covers no other LA), `icb_codes` (ICB GSS codes, `;`-separated).",
        f"- `area_icbs.csv`: one row per (area, ICB) link ({report.links} rows): `area_code`, `icb_code`, "
        "`icb_ods_code`, `icb_name` (\"Integrated Care Board\" shortened to \"ICB\"), `lsoa_count` and "
        "`lsoa_share` (the LA's LSOAs in that ICB, share to 4 decimals; empty when indicative).",
        f"- `aliases.csv`: former GSS codes that still name a current area ({report.aliases} rows): `alias`, "
        "`code`, `reason`. A former code counts only when the current area has the same name and, where known, "
        "the same DfE code; codes of areas that were merged or split are not aliases.",
        "",
        "## ICB membership is INDICATIVE unless `icb_basis` says `exact`",
        "",
        f"This build: {report.exact} areas exact, {report.areas - report.exact} indicative.",
        "",
        "The public files hold no LA -> ICB table. The indicative links come from joining district-CCG pairs "
        "(2021 CCGs and districts, taken from the LSOA 2011 lookup) to the 2022 ICBs through the CCG/sub-ICB "
        "ODS code, then districts to 2023 upper-tier LAs. The pairs carry no weights, so a handful of LSOAs "
        "across a border count as a full link, and boundary moves after 2021 are missed. "
        "For exact membership, download the ONS \"LSOA (2021) to Sub ICB Location to ICB to LAD\" lookup and "
        "pass it with `--lsoa-lookup`: every LA it covers then gets LSOA counts and shares.",
        "",
        "Rows the join lists under former codes (Barnsley, Sheffield) are mapped through the aliases. ICB names "
        f"and ODS codes come from `{SICBL_ICB.name}`: the join's own `icb22_names` column is sorted apart from "
        "its `icb22_codes`, so it is not used.",
        "",
        "Corrections applied to the indicative links:",
        "",
        *([f"- {text}" for text in corrections] or ["- none"]),
        "",
        "Links that may rest on a small sliver of the LA (one district-CCG pair is enough for a link, however "
        "few people live there). They are kept, not dropped; the exact lookup settles them:",
        "",
        *[f"- {text}" for text in slivers],
        "",
        f"Areas linked to more than one ICB in this build ({len(multi)}):",
        "",
        *[f"- {text}" for text in multi],
        "",
        "## Warnings from the build",
        "",
        *warnings,
        "",
        "## Sources",
        "",
        "| file | publisher | vintage | licence | used for | sha256 (first 12) |",
        "|---|---|---|---|---|---|",
        *source_rows,
        "",
        "## Rebuild",
        "",
        "```",
        rebuild,
        "```",
        "",
        "`DIR` is the folder holding the source files (in this repository, `../shared/data`; see `make data`).",
        "",
        "## Attribution",
        "",
        ATTRIBUTION,
        "",
    ]
    return "\n".join(text)
