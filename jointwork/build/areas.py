"""Build the project's area tables (``data/areas/``) from public ONS, DfE and NHS files.

The tables are the project's own compact extract: every English upper-tier local authority (LA)
with its DfE code, region, the dates it is valid for, and the Integrated Care Board(s) (ICB) it
sits in on two NHS maps, side by side:

* **July 2022** (42 ICBs): an INDICATIVE join of older lookups, with its known faults corrected,
  or exact LSOA shares when the ONS April 2023 LSOA lookup is given;
* **1 April 2026** (36 ICBs): the 2022 links carried onto the new ICBs through the NHS successions
  (mergers, splits, an acquisition) and the split rules, each rule firm, likely or uncertain; or
  exact LSOA shares when the ONS April 2026 LSOA lookup is given.

Areas that end (Surrey County Council on 1 April 2027) and their successors come from the
hand-maintained ``data/areas/changes.csv``. The output is byte-identical whenever the inputs are.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..core.errors import InputError
from ..core.licence import ATTRIBUTION, OGL
from ..core.paths import data_dir

ENGLAND_CODE = "E92000001"
LA_LEVEL = "Local authority"
BASIS_INDICATIVE = "indicative"
BASIS_EXACT = "exact"
BASIS_DERIVED = "derived"
FIRM, LIKELY, UNCERTAIN = "firm", "likely", "uncertain"
CONFIDENCES = (FIRM, LIKELY, UNCERTAIN)  # strongest first
YEARS = (2022, 2026)
MAP_NAME = {2022: "July 2022", 2026: "1 April 2026"}
MAP_2022_ENDS = date(2026, 3, 31)  # the last day of the 42 ICBs
SLIVER_SHARE = 0.05  # with exact LSOA counts, a link under 5% of the area's LSOAs is a sliver
CHANGES_FILE = "changes.csv"

AREAS_COLUMNS = (
    "code",
    "dfe_code",
    "name",
    "region",
    "region_code",
    "valid_from",
    "valid_to",
    "icb_basis",
    "single_icb",
    "coterminous",
    "icb_codes",
    "icb_basis_2022",
    "single_icb_2022",
    "coterminous_2022",
    "icb_codes_2022",
)
AREA_ICBS_COLUMNS = (
    "area_code",
    "year",
    "icb_code",
    "icb_ods_code",
    "icb_name",
    "lsoa_count",
    "lsoa_share",
    "sliver",
    "confidence",
    "weakest_part",
    "note",
)
ICBS_COLUMNS = ("year", "code", "ods_code", "name", "nhs_region", "became")
SUCCESSORS_COLUMNS = ("area_code", "date", "successor_code", "successor_name", "source")
ALIASES_COLUMNS = ("alias", "code", "reason")
CHANGES_COLUMNS = (
    "date",
    "predecessor_code",
    "predecessor_name",
    "successor_code",
    "successor_name",
    "successor_dfe_code",
    "source",
)
TABLES = ("areas.csv", "area_icbs.csv", "icbs.csv", "area_successors.csv", "aliases.csv", "README.md")


@dataclass(frozen=True)
class SourceFile:
    """A public file the build reads, with what the data log says about it."""

    name: str
    publisher: str
    vintage: str
    used_for: str
    licence: str = OGL


UTLAS = SourceFile(
    "drkane_utla_all_codes.csv",
    "Office for National Statistics (compiled by drkane/geo-lookups)",
    "2025/26",
    "codes, names and regions of the upper-tier LAs",
)
LA_CODES = SourceFile(
    "dfe_la_codes_2025_england.csv", "Department for Education (dfeR package, from ONS)", "2025", "DfE 3-digit LA codes"
)
LTLA_UTLA = SourceFile(
    "ons_ltla23_utla23_lookup_ew.csv",
    "Office for National Statistics",
    "April 2023",
    "former LA codes; district -> LA for the split rules and the exact join",
)
LAD_TO_LA = SourceFile(
    "dfe_geo_hierarchy_2025_lad_to_la_england.csv",
    "Department for Education (dfeR package)",
    "2025",
    "district -> LA for the split rules and the exact join",
)
POPULATION = SourceFile(
    "dfe_ons_mye_children_0to17_by_la_2012_2024.csv",
    "Office for National Statistics mid-year estimates, via Department for Education",
    "mid-2012 to mid-2024",
    "former LA codes and the DfE codes that went with them",
)
SICBL_ICB = SourceFile(
    "ons_sicbl22_icb22_nhser22_lookup.csv",
    "Office for National Statistics",
    "July 2022",
    "the 42 ICBs of July 2022: names, ODS codes, NHS regions, sub-ICB locations",
)
CCG21 = SourceFile(
    "ons_derived_ccg21_lad21_lookup.csv",
    "Office for National Statistics (LSOA11 -> CCG21 -> LAD21 lookup, reduced to pairs)",
    "April 2021",
    "evidence for the corrections: which sub-ICB locations were recoded between 2021 and 2022",
)
INDICATIVE = SourceFile(
    "DERIVED_indicative_utla23_to_icb22_via_ccg21.csv",
    "derived from ONS lookups (CCG21-LAD21 pairs, SICBL22 -> ICB22, LTLA23 -> UTLA23)",
    "2021 to 2023",
    "indicative LA -> ICB links of July 2022",
)
ICB26 = SourceFile(
    "nhs_icb26_england.csv",
    'NHS England, "More about each integrated care system" (updated 19 March 2026), as compiled in '
    "public code (ajdench/dmsGIS)",
    "1 April 2026",
    "the 36 ICBs from 1 April 2026: codes, names, NHS regions",
)
SUCCESSIONS = SourceFile(
    "nhs_icb_successions_2026.csv",
    "NHS Organisation Data Service succession records, as tabulated by the RCPCH NHS organisations "
    "project (rcpch/rcpch-nhs-organisations)",
    "1 April 2026",
    "which July 2022 ICB became which April 2026 ICB (merger, split, acquisition)",
)
SPLIT_RULES = SourceFile(
    "nhs_icb_split_rules_2026.csv",
    "derived from the published descriptions of the new ICB footprints (the shared data folder's own table)",
    "1 April 2026",
    "how the territory of each split ICB divides; each rule firm, likely or uncertain",
    f"derived table; the descriptions it rests on are public sector information ({OGL})",
)


@dataclass(frozen=True)
class LsoaFormat:
    """One edition of the ONS LSOA (2021) -> sub-ICB location -> ICB -> district lookup."""

    year: int
    title: str
    sicbl_ods: str
    icb: str
    icb_ods: str
    icb_name: str
    lad: str
    lsoa: str = "LSOA21CD"

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the build reads (the file has more)."""
        needed = (self.lsoa, self.sicbl_ods, self.icb, self.icb_ods, self.icb_name, self.lad)
        return tuple(column for column in needed if column)


LSOA_2023 = LsoaFormat(
    2023,
    'ONS "LSOA (2021) to Sub ICB Location to ICB to LAD (April 2023)" lookup',
    "SICBL23CDH",
    "ICB23CD",
    "ICB23CDH",
    "ICB23NM",
    "LAD23CD",
)
LSOA_2026 = LsoaFormat(
    2026,
    'ONS "LSOA (2021) to SICBL to ICB to NHSER to LAD (April 2026)" lookup',
    "",
    "ICB26CD",
    "ICB26CDH",
    "ICB26NM",
    "LAD26CD",
)
LSOA_FORMATS = (LSOA_2026, LSOA_2023)


@dataclass(frozen=True)
class Correction:
    """A July 2022 link the indicative join is known to get wrong, dropped on purpose."""

    area_code: str
    icb_code: str
    why: str
    evidence: str
    verified: bool = True


INDICATIVE_CORRECTIONS = (
    Correction(
        "E10000007",
        "E54000057",
        "Glossop moved from NHS Greater Manchester ICB to NHS Derby and Derbyshire ICB on 1 July 2022, "
        "so Derbyshire sits in NHS Derby and Derbyshire ICB only; the join rests on 2021 CCG boundaries",
        "the shared data README lists it as a known error of the join; the 2021 lookup puts part of High Peak "
        "in NHS Tameside and Glossop CCG (01Y)",
    ),
    Correction(
        "E08000025",
        "E54000062",
        "West Birmingham moved from the Black Country to NHS Birmingham and Solihull ICB on 1 July 2022, "
        "so Birmingham sits in NHS Birmingham and Solihull ICB only",
        "the 2021 lookup puts part of Birmingham in NHS Black Country and West Birmingham CCG (D2P2L); "
        "the shared data README lists the move",
    ),
    Correction(
        "E06000061",
        "E54000056",
        "the Lakeside Healthcare practice in Oundle moved from Cambridgeshire and Peterborough to "
        "Northamptonshire on 1 July 2022, so North Northamptonshire sits in NHS Northamptonshire ICB only",
        "reported in the shared data README; Northamptonshire Health and Care Partnership, "
        '"Transfer of Lakeside Healthcare GP practice, Oundle" (May 2022, '
        "https://northamptonshirehcp.co.uk/2022/05/transfer-of-lakeside-healthcare-gp-practice-oundle/), "
        "says the practice and all its registered patients transfer on 1 July 2022",
        verified=False,
    ),
)


@dataclass(frozen=True)
class Sliver:
    """A July 2022 link that covers only a small sliver of the area, with the evidence."""

    area_code: str
    icb_code: str
    what: str


SLIVERS = (
    Sliver("E06000063", "E54000048", "the Millom area, 6 LSOAs in the ONS April 2026 LSOA lookup"),
    Sliver("E06000065", "E54000048", "3 LSOAs in the ONS April 2026 LSOA lookup"),
)
# (area code, ICB code): links that may rest on a small sliver, not confirmed; kept as full links with a note.
POSSIBLE_SLIVERS = (("E10000025", "E54000040"), ("E06000060", "E54000024"))
POSSIBLE_SLIVER_NOTE = (
    "The link may rest on a small sliver of the area (one district-CCG pair is enough for the indicative join); "
    "not confirmed."
)
# Public reports found while building the April 2026 map, named in the data log beside the rules they bear on.
SPLIT_EVIDENCE = (
    (
        "Hart, Rushmoor",
        'Haslemere Herald, "NHS reorganisation for north-east Hampshire Frimley Park patients" (17 January 2026, '
        "https://www.haslemereherald.com/news/health/"
        "nhs-reorganisation-for-north-east-hampshire-frimley-park-patients-870505): "
        "NHS Hampshire and Isle of Wight ICB told a Hampshire County Council committee that it takes on "
        "about 176,000 people in Rushmoor and part of Hart from Frimley in April 2026 (supports the likely rules)",
    ),
    (
        "Farnham",
        "Farnham Herald, a column by the MP for Farnham and Bordon, Greg Stafford, "
        '"Changes to the NHS must deliver better care locally" (undated in the stored copy, '
        "https://www.farnhamherald.com/opinion/"
        "greg-stafford-mp-changes-to-the-nhs-must-deliver-better-care-locally-871004): "
        "says Farnham and Haslemere move into NHS Surrey and Sussex ICB, which is the other way from the "
        "uncertain rule; the ONS April 2026 LSOA lookup settles it",
    ),
)


@dataclass
class BuildReport:
    """What a build wrote, with counts and everything a reviewer should know."""

    out_dir: Path
    areas: int = 0
    links: int = 0
    aliases: int = 0
    icbs: dict[int, int] = field(default_factory=dict)
    single_icb: dict[int, int] = field(default_factory=dict)
    coterminous: dict[int, int] = field(default_factory=dict)
    basis: dict[int, Counter[str]] = field(default_factory=dict)
    slivers: list[str] = field(default_factory=list)
    not_firm: list[str] = field(default_factory=list)
    lsoa_format: str = ""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few plain-English lines for the terminal."""
        lines = [
            f"Wrote {self.out_dir}: {self.areas} areas, {self.links} area-ICB links, {self.aliases} aliases.",
        ]
        for year in reversed(YEARS):
            basis = ", ".join(f"{count} {name}" for name, count in sorted(self.basis.get(year, Counter()).items()))
            lines.append(
                f"{MAP_NAME[year]} ({self.icbs.get(year, 0)} ICBs): {self.single_icb.get(year, 0)} areas sit within "
                f"one ICB ({self.coterminous.get(year, 0)} co-terminous), "
                f"{self.areas - self.single_icb.get(year, 0)} span more than one; ICB basis: {basis}."
            )
        lines.append(
            f"Slivers: {len(self.slivers)}; links resting on a likely or uncertain rule: {len(self.not_firm)}."
        )
        if self.lsoa_format:
            lines.append(f"Exact shares from the {self.lsoa_format}.")
        lines += [f"warning: {text}" for text in self.warnings]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Icb:
    code: str
    ods_code: str
    name: str  # short: "NHS Dorset ICB"
    region: str


@dataclass
class _Link:
    icb: _Icb
    lsoa_count: int | None = None
    lsoa_share: float | None = None
    sliver: bool = False
    confidence: str = ""
    notes: list[str] = field(default_factory=list)
    weakest_part: str = ""  # when part of a firm (or likely) link rests on a weaker rule: that rule's confidence

    @property
    def counted(self) -> bool:
        """Whether the link counts towards single-ICB and co-terminosity (slivers and uncertain links do not)."""
        return not self.sliver and self.confidence != UNCERTAIN


@dataclass
class _Area:
    code: str
    dfe_code: str
    name: str
    region: str
    region_code: str
    valid_from: date | None = None
    valid_to: date | None = None
    basis: dict[int, str] = field(default_factory=lambda: dict.fromkeys(YEARS, BASIS_INDICATIVE))
    links: dict[int, list[_Link]] = field(default_factory=lambda: {year: [] for year in YEARS})
    sicbls: set[str] = field(default_factory=set)  # July 2022 sub-ICB locations (GSS) the join gives

    def overlaps(self, other: _Area) -> bool:
        """Whether the two areas exist at the same time."""
        starts_before_other_ends = (
            other.valid_to is None or self.valid_from is None or self.valid_from <= other.valid_to
        )
        ends_after_other_starts = self.valid_to is None or other.valid_from is None or other.valid_from <= self.valid_to
        return starts_before_other_ends and ends_after_other_starts


@dataclass(frozen=True)
class _Alias:
    code: str
    reason: str


@dataclass(frozen=True)
class _Change:
    line: int
    day: date
    predecessor: str
    successor_code: str
    successor_name: str
    successor_dfe_code: str
    source: str


@dataclass(frozen=True)
class _Rule:
    line: int
    predecessor: str  # July 2022 ICB GSS code
    part: str
    kind: str  # "sicbl22", "lad" or "lad-part"
    code: str
    successor: str  # April 2026 ICB GSS code
    confidence: str
    basis: str


@dataclass
class _NhsMap:
    """The two ICB maps and how one became the other."""

    icbs: dict[int, dict[str, _Icb]]
    sicbl_icb: dict[str, str]  # SICBL22 GSS -> ICB22 GSS
    sicbl_ods: dict[str, str]  # SICBL22 GSS -> its ODS code
    became: dict[str, tuple[str, ...]]  # ICB22 GSS -> ICB26 GSS code(s)
    kind: dict[str, str]  # ICB22 GSS -> "continues", "recoded", "merger" or "split"
    rules: dict[str, list[_Rule]]  # ICB22 GSS of a split ICB -> its rules
    succession_date: str = ""


def build_areas(
    source_dir: Path, out_dir: Path, lsoa_lookup: Path | None = None, changes: Path | None = None
) -> BuildReport:
    """Build the area tables and their data log (``README.md``) in ``out_dir``.

    ``lsoa_lookup`` is the ONS LSOA lookup of April 2023 or April 2026 (detected from its header);
    ``changes`` is the hand-maintained list of areas that end and their successors (default: the
    project's ``data/areas/changes.csv``).
    """
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    changes = Path(changes) if changes is not None else data_dir() / "areas" / CHANGES_FILE
    report = BuildReport(out_dir)
    used = [
        UTLAS,
        LA_CODES,
        LTLA_UTLA,
        LAD_TO_LA,
        POPULATION,
        SICBL_ICB,
        CCG21,
        INDICATIVE,
        ICB26,
        SUCCESSIONS,
        SPLIT_RULES,
    ]
    areas = _read_areas(source_dir, report)
    aliases = _derive_aliases(source_dir, areas, report)
    district_to_area = _district_to_area(source_dir, areas, aliases)
    nhs = _read_nhs_map(source_dir, district_to_area)
    _add_indicative_links(source_dir, areas, aliases, nhs)
    corrections = _apply_corrections(areas, nhs, report)
    _mark_slivers(areas, report)
    for area in areas.values():
        area.links[2026] = _carry_to_2026(area, nhs, district_to_area, source_dir)
    successions = _apply_changes(changes, areas, report)
    district_to_area.update({code: code for code in areas})
    lsoa_format = None
    if lsoa_lookup is not None:
        districts = _districts(source_dir)
        lsoa_format = _add_exact_links(Path(lsoa_lookup), areas, district_to_area, districts, nhs, report)
        report.lsoa_format = lsoa_format.title
    membership = {year: _membership(areas, year) for year in YEARS}

    out_dir.mkdir(parents=True, exist_ok=True)
    _write_tables(out_dir, areas, aliases, nhs, successions, membership)
    report.areas = len(areas)
    report.links = sum(len(area.links[year]) for area in areas.values() for year in YEARS)
    report.aliases = len(aliases)
    for year in YEARS:
        report.icbs[year] = len(nhs.icbs[year])
        report.single_icb[year] = len(membership[year][0])
        report.coterminous[year] = len(membership[year][1])
        report.basis[year] = Counter(area.basis[year] for area in areas.values())
    for area in sorted(areas.values(), key=lambda area: area.name):
        for link in area.links[2026]:
            if link.sliver:
                report.slivers.append(f"{area.name} -> {link.icb.name}")
            if link.confidence in (LIKELY, UNCERTAIN) or link.weakest_part:
                part = f"; a part {link.weakest_part}" if link.weakest_part else ""
                report.not_firm.append(f"{area.name} -> {link.icb.name} ({link.confidence}{part})")
    log = _data_log(source_dir, used, lsoa_lookup, lsoa_format, changes, areas, nhs, corrections, successions, report)
    (out_dir / "README.md").write_bytes(log.encode("utf-8"))
    return report


# ---- reading ------------------------------------------------------------------------------------
def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line, row) for each data row of a CSV, keyed by ``columns`` (matched ignoring case and a byte-order mark)."""
    if not path.is_file():
        raise InputError(path, "file", "an existing CSV file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            position = {name.strip().casefold(): index for index, name in enumerate(header)}
            missing = [column for column in columns if column.casefold() not in position]
            if missing:
                raise InputError(
                    path,
                    ", ".join(missing),
                    f"a header with the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                    got=", ".join(header),
                )
            picks = [(column, position[column.casefold()]) for column in columns]
            return [
                (reader.line_num, {column: row[index].strip() if index < len(row) else "" for column, index in picks})
                for row in reader
                if any(cell.strip() for cell in row)
            ]
    except UnicodeDecodeError as exc:
        raise InputError(path, "file", "UTF-8 text (a CSV saved as UTF-8, with or without a byte-order mark)") from exc


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    return [row for _, row in _read_csv(path, columns)]


def _read_areas(source_dir: Path, report: BuildReport) -> dict[str, _Area]:
    """The English upper-tier LAs (ONS) with their DfE codes, keyed by GSS code."""
    utla_path = source_dir / UTLAS.name
    utlas = [
        row
        for row in _rows(utla_path, ("UTLACD", "UTLANM", "RGNCD", "RGNNM", "CTRYCD"))
        if row["CTRYCD"] == ENGLAND_CODE
    ]
    dfe_path = source_dir / LA_CODES.name
    dfe = {
        row["new_la_code"]: row
        for row in _rows(dfe_path, ("new_la_code", "old_la_code", "la_name", "region_code", "region_name"))
    }
    ons_codes = {row["UTLACD"] for row in utlas}
    if ons_codes != set(dfe):
        raise InputError(
            dfe_path, "new_la_code", f"the same LA codes as {UTLAS.name}", got=sorted(ons_codes ^ set(dfe))
        )
    areas = {}
    for row in utlas:
        code = row["UTLACD"]
        other = dfe[code]
        if (other["la_name"], other["region_code"]) != (row["UTLANM"], row["RGNCD"]):
            report.warnings.append(
                f"{code}: {LA_CODES.name} says {other['la_name']} in {other['region_name']}; "
                f"kept the ONS name {row['UTLANM']} in {row['RGNNM']}"
            )
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
    for row in _rows(source_dir / LTLA_UTLA.name, ("UTLA23CD", "UTLA23NM")):
        if row["UTLA23CD"].startswith("E") and row["UTLA23CD"] not in areas:
            seen_in[row["UTLA23CD"]].add("ONS UTLA lookup April 2023")
            names[row["UTLA23CD"]] = row["UTLA23NM"]
    population = _rows(
        source_dir / POPULATION.name, ("geographic_level", "time_period", "new_la_code", "old_la_code", "la_name")
    )
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
            report.warnings.append(
                f"former code {old_code} ({name}) not aliased: no current area has that name (merged or split)"
            )
            continue
        old_dfe = "/".join(sorted(dfe_codes[old_code]))
        if old_dfe and area.dfe_code.isdigit() and old_dfe != area.dfe_code:
            report.warnings.append(
                f"former code {old_code} ({name}, DfE {old_dfe}) not aliased to {area.code}: "
                f"its DfE code is now {area.dfe_code}, so the boundary changed"
            )
            continue
        if old_dfe.isdigit() and not area.dfe_code.isdigit():
            area.dfe_code = old_dfe
        when = f"recoded {last_year[old_code] + 1}" if old_code in last_year else "recoded after April 2023"
        sources = " and ".join(sorted(seen_in[old_code]))
        until = f" to mid-{last_year[old_code]}" if old_code in last_year else ""
        aliases[old_code] = _Alias(
            area.code, f"{when}: same name{' and DfE code' if old_dfe else ''}; former code in {sources}{until}"
        )
    for area in areas.values():
        if not (area.dfe_code.isdigit() and len(area.dfe_code) == 3):
            raise InputError(
                source_dir / LA_CODES.name,
                "old_la_code",
                f"a 3-digit DfE code for {area.name} ({area.code}), or a former code of the same "
                f"area with one in {POPULATION.name}",
                got=area.dfe_code,
            )
    return aliases


def _short_icb_name(name: str) -> str:
    """'NHS Dorset Integrated Care Board' -> 'NHS Dorset ICB'."""
    suffix = " Integrated Care Board"
    return name[: -len(suffix)] + " ICB" if name.endswith(suffix) else name


def _current_code(code: str, areas: dict[str, _Area], aliases: dict[str, _Alias]) -> str | None:
    """The current GSS code for a current or former code, else None."""
    if code in areas:
        return code
    return aliases[code].code if code in aliases else None


def _district_to_area(source_dir: Path, areas: dict[str, _Area], aliases: dict[str, _Alias]) -> dict[str, str]:
    """District (LAD) code, 2023 or 2025, -> current upper-tier LA code."""
    mapping = {}
    for row in _rows(source_dir / LTLA_UTLA.name, ("LTLA23CD", "UTLA23CD")):
        code = _current_code(row["UTLA23CD"], areas, aliases)
        if code is not None:
            mapping[row["LTLA23CD"]] = code
    for row in _rows(source_dir / LAD_TO_LA.name, ("lad_code", "new_la_code")):
        mapping[row["lad_code"]] = row["new_la_code"]
    return mapping


def _districts(source_dir: Path) -> dict[str, dict[str, str]]:
    """Current LA code -> its districts (LAD code -> name), from the DfE district -> LA lookup."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _rows(source_dir / LAD_TO_LA.name, ("lad_code", "lad_name", "new_la_code")):
        found[row["new_la_code"]][row["lad_code"]] = row["lad_name"]
    return dict(found)


# ---- the two NHS maps ---------------------------------------------------------------------------
def _read_nhs_map(source_dir: Path, district_to_area: dict[str, str]) -> _NhsMap:
    """The 42 ICBs of July 2022, the 36 of April 2026, the successions between them and the split rules."""
    icbs22: dict[str, _Icb] = {}
    sicbl_icb: dict[str, str] = {}
    sicbl_ods: dict[str, str] = {}
    path22 = source_dir / SICBL_ICB.name
    for _, row in _read_csv(path22, ("SICBL22CD", "SICBL22CDH", "ICB22CD", "ICB22CDH", "ICB22NM", "NHSER22NM")):
        icbs22[row["ICB22CD"]] = _Icb(
            row["ICB22CD"], row["ICB22CDH"], _short_icb_name(row["ICB22NM"]), row["NHSER22NM"]
        )
        sicbl_icb[row["SICBL22CD"]] = row["ICB22CD"]
        sicbl_ods[row["SICBL22CD"]] = row["SICBL22CDH"]

    path26 = source_dir / ICB26.name
    rows26 = _read_csv(path26, ("icb26_gss", "icb26_name", "nhs_region"))
    path_s = source_dir / SUCCESSIONS.name
    succession_rows = _read_csv(
        path_s,
        (
            "predecessor_ods",
            "predecessor_gss",
            "predecessor_name",
            "successor_ods",
            "successor_gss",
            "successor_name",
            "succession_date",
            "succession_type",
        ),
    )
    successor_ods = {row["successor_gss"]: row["successor_ods"] for _, row in succession_rows}
    icbs26: dict[str, _Icb] = {}
    for line, row in rows26:
        code = row["icb26_gss"]
        ods = icbs22[code].ods_code if code in icbs22 else successor_ods.get(code)
        if ods is None:
            raise InputError(
                path26, "icb26_gss", f"a July 2022 ICB code or a successor in {SUCCESSIONS.name}", line=line, got=code
            )
        if code in icbs26:
            raise InputError(path26, "icb26_gss", "each ICB once", line=line, got=code)
        icbs26[code] = _Icb(code, ods, _short_icb_name(row["icb26_name"]), row["nhs_region"])

    successors: dict[str, list[str]] = defaultdict(list)
    dates = set()
    for line, row in succession_rows:
        before = icbs22.get(row["predecessor_gss"])
        if before is None or before.ods_code != row["predecessor_ods"]:
            raise InputError(
                path_s,
                "predecessor_gss",
                f"a July 2022 ICB listed in {SICBL_ICB.name}, with its ODS code",
                line=line,
                got=f"{row['predecessor_gss']} ({row['predecessor_ods']})",
            )
        after = icbs26.get(row["successor_gss"])
        if after is None or after.ods_code != row["successor_ods"]:
            raise InputError(
                path_s,
                "successor_gss",
                f"an ICB listed in {ICB26.name}, with its ODS code",
                line=line,
                got=f"{row['successor_gss']} ({row['successor_ods']})",
            )
        if row["succession_type"] not in ("merger", "split", "acquisition"):
            raise InputError(
                path_s, "succession_type", "merger, split or acquisition", line=line, got=row["succession_type"]
            )
        successors[row["predecessor_gss"]].append(row["successor_gss"])
        dates.add(row["succession_date"])

    became: dict[str, tuple[str, ...]] = {}
    kind: dict[str, str] = {}
    ods26 = {icb.ods_code: icb.code for icb in icbs26.values()}
    for code, icb in icbs22.items():
        if code in successors:
            became[code] = tuple(sorted(set(successors[code])))
            kind[code] = "merger" if len(became[code]) == 1 else "split"
        elif code in icbs26:
            became[code], kind[code] = (code,), "continues"
        elif icb.ods_code in ods26:  # an ICB that gained territory, with a new GSS code (Hampshire and Isle of Wight)
            became[code], kind[code] = (ods26[icb.ods_code],), "recoded"
        else:
            raise InputError(
                path_s, "predecessor_gss", f"a row for {icb.name} ({code}), which is not among the ICBs of {ICB26.name}"
            )
    reached = {code for targets in became.values() for code in targets}
    if reached != set(icbs26):
        raise InputError(
            path26,
            "icb26_gss",
            f"only ICBs that a July 2022 ICB continues as or becomes ({SUCCESSIONS.name})",
            got=sorted(set(icbs26) - reached),
        )
    rules = _read_split_rules(source_dir, icbs22, icbs26, kind, became, sicbl_icb, sicbl_ods, district_to_area)
    return _NhsMap({2022: icbs22, 2026: icbs26}, sicbl_icb, sicbl_ods, became, kind, rules, ", ".join(sorted(dates)))


def _read_split_rules(
    source_dir: Path,
    icbs22: dict[str, _Icb],
    icbs26: dict[str, _Icb],
    kind: dict[str, str],
    became: dict[str, tuple[str, ...]],
    sicbl_icb: dict[str, str],
    sicbl_ods: dict[str, str],
    district_to_area: dict[str, str],
) -> dict[str, list[_Rule]]:
    path = source_dir / SPLIT_RULES.name
    by_ods = {icb.ods_code: code for code, icb in icbs22.items()}
    rules: dict[str, list[_Rule]] = defaultdict(list)
    columns = (
        "predecessor_ods",
        "part",
        "part_kind",
        "part_code",
        "successor_ods",
        "successor_gss",
        "confidence",
        "basis",
    )
    for line, row in _read_csv(path, columns):
        predecessor = by_ods.get(row["predecessor_ods"], "")
        if kind.get(predecessor) != "split":
            raise InputError(
                path,
                "predecessor_ods",
                "the ODS code of an ICB that split on 1 April 2026",
                line=line,
                got=row["predecessor_ods"],
            )
        successor = row["successor_gss"]
        if successor not in became[predecessor] or icbs26[successor].ods_code != row["successor_ods"]:
            raise InputError(
                path,
                "successor_gss",
                f"one of the successors of {icbs22[predecessor].name} in {SUCCESSIONS.name}",
                line=line,
                got=f"{successor} ({row['successor_ods']})",
            )
        if row["confidence"] not in CONFIDENCES:
            raise InputError(path, "confidence", "firm, likely or uncertain", line=line, got=row["confidence"])
        part_kind, code = row["part_kind"], row["part_code"]
        if part_kind == "sicbl22":
            if not any(sicbl_ods[s] == code and sicbl_icb[s] == predecessor for s in sicbl_ods):
                raise InputError(
                    path,
                    "part_code",
                    f"a sub-ICB location (ODS code) of {icbs22[predecessor].name}",
                    line=line,
                    got=code,
                )
        elif part_kind in ("lad", "lad-part"):
            if code not in district_to_area:
                raise InputError(path, "part_code", f"a district code listed in {LTLA_UTLA.name}", line=line, got=code)
        else:
            raise InputError(path, "part_kind", "sicbl22, lad or lad-part", line=line, got=part_kind)
        rules[predecessor].append(
            _Rule(line, predecessor, row["part"], part_kind, code, successor, row["confidence"], row["basis"])
        )
    for predecessor, targets in became.items():
        if kind[predecessor] == "split":
            ruled = {rule.successor for rule in rules[predecessor]}
            if ruled != set(targets):
                raise InputError(
                    path,
                    "successor_gss",
                    f"a rule for each successor of {icbs22[predecessor].name}",
                    got=sorted(set(targets) - ruled),
                )
    return dict(rules)


# ---- July 2022: the indicative join, corrected ----------------------------------------------------
def _add_indicative_links(source_dir: Path, areas: dict[str, _Area], aliases: dict[str, _Alias], nhs: _NhsMap) -> None:
    """Link each area to the July 2022 ICB(s) the indicative join gives (names from the ONS ICB lookup)."""
    path = source_dir / INDICATIVE.name
    for line, row in _read_csv(path, ("UTLA23CD", "sicbl22_codes", "icb22_codes")):
        code = _current_code(row["UTLA23CD"], areas, aliases)
        if code is None:
            raise InputError(
                path, "UTLA23CD", "a current LA code or a known former one", line=line, got=row["UTLA23CD"]
            )
        for icb_code in sorted(set(filter(None, row["icb22_codes"].split(";")))):
            if icb_code not in nhs.icbs[2022]:
                raise InputError(path, "icb22_codes", f"ICB codes listed in {SICBL_ICB.name}", line=line, got=icb_code)
            areas[code].links[2022].append(_Link(nhs.icbs[2022][icb_code]))
        for sicbl in filter(None, row["sicbl22_codes"].split(";")):
            if sicbl not in nhs.sicbl_icb:
                raise InputError(
                    path, "sicbl22_codes", f"sub-ICB codes listed in {SICBL_ICB.name}", line=line, got=sicbl
                )
            areas[code].sicbls.add(sicbl)
    missing = sorted(code for code, area in areas.items() if not area.links[2022])
    if missing:
        raise InputError(path, "UTLA23CD", "a row for every English upper-tier LA", got=missing)


def _apply_corrections(areas: dict[str, _Area], nhs: _NhsMap, report: BuildReport) -> list[tuple[Correction, str]]:
    """Drop the July 2022 links known to be wrong; returns each correction done with the ICB's name."""
    done = []
    for correction in INDICATIVE_CORRECTIONS:
        area = areas[correction.area_code]
        wrong = [link for link in area.links[2022] if link.icb.code == correction.icb_code]
        if not wrong:
            report.warnings.append(
                f"correction not needed any more, {area.name} has no link to {correction.icb_code}: {correction.why}"
            )
            continue
        if len(wrong) == len(area.links[2022]):
            raise InputError(
                INDICATIVE.name, "icb22_codes", f"another ICB for {area.name} besides {correction.icb_code}"
            )
        area.links[2022] = [link for link in area.links[2022] if link.icb.code != correction.icb_code]
        area.sicbls = {s for s in area.sicbls if nhs.sicbl_icb[s] != correction.icb_code}
        done.append((correction, wrong[0].icb.name))
        state = "corrected" if correction.verified else "corrected (to verify)"
        report.warnings.append(
            f"{state}: dropped {area.name} ({area.code}) -> {wrong[0].icb.name} ({correction.icb_code}): "
            f"{correction.why}"
        )
    return done


def _mark_slivers(areas: dict[str, _Area], report: BuildReport) -> None:
    """Flag the July 2022 links known to cover a small sliver, and note the possible ones."""
    for sliver in SLIVERS:
        link = next((link for link in areas[sliver.area_code].links[2022] if link.icb.code == sliver.icb_code), None)
        if link is None:
            report.warnings.append(
                f"sliver not present in this build: {areas[sliver.area_code].name} -> {sliver.icb_code}"
            )
            continue
        link.sliver = True
        link.notes.append(f"The sliver is {sliver.what}.")
    for area_code, icb_code in POSSIBLE_SLIVERS:
        for link in areas[area_code].links[2022]:
            if link.icb.code == icb_code:
                link.notes.append(POSSIBLE_SLIVER_NOTE)


# ---- April 2026: the July 2022 links carried onto the new ICBs -------------------------------------
def _rule_note(rule: _Rule, icbs22: dict[str, _Icb]) -> str:
    return (
        f"{rule.part}, formerly in {icbs22[rule.predecessor].name}, is taken to be in this ICB "
        f"({rule.confidence}: {rule.basis})."
    )


def _weakest(confidences: list[str]) -> str:
    """The weakest of the confidences given ("" when none is given)."""
    known = [confidence for confidence in confidences if confidence]
    return max(known, key=CONFIDENCES.index) if known else ""


def _strongest(confidences: list[str]) -> str:
    """The strongest of the confidences given ("" when none is given)."""
    known = [confidence for confidence in confidences if confidence]
    return min(known, key=CONFIDENCES.index) if known else ""


@dataclass(frozen=True)
class _Part:
    """What one July 2022 link (or one of its split rules) adds to an April 2026 link."""

    icb: _Icb
    confidence: str
    sliver: bool
    notes: list[str]
    origin: str = ""  # the July 2022 ICB it came from
    part: str = ""  # the split rule's part ("Surrey Heath"); "" for a whole link


def _weaker_parts(confidence: str, parts: list[_Part]) -> tuple[str, str]:
    """(the weakest part's confidence, a sentence) when some parts of a link rest on weaker rules than the
    link itself; ("", "") when none does."""
    weaker = [p for p in parts if p.confidence and CONFIDENCES.index(p.confidence) > CONFIDENCES.index(confidence)]
    if not weaker:
        return "", ""
    strong = list(dict.fromkeys(p.origin for p in parts if p.confidence == confidence and p.origin))
    said = []
    for level in CONFIDENCES[CONFIDENCES.index(confidence) + 1 :]:
        for origin in dict.fromkeys(p.origin for p in weaker if p.confidence == level):
            names = list(dict.fromkeys(p.part for p in weaker if p.confidence == level and p.origin == origin))
            named = f" ({_and([n for n in names if n])})" if any(names) else ""
            said.append(f"{'the part from ' + origin if origin else 'a part'}{named} is {level}, not confirmed")
    where = f" for the part that was in {_and(strong)} in July 2022" if strong else ""
    return _weakest([p.confidence for p in weaker]), f"The link is {confidence}{where}; only {'; '.join(said)}."


def _merge(contributions: list[_Part]) -> list[_Link]:
    """One April 2026 link per ICB, in first-seen order: firm when any firm part makes it (a weaker part
    is said in words in its notes), otherwise as sure as its surest part."""
    merged: dict[str, list[_Part]] = {}
    for item in contributions:
        merged.setdefault(item.icb.code, []).append(item)
    links = []
    for items in merged.values():
        confidence = _strongest([item.confidence for item in items])
        weakest_part, sentence = _weaker_parts(confidence, items)
        notes: list[str] = [sentence] if sentence else []
        for item in items:
            notes += [note for note in item.notes if note not in notes]
        links.append(
            _Link(
                items[0].icb,
                sliver=all(item.sliver for item in items),
                confidence=confidence,
                notes=notes,
                weakest_part=weakest_part,
            )
        )
    return sorted(links, key=lambda link: link.icb.code)


def _carry_to_2026(area: _Area, nhs: _NhsMap, district_to_area: dict[str, str], source_dir: Path) -> list[_Link]:
    """The area's April 2026 links: each July 2022 link moved through the successions and split rules."""
    contributions: list[_Part] = []
    icbs22, icbs26 = nhs.icbs[2022], nhs.icbs[2026]
    for link in area.links[2022]:
        code = link.icb.code
        if nhs.kind[code] != "split":
            contributions.append(_Part(icbs26[nhs.became[code][0]], FIRM, link.sliver, list(link.notes), link.icb.name))
            continue
        rules = nhs.rules[code]
        parts = sorted(s for s in area.sicbls if nhs.sicbl_icb[s] == code)
        by_district = [
            rule for rule in rules if rule.kind != "sicbl22" and district_to_area.get(rule.code) == area.code
        ]
        chosen: list[_Rule] = []
        for sicbl in parts:
            by_sicbl = [rule for rule in rules if rule.kind == "sicbl22" and rule.code == nhs.sicbl_ods[sicbl]]
            chosen += [rule for rule in by_sicbl or by_district if rule not in chosen]
        if not parts:
            chosen = by_district
        if not chosen:
            raise InputError(
                source_dir / SPLIT_RULES.name,
                "part_code",
                f"a rule that places {area.name}'s part of {link.icb.name} (sub-ICB locations "
                f"{', '.join(nhs.sicbl_ods[s] for s in parts) or 'none'}) in an April 2026 ICB",
            )
        for rule in chosen:
            notes = list(link.notes) + ([] if rule.confidence == FIRM else [_rule_note(rule, icbs22)])
            contributions.append(
                _Part(icbs26[rule.successor], rule.confidence, link.sliver, notes, link.icb.name, rule.part)
            )
    return _merge(contributions)


# ---- areas that end and begin ---------------------------------------------------------------------
def _read_changes(path: Path, areas: dict[str, _Area]) -> list[_Change]:
    """The hand-maintained ``changes.csv``: one row per (area that ends, successor)."""
    changes = []
    seen_dates: dict[str, date] = {}
    for line, row in _read_csv(path, CHANGES_COLUMNS):
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            raise InputError(
                path, "date", "a date written YYYY-MM-DD (the day the successors begin)", line=line, got=row["date"]
            ) from None
        predecessor = row["predecessor_code"]
        area = areas.get(predecessor)
        if area is None:
            raise InputError(
                path, "predecessor_code", "the GSS code of an area in the tables", line=line, got=predecessor
            )
        if row["predecessor_name"].casefold() != area.name.casefold():
            raise InputError(
                path,
                "predecessor_name",
                f"{area.name} (the name of {predecessor})",
                line=line,
                got=row["predecessor_name"],
            )
        if seen_dates.setdefault(predecessor, day) != day:
            raise InputError(path, "date", f"one date for every successor of {area.name}", line=line, got=row["date"])
        code = row["successor_code"]
        is_gss = len(code) == 9 and code[0] == "E" and code[1:].isdigit()
        if code and (not is_gss or code == predecessor):
            raise InputError(
                path,
                "successor_code",
                "empty (not yet published) or a new nine-character GSS code",
                line=line,
                got=code,
            )
        dfe = row["successor_dfe_code"]
        if dfe and not (len(dfe) == 3 and dfe.isdigit()):
            raise InputError(path, "successor_dfe_code", "empty or a 3-digit DfE code", line=line, got=dfe)
        if not row["successor_name"]:
            raise InputError(path, "successor_name", "the successor's name", line=line)
        if not row["source"]:
            raise InputError(path, "source", "the order or publication that makes the change", line=line)
        changes.append(_Change(line, day, predecessor, code, row["successor_name"], dfe, row["source"]))
    return changes


def _apply_changes(path: Path, areas: dict[str, _Area], report: BuildReport) -> list[_Change]:
    """End the areas ``changes.csv`` lists and add their successors that have codes (inheriting their links)."""
    if not path.is_file():
        report.warnings.append(f"no changes file at {path}: no area ends or begins in this build")
        return []
    changes = _read_changes(path, areas)
    for change in changes:
        predecessor = areas[change.predecessor]
        predecessor.valid_to = change.day - timedelta(days=1)
        if not change.successor_code:
            report.warnings.append(
                f"{predecessor.name} ends on {_long_date(predecessor.valid_to)}; its successor {change.successor_name} "
                "has no published code yet, so it is named but not added as an area"
            )
            continue
        successor = areas.get(change.successor_code)
        if successor is None:
            successor = _Area(
                change.successor_code,
                change.successor_dfe_code,
                change.successor_name,
                predecessor.region,
                predecessor.region_code,
                valid_from=change.day,
                links={year: [] for year in YEARS},
            )
            areas[successor.code] = successor
            if not change.successor_dfe_code:
                report.warnings.append(f"{successor.name} ({successor.code}) has no DfE code yet ({path.name})")
        inherited = (
            f"Inherited from {predecessor.name} ({predecessor.code}), which it replaced on {_long_date(change.day)}: "
            f"{predecessor.name}'s link, pending ONS and NHS data that say which ICB(s) {successor.name} itself "
            "sits in."
        )
        for year in YEARS:
            if year == 2022 and change.day > MAP_2022_ENDS:
                continue  # the successor did not exist while the July 2022 map was in force: no membership
            contributions = [_Part(ln.icb, ln.confidence, ln.sliver, ln.notes) for ln in successor.links[year]]
            for link in predecessor.links[
                year
            ]:  # not the predecessor's notes: they name its parts, not the successor's
                confidence = _weakest([link.confidence, LIKELY]) if year == 2026 else ""
                contributions.append(_Part(link.icb, confidence, link.sliver, [inherited]))
            successor.links[year] = _merge(contributions)
    return changes


def _long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


# ---- exact shares from an ONS LSOA lookup ---------------------------------------------------------
def _detect_lsoa_format(path: Path) -> LsoaFormat:
    """Which ONS LSOA lookup ``path`` is, from its header; a clear error naming what is missing."""
    if not path.is_file():
        raise InputError(path, "file", "an existing CSV file (the ONS LSOA lookup)")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError as exc:
        raise InputError(
            path, "file", "UTF-8 text (the ONS lookup as downloaded, with or without a byte-order mark)"
        ) from exc
    present = {name.strip().casefold() for name in header}

    def missing(fmt: LsoaFormat) -> list[str]:
        return [column for column in fmt.columns if column.casefold() not in present]

    best = min(LSOA_FORMATS, key=lambda fmt: (len(missing(fmt)), -fmt.year))
    if len(missing(best)) >= len(best.columns) - 1:  # at most LSOA21CD in common with either edition
        raise InputError(
            path,
            ", ".join(missing(LSOA_2026)),
            "the columns of the "
            + " or of the ".join(f"{fmt.title} ({', '.join(fmt.columns)})" for fmt in LSOA_FORMATS),
            got=", ".join(header),
        )
    if missing(best):
        raise InputError(
            path,
            ", ".join(missing(best)),
            f"the columns of the {best.title}: {', '.join(best.columns)}; missing {', '.join(missing(best))}",
            got=", ".join(header),
        )
    return best


def _add_exact_links(
    path: Path,
    areas: dict[str, _Area],
    district_to_area: dict[str, str],
    districts: dict[str, dict[str, str]],
    nhs: _NhsMap,
    report: BuildReport,
) -> LsoaFormat:
    """Replace links with exact LSOA shares for every area the lookup covers in full (LSOAs in each of its
    districts); an area with districts missing keeps its links, and the report names what is missing.

    The April 2026 lookup gives the April 2026 map. The April 2023 lookup gives the July 2022 map
    (ICBs were unchanged until 2026), and the April 2026 map is then derived from it LSOA by LSOA
    through the successions and split rules.
    """
    fmt = _detect_lsoa_format(path)
    own_year = 2026 if fmt.year == 2026 else 2022
    icbs = nhs.icbs[own_year]
    counts: Counter[tuple[str, str]] = Counter()
    derived: dict[tuple[str, str], list[tuple[_Rule | None, str]]] = defaultdict(list)  # (rule, July 2022 ICB)
    seen_lsoas: set[str] = set()
    seen_districts: dict[str, set[str]] = defaultdict(set)
    renamed: set[str] = set()
    outside_england = 0
    for line, row in _read_csv(path, fmt.columns):
        lsoa = row[fmt.lsoa]
        if lsoa in seen_lsoas:
            raise InputError(path, fmt.lsoa, "each LSOA once", line=line, got=lsoa)
        seen_lsoas.add(lsoa)
        if not row[fmt.lad].startswith("E"):
            outside_england += 1
            continue
        area_code = district_to_area.get(row[fmt.lad])
        if area_code is None:
            raise InputError(
                path,
                fmt.lad,
                f"a district code listed in {LTLA_UTLA.name} or {LAD_TO_LA.name}",
                line=line,
                got=row[fmt.lad],
            )
        icb = icbs.get(row[fmt.icb])
        if icb is None:
            where = ICB26.name if own_year == 2026 else SICBL_ICB.name
            raise InputError(path, fmt.icb, f"an ICB code listed in {where}", line=line, got=row[fmt.icb])
        if icb.ods_code != row[fmt.icb_ods]:
            raise InputError(
                path,
                fmt.icb_ods,
                f"{icb.ods_code}, the ODS code of {icb.name} ({icb.code})",
                line=line,
                got=row[fmt.icb_ods],
            )
        if icb.name.casefold() != _short_icb_name(row[fmt.icb_name]).casefold() and icb.code not in renamed:
            renamed.add(icb.code)
            report.warnings.append(
                f"{path.name}, line {line}: {row[fmt.icb_name]} for {icb.code}; kept the name {icb.name}"
            )
        counts[area_code, icb.code] += 1
        own = districts.get(area_code, {})
        single_tier = set(own) <= {area_code}  # a unitary area (any of its codes) is its own one district
        seen_districts[area_code].add(area_code if single_tier else row[fmt.lad])
        if fmt.year == 2023:
            rule = _lsoa_rule(icb.code, row[fmt.sicbl_ods], row[fmt.lad], nhs, path, line)
            target = rule.successor if rule else nhs.became[icb.code][0]
            derived[area_code, target].append((rule, icb.code))
    totals: Counter[str] = Counter()
    for (area_code, _), count in counts.items():
        totals[area_code] += count
    for area_code in sorted(totals, key=lambda code: areas[code].name):
        own = districts.get(area_code) or {area_code: areas[area_code].name}
        missing = [
            name
            for code, name in sorted(own.items(), key=lambda item: item[1])
            if code not in seen_districts[area_code]
        ]
        if set(own) <= {area_code} or not missing:
            continue
        del totals[area_code]
        area = areas[area_code]
        present = _and(sorted(name for code, name in own.items() if code in seen_districts[area_code]))
        report.warnings.append(
            f"{path.name} covers only {len(own) - len(missing)} of the {len(own)} districts of {area.name} "
            f"({present}); missing {_and(missing)}: {area.name} keeps its {area.basis[own_year]} ICB links, "
            "not exact ones from a partial file"
        )
    for area_code in totals:
        area = areas[area_code]
        area.basis[own_year] = BASIS_EXACT
        area.links[own_year] = _shared_links(
            [
                (icbs[icb_code], count, [], FIRM)
                for (code, icb_code), count in sorted(counts.items())
                if code == area_code
            ],
            totals[area_code],
            "" if own_year == 2022 else FIRM,
        )
        if fmt.year == 2023:
            area.basis[2026] = BASIS_DERIVED
            items, weaker = [], {}
            for (code, icb_code), moved in sorted(derived.items()):
                if code != area_code:
                    continue
                rules = [rule for rule, _ in moved]
                notes = sorted({_rule_note(rule, nhs.icbs[2022]) for rule in rules if rule and rule.confidence != FIRM})
                parts = [
                    _Part(
                        nhs.icbs[2026][icb_code],
                        rule.confidence if rule else FIRM,
                        False,
                        [],
                        nhs.icbs[2022][old].name,
                        rule.part if rule else "",
                    )
                    for rule, old in moved
                ]
                confidence = _strongest([part.confidence for part in parts])
                weaker[icb_code], sentence = _weaker_parts(confidence, parts)
                items.append(
                    (nhs.icbs[2026][icb_code], len(rules), [sentence, *notes] if sentence else notes, confidence)
                )
            area.links[2026] = _shared_links(items, totals[area_code], None)
            for link in area.links[2026]:
                link.weakest_part = weaker[link.icb.code]
    if outside_england:
        report.warnings.append(f"{path.name}: skipped {outside_england} LSOAs outside England")
    left = sorted(area.name for code, area in areas.items() if code not in totals)
    if left:
        report.warnings.append(
            f"{path.name} covers {len(totals)} of {len(areas)} areas; the other {len(left)} keep indicative ICB links"
        )
    return fmt


def _lsoa_rule(icb_code: str, sicbl_ods: str, lad: str, nhs: _NhsMap, path: Path, line: int) -> _Rule | None:
    """The split rule that places one LSOA of a split ICB in its April 2026 ICB (None when the ICB did not split)."""
    if nhs.kind[icb_code] != "split":
        return None
    rules = nhs.rules[icb_code]
    found = [rule for rule in rules if rule.kind == "sicbl22" and rule.code == sicbl_ods]
    found = found or [rule for rule in rules if rule.kind != "sicbl22" and rule.code == lad]
    if len(found) != 1:
        raise InputError(
            path,
            "SICBL23CDH",
            f"a sub-ICB location or district that {SPLIT_RULES.name} places in one April 2026 ICB",
            line=line,
            got=f"{sicbl_ods} in {lad}",
        )
    return found[0]


def _shared_links(items: list[tuple[_Icb, int, list[str], str]], total: int, confidence: str | None) -> list[_Link]:
    """Links with LSOA counts and shares; a link under ``SLIVER_SHARE`` of the area (beside others) is a sliver."""
    links = []
    for icb, count, notes, own_confidence in items:
        share = count / total
        sliver = share < SLIVER_SHARE and len(items) > 1
        words = list(notes)
        if sliver:
            words.insert(0, f"The sliver is {count} of {total} LSOAs ({share:.1%}).")
        links.append(_Link(icb, count, share, sliver, own_confidence if confidence is None else confidence, words))
    return sorted(links, key=lambda link: link.icb.code)


# ---- membership ---------------------------------------------------------------------------------
def _counted(area: _Area, year: int) -> list[_Link]:
    """The links that say which ICB(s) the area sits in: not slivers, not uncertain (all of them if none is left)."""
    links = area.links[year]
    return [link for link in links if link.counted] or links


def _membership(areas: dict[str, _Area], year: int) -> tuple[set[str], set[str]]:
    """Codes of areas within one ICB, and of those whose ICB covers no other area existing at the same time."""
    in_icb: dict[str, list[_Area]] = defaultdict(list)
    for area in areas.values():
        for link in _counted(area, year):
            in_icb[link.icb.code].append(area)
    single = {code for code, area in areas.items() if len(_counted(area, year)) == 1}
    coterminous = {
        code
        for code in single
        if not any(
            other.code != code and other.overlaps(areas[code])
            for other in in_icb[_counted(areas[code], year)[0].icb.code]
        )
    }
    return single, coterminous


# ---- writing ------------------------------------------------------------------------------------
def _flag(value: bool) -> str:
    return "true" if value else "false"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _write_tables(
    out_dir: Path,
    areas: dict[str, _Area],
    aliases: dict[str, _Alias],
    nhs: _NhsMap,
    changes: list[_Change],
    membership: dict[int, tuple[set[str], set[str]]],
) -> None:
    ordered = [areas[code] for code in sorted(areas)]

    def fit(area: _Area, year: int) -> list[str]:
        single, coterminous = membership[year]
        codes = ";".join(link.icb.code for link in area.links[year])
        return [area.basis[year], _flag(area.code in single), _flag(area.code in coterminous), codes]

    _write_csv(
        out_dir / "areas.csv",
        AREAS_COLUMNS,
        [
            [
                area.code,
                area.dfe_code,
                area.name,
                area.region,
                area.region_code,
                _iso(area.valid_from),
                _iso(area.valid_to),
                *fit(area, 2026),
                *fit(area, 2022),
            ]
            for area in ordered
        ],
    )
    _write_csv(
        out_dir / "area_icbs.csv",
        AREA_ICBS_COLUMNS,
        [
            [
                area.code,
                str(year),
                link.icb.code,
                link.icb.ods_code,
                link.icb.name,
                "" if link.lsoa_count is None else str(link.lsoa_count),
                "" if link.lsoa_share is None else f"{link.lsoa_share:.4f}",
                _flag(link.sliver),
                link.confidence,
                link.weakest_part,
                " ".join(link.notes),
            ]
            for area in ordered
            for year in YEARS
            for link in sorted(area.links[year], key=lambda link: link.icb.code)
        ],
    )
    _write_csv(
        out_dir / "icbs.csv",
        ICBS_COLUMNS,
        [
            [
                str(year),
                icb.code,
                icb.ods_code,
                icb.name,
                icb.region,
                ";".join(nhs.became[icb.code]) if year == 2022 else "",
            ]
            for year in YEARS
            for icb in sorted(nhs.icbs[year].values(), key=lambda icb: icb.code)
        ],
    )
    _write_csv(
        out_dir / "area_successors.csv",
        SUCCESSORS_COLUMNS,
        sorted(
            [change.predecessor, change.day.isoformat(), change.successor_code, change.successor_name, change.source]
            for change in changes
        ),
    )
    _write_csv(
        out_dir / "aliases.csv",
        ALIASES_COLUMNS,
        [[old_code, alias.code, alias.reason] for old_code, alias in sorted(aliases.items())],
    )


def _short_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _recoded_sicbls(source_dir: Path) -> list[str]:
    """Sub-ICB locations whose ODS code kept going from 2021 to July 2022 under a new GSS code (a boundary change)."""
    old = {
        row["CCG21CDH"]: (row["CCG21CD"], row["CCG21NM"])
        for row in _rows(source_dir / CCG21.name, ("CCG21CD", "CCG21CDH", "CCG21NM"))
    }
    found = []
    for row in _rows(source_dir / SICBL_ICB.name, ("SICBL22CD", "SICBL22CDH", "ICB22NM")):
        before = old.get(row["SICBL22CDH"])
        if before and before[0] != row["SICBL22CD"]:
            icb = _short_icb_name(row["ICB22NM"])
            found.append(f"{row['SICBL22CDH']}: {before[1]} ({before[0]}) -> {row['SICBL22CD']} in {icb}")
    return sorted(found)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _data_log(
    source_dir: Path,
    used: list[SourceFile],
    lsoa_lookup: Path | None,
    lsoa_format: LsoaFormat | None,
    changes_path: Path,
    areas: dict[str, _Area],
    nhs: _NhsMap,
    corrections: list[tuple[Correction, str]],
    changes: list[_Change],
    report: BuildReport,
) -> str:
    """The README.md that travels with the tables: contents, sources, caveats, how to rebuild."""
    ordered = sorted(areas.values(), key=lambda area: area.name)

    def multi(year: int) -> list[str]:
        return [
            f"- {area.name} ({area.code}): {'; '.join(ln.icb.name for ln in _counted(area, year))} ({area.basis[year]})"
            for area in ordered
            if len(_counted(area, year)) > 1
        ]

    icbs22, icbs26 = nhs.icbs[2022], nhs.icbs[2026]
    succession_lines = []
    for code in sorted(nhs.became, key=lambda code: icbs22[code].name):
        kind, targets = nhs.kind[code], nhs.became[code]
        if kind == "continues":
            continue
        if kind == "recoded":
            succession_lines.append(
                f"- {icbs22[code].name} ({code}) continues as {icbs26[targets[0]].name} with a new code, {targets[0]}, "
                "because it gained territory"
            )
        else:
            into = _and([f"{icbs26[t].name} ({t})" for t in targets])
            succession_lines.append(
                f"- {icbs22[code].name} ({code}): {'merged into' if kind == 'merger' else 'split between'} {into}"
            )
    continuing = sorted(icbs22[code].name for code, kind in nhs.kind.items() if kind == "continues")
    rule_lines = []
    for code in sorted(nhs.rules, key=lambda code: icbs22[code].name):
        for rule in nhs.rules[code]:
            rule_lines.append(
                f"- {icbs22[code].name}: {rule.part} ({rule.kind} {rule.code}) -> {icbs26[rule.successor].name}: "
                f"**{rule.confidence}** ({rule.basis})"
            )
    not_firm_lines = []
    for area in ordered:
        for link in area.links[2026]:
            if link.confidence in (LIKELY, UNCERTAIN) or link.weakest_part:
                counts = "" if link.counted else " It does not count towards single-ICB or co-terminosity."
                part = f", with a part that is **{link.weakest_part}**" if link.weakest_part else ""
                not_firm_lines.append(
                    f"- {area.name} -> {link.icb.name}: **{link.confidence}**{part}. {' '.join(link.notes)}{counts}"
                )
    sliver_lines = [
        f"- {area.name} ({area.code}) -> {link.icb.name}, {MAP_NAME[year]}: {' '.join(link.notes)}"
        for area in ordered
        for year in reversed(YEARS)
        for link in area.links[year]
        if link.sliver
    ]
    possible = []
    for area_code, icb_code in POSSIBLE_SLIVERS:
        link = next((ln for ln in areas[area_code].links[2022] if ln.icb.code == icb_code), None)
        state = "kept as a full link" if link and not link.sliver else "settled by the exact lookup"
        possible.append(f"- {areas[area_code].name} -> {link.icb.name if link else icb_code} ({state})")
    correction_lines = [
        f"- {'Confirmed' if c.verified else 'TO VERIFY'}: dropped {areas[c.area_code].name} ({c.area_code}) -> "
        f"{name} ({c.icb_code}) from the July 2022 links: {c.why}. Evidence: {c.evidence}."
        for c, name in corrections
    ]
    change_lines = []
    for predecessor in sorted({change.predecessor for change in changes}):
        mine = [change for change in changes if change.predecessor == predecessor]
        area = areas[predecessor]
        names = _and([f"{c.successor_name} ({c.successor_code or 'code not yet published'})" for c in mine])
        change_lines.append(
            f"- {area.name} ({area.code}) is valid to {_long_date(area.valid_to)}; from {_long_date(mine[0].day)} "
            f"{names} replace it. Source: {'; '.join(sorted({c.source for c in mine}))}."
        )
    rebuild = "jointwork data build-areas --from DIR" + (f" --lsoa-lookup {lsoa_lookup.name}" if lsoa_lookup else "")
    source_rows = [
        f"| {source.name} | {source.publisher} | {source.vintage} | {source.licence} | {source.used_for} | "
        f"{_short_hash(source_dir / source.name)} |"
        for source in used
    ]
    if lsoa_lookup is not None and lsoa_format is not None:
        source_rows.append(
            f"| {lsoa_lookup.name} | Office for National Statistics ({lsoa_format.title}) | "
            f"April {lsoa_format.year} | {OGL} | exact LSOA counts per LA and ICB | {_short_hash(lsoa_lookup)} |"
        )
    if changes_path.is_file():
        source_rows.append(
            f"| {CHANGES_FILE} (this folder) | the project, from the orders named in each row | hand-maintained | "
            f"{OGL} | areas that end, and their successors | {_short_hash(changes_path)} |"
        )
    evidence = [f"- {part}: {text}." for part, text in SPLIT_EVIDENCE]
    warnings = [f"- {text}" for text in report.warnings] or ["- none"]
    counts = []
    for year in reversed(YEARS):
        basis = ", ".join(f"{n} {name}" for name, n in sorted(report.basis[year].items()))
        counts.append(
            f"- {MAP_NAME[year]}: {report.icbs[year]} ICBs; {report.single_icb[year]} of {report.areas} areas sit "
            f"within one ICB, {report.coterminous[year]} of them co-terminous (the ICB covers no other area); "
            f"ICB basis: {basis}."
        )
    text = [
        "# Area reference tables (data log)",
        "",
        "Built by `jointwork data build-areas` (`jointwork/build/areas.py`); do not edit these tables by hand, "
        f"rebuild them. The one hand-maintained file here is `{CHANGES_FILE}`.",
        "",
        "## Tables",
        "",
        f"- `areas.csv`: one row per English upper-tier local authority ({report.areas} rows, sorted by code): "
        "`code` (ONS GSS code), `dfe_code` (DfE 3-digit code), `name`, `region`, `region_code`, `valid_from` and "
        "`valid_to` (the first and last day the area exists, `YYYY-MM-DD`; empty when open), then for the ICBs "
        "from 1 April 2026 `icb_basis`, `single_icb`, `coterminous`, `icb_codes` (`;`-separated), and the same "
        "four for July 2022 with the suffix `_2022`.",
        f"- `area_icbs.csv`: one row per (area, map, ICB) link ({report.links} rows): `area_code`, `year` (2022 "
        'or 2026), `icb_code`, `icb_ods_code`, `icb_name` ("Integrated Care Board" shortened to "ICB"), '
        "`lsoa_count` and `lsoa_share` (the area's LSOAs in that ICB, share to 4 decimals; empty unless exact or "
        "derived), `sliver` (`true` when the link covers only a small sliver of the area), `confidence` (April "
        "2026 only: `firm`, `likely` or `uncertain`: firm when a firm succession or rule makes the link, "
        "otherwise the surest rule it rests on), `weakest_part` (`likely` or `uncertain` when part of the link "
        "rests on a rule weaker than `confidence`, a split ICB's part that the note names; else empty) and "
        "`note` (why, in words).",
        f"- `icbs.csv`: the ICBs of each map ({report.icbs[2022]} of July 2022, {report.icbs[2026]} from 1 April "
        "2026): "
        "`year`, `code`, `ods_code`, `name`, `nhs_region`, `became` (for 2022: the April 2026 ICB(s) it continued "
        "as, merged into or split between).",
        "- `area_successors.csv`: one row per (area that ends, successor), from `changes.csv`: `area_code`, `date` "
        "(the day the successor begins), `successor_code` (empty until ONS publishes it), `successor_name`, `source`.",
        f"- `aliases.csv`: former GSS codes that still name a current area ({report.aliases} rows): `alias`, "
        "`code`, `reason`. A former code counts only when the current area has the same name and, where known, "
        "the same DfE code; codes of areas that were merged or split are not aliases.",
        "",
        "## The counts",
        "",
        *counts,
        "",
        "Single-ICB and co-terminosity count the links that say where an area sits: a sliver, or a link that "
        "rests on an uncertain rule, is named beside the area but does not make it span two ICBs. "
        "Co-terminous: the area sits within one ICB and no other area existing at the same time sits in it.",
        "",
        "## July 2022: INDICATIVE unless `icb_basis_2022` says `exact`",
        "",
        "The public files hold no LA -> ICB table. The indicative links come from joining district-CCG pairs "
        "(2021 CCGs and districts, taken from the LSOA 2011 lookup) to the 2022 ICBs through the CCG/sub-ICB "
        "ODS code, then districts to 2023 upper-tier LAs. The pairs carry no weights, so a handful of LSOAs "
        "across a border count as a full link, and boundary moves of 1 July 2022 are missed. "
        f"For exact membership, download the {LSOA_2023.title} and pass it with `--lsoa-lookup`: every LA it "
        "covers then gets LSOA counts and shares (the 42 ICBs did not change until April 2026).",
        "",
        "Rows the join lists under former codes (Barnsley, Sheffield) are mapped through the aliases. ICB names "
        f"and ODS codes come from `{SICBL_ICB.name}`: the join's own `icb22_names` column is sorted apart from "
        "its `icb22_codes`, so it is not used.",
        "",
        "### Corrections to the July 2022 links",
        "",
        *(correction_lines or ["- none"]),
        "",
        "Between the 2021 CCG lookup and the July 2022 sub-ICB lookup, these sub-ICB locations (and no others) kept "
        "their ODS code but got a new GSS code, the mark of a boundary change; the corrections rest on them:",
        "",
        *[f"- {line}" for line in _recoded_sicbls(source_dir)],
        "",
        "### Slivers",
        "",
        "A sliver is kept as a link with `sliver` = `true`, said in words, and not counted as a second ICB. With "
        f"exact LSOA counts, a link under {SLIVER_SHARE:.0%} of the area's LSOAs (beside another link) is a sliver; "
        "without them, the slivers are those the shared data README measured in the ONS April 2026 lookup:",
        "",
        *(sliver_lines or ["- none"]),
        "",
        "Links that may rest on a small sliver but are not confirmed (one district-CCG pair is enough for a link); "
        "they stay full links with a note until the exact lookup settles them:",
        "",
        *possible,
        "",
        f"Areas linked to more than one ICB in July 2022 ({len(multi(2022))}):",
        "",
        *multi(2022),
        "",
        "## From 1 April 2026: the July 2022 links carried onto the 36 ICBs",
        "",
        f"On {nhs.succession_date} twelve ICBs were dissolved and England went from {report.icbs[2022]} ICBs to "
        f"{report.icbs[2026]}. Each July 2022 link is carried to April 2026 through `{SUCCESSIONS.name}` "
        f"and, for the three ICBs that split, through `{SPLIT_RULES.name}` (a rule by sub-ICB location, or by "
        "district for Frimley, whose only sub-ICB location covered East Berkshire, Surrey Heath and north-east "
        "Hampshire with Farnham). A link that rests only on a likely or uncertain rule carries that confidence; "
        "a link that a firm succession or rule also makes is firm, and its note names the part that is only "
        "likely or uncertain.",
        f"With the {LSOA_2026.title} passed to `--lsoa-lookup`, the April 2026 links are exact instead; with the "
        "April 2023 lookup they are `derived`: exact LSOAs moved one by one through the same rules.",
        "",
        "The successions:",
        "",
        *succession_lines,
        f"- unchanged ({len(continuing)}): {', '.join(continuing)}",
        "",
        "The split rules (in words: firm follows a stated footprint; likely is the reading of a published "
        "description that the ONS April 2026 lookup has not confirmed; uncertain is a guess between two ICBs):",
        "",
        *rule_lines,
        "",
        "Reports found while building this map, beside the rules they bear on (the rules file is not changed by them):",
        "",
        *evidence,
        "",
        f"Links resting, wholly or in part, on a likely or uncertain rule ({len(not_firm_lines)}):",
        "",
        *(not_firm_lines or ["- none"]),
        "",
        f"Areas linked to more than one ICB from 1 April 2026 ({len(multi(2026))}):",
        "",
        *multi(2026),
        "",
        "## Areas that end, and their successors",
        "",
        *(change_lines or ["- none"]),
        "",
        f"`{CHANGES_FILE}` in this folder lists them, one row per (area that ends, successor): `date` (the day the "
        "successor begins), `predecessor_code`, `predecessor_name`, `successor_code` (empty until ONS publishes "
        "it), `successor_name`, `successor_dfe_code` (empty until DfE publishes it) and `source`. The area that "
        "ends stays in the tables, valid to the day before, so a plan for it still opens and points to its "
        "successors. When ONS publishes the new codes, fill in `successor_code` (and `successor_dfe_code`) in "
        "those rows and rebuild: each successor becomes an area from that date, in the same region, with the "
        "April 2026 ICB links of the area it replaces, stated as inherited from it pending ONS and NHS data (at "
        "most likely, and without the notes on the old area's parts), until an ONS LSOA lookup that covers it "
        "gives exact ones. A successor that begins after 31 March 2026 has no July 2022 membership: it did not "
        "exist while those 42 ICBs did. See `docs/areas.md`.",
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
