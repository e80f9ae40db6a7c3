"""Product 4's views: the map of structures then and now, the area's ICB(s), and what the plan's
register shows (the register, the power/interest grid, the strategies and the gaps).

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change. Contact details
stay in the plan: the register shows them only when asked (``show_contacts=True``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ...core.areas import Area, all_areas, find_area, then_and_now
from ...core.plan import PlanBase as Plan
from ...core.plan import Sector
from ...render import display
from ...render.charts import quadrant_grid
from .calculations import (
    HIGH,
    SCALE,
    covered_structures,
    missing_structures,
    powerful_but_distant,
    prompt_status,
    quadrant_members,
    quadrant_of,
)
from .content import (
    GRID_ORDER,
    STRATEGY_ORDER,
    content,
    current_structures,
    must_engage,
    prompts,
    quadrants,
    structure_titles,
    structures,
)
from .edits import section as section_of
from .model import Stakeholder, StakeholderSection

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook

# the colour of each sector's dots, in words, in the order of ``Sector`` (charts.PALETTE's first three)
SECTOR_COLOUR_WORDS = ("dark blue", "teal", "maroon")


# ---- Reference content ----------------------------------------------------------------------
def _or(value: Any, instead: str) -> str:
    return instead if value in (None, "") else str(value)


def structures_then_now() -> display.Html:
    """The 2007-08 structure beside today's, what changed and when, the sector and the statute."""
    c = content()
    rows = [
        {
            "Structure": s.get("title"),
            "Then (2007-08)": _or(s.get("then"), "no equivalent then"),
            "Now": _or(s.get("now"), "gone, with no direct successor"),
            "What changed and when": _or(s.get("changed"), "no change recorded"),
            "Sector": Sector(s.get("sector")).label,
            "Statute": _or(s.get("statute"), "none named"),
            "Source": c.cite(s),
        }
        for s in structures()
    ]
    return display.table(rows, "Children's services and health structures: then (2007-08) and now")


def structures_guide() -> display.Html:
    """What each of today's structures does and why it matters to a hub, by sector."""
    c = content()
    blocks = []
    for sector in Sector:
        rows = [
            {
                "Structure": s.get("title"),
                "What it does and why it matters to a hub": s.text,
                "Must engage": "yes" if s.get("must_engage") else "",
                "Source": c.cite(s),
            }
            for s in current_structures()
            if Sector(s.get("sector")) == sector
        ]
        blocks.append(display.heading(sector.label, 4))
        blocks.append(display.table(rows, f"{sector.label}: who they are and why they matter"))
    return display.join(blocks)


def concepts_table() -> display.Html:
    """The ideas a facilitator needs to explain: co-terminosity, place, the ICS, the duty to co-operate."""
    c = content()
    rows = [{"Idea": e.get("title"), "What it means": e.text, "Source": c.cite(e)} for e in c.group("concepts")]
    return display.table(rows, "Ideas that help explain the map")


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())


# ---- The area: ICB(s) and co-terminosity ------------------------------------------------------
def _councils_in_icb(icb_code: str, except_code: str) -> list[str]:
    return [a.name for a in all_areas() if a.code != except_code and any(link.code == icb_code for link in a.main_icbs)]


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else (", ".join(items[:-1]) + " and " + items[-1] if items else "")


def coterminosity(area: Area) -> str:
    """Plain words on how the council's boundary fits the ICB(s) from 1 April 2026, flagged where the link is
    indicative, only likely or uncertain, or a small sliver."""
    if not area.icbs:
        return (
            f"No ICB is recorded for {area.name} in the area tables, so whether its boundaries match the "
            "NHS's cannot be judged here. Ask the NHS which ICB plans services for the area."
        )
    indicative = area.icb_basis == "indicative"
    main = area.main_icbs
    if area.coterminous:
        text = (
            f"{area.name} and {main[0].name} {'appear to cover' if indicative else 'cover'} the same area: "
            "the ICB covers no other council, so the council and the ICB are co-terminous. One set of "
            "boundaries and one set of figures serves both, so a figure published for the ICB describes the "
            "council's own population."
        )
    elif area.single_icb:
        others = _councils_in_icb(main[0].code, area.code)
        text = (
            f"{area.name} {'appears to sit' if indicative else 'sits'} wholly within {main[0].name}, but "
            f"the ICB also covers {_and_list(others) or 'other councils'}, so the council and the ICB are not "
            f"co-terminous. Look for the ICB's place team or place partnership for {area.name}, and check "
            "whether a figure published for the ICB includes the other councils."
        )
    else:
        text = (
            f"{area.name} {'appears to span' if indicative else 'spans'} {len(main)} ICBs "
            f"({_and_list([link.name for link in main])}), so the council and the NHS are not co-terminous. You "
            "will need a contact in each ICB, maternity and health visiting catchments may follow different "
            "lines from the council's, and a figure published for any one ICB describes a different "
            "population from the council's."
        )
    text = " ".join([text, *area.icb_caveats()])
    if indicative:
        text += (
            " These ICB links are indicative: they were built from 2021 CCG lookups and carried onto the ICBs "
            "of 1 April 2026, not from an exact boundary match, so confirm them with the ICB before relying on them."
        )
    return text


def area_panel(plan: Plan) -> display.Html:
    """The council, its region, its ICB(s) from 1 April 2026 beside those of July 2022 ("then and now"),
    with the basis of the link, and co-terminosity in plain words."""
    area = find_area(plan.area_code)
    c = content()
    basis = "indicative" if area.icb_basis == "indicative" else area.icb_basis
    basis_2022 = area.icb_basis_2022 or "indicative"
    if area.coterminous:
        fit = "yes"
    elif area.single_icb:
        fit = "no: the ICB also covers other councils"
    else:
        fit = f"no: the council spans {len(area.main_icbs)} ICBs"
    facts = [
        {"": "Local authority", "Value": f"{area.name} ({area.code}; DfE {area.dfe_code})"},
        {"": "Region", "Value": area.region},
        {"": "ICB(s) from 1 April 2026", "Value": f"{area.icb_names or 'none recorded'} ({basis})"},
        {
            "": "ICB(s) July 2022 to March 2026",
            "Value": area.not_on_map_2022() or f"{area.icb_names_2022 or 'none recorded'} ({basis_2022})",
        },
        {"": "Co-terminous with the ICB", "Value": fit + (" (indicative)" if basis == "indicative" else "")},
    ]
    if area.change_note():
        facts.append({"": "Changes to the council", "Value": area.change_note()})
    icb_rows = [
        {
            "ICB": link.name,
            "ODS code": link.ods_code,
            "GSS code": link.code,
            "Basis": basis,
            "How sure": "a small sliver of the council" if link.sliver else link.confidence or "not stated",
            "Share of the council's neighbourhoods (LSOAs)": (
                f"{link.lsoa_share:.1%}" if link.lsoa_share is not None else "not known (indicative link)"
            ),
            "Other councils in this ICB": "; ".join(_councils_in_icb(link.code, area.code)) or "none",
        }
        for link in area.icbs
    ]
    then_now = [
        {"ICB in July 2022": then, "On 1 April 2026": happened, "From 1 April 2026": now}
        for then, happened, now in then_and_now(area)
    ]
    idea = c.entry("coterminosity")
    return display.join(
        [
            display.table(facts, f"{area.name}: the council and its NHS boundaries"),
            display.paragraph(coterminosity(area)),
            display.table(icb_rows, f"The ICB(s) {area.name} sits in from 1 April 2026", empty="no ICB recorded."),
            display.table(then_now, f"Then and now: {area.name}'s ICBs, July 2022 and 1 April 2026"),
            display.heading(idea.get("title"), 4),
            display.paragraph(idea.text),
            display.paragraph(f"Source: {c.cite(idea)}"),
        ]
    )


# ---- The register, the grid and the gaps -----------------------------------------------------
def stakeholder_label(index: int, stakeholder: Stakeholder) -> str:
    """How the register, the grid and the gaps name a stakeholder: ``"2. ICB place director"``."""
    return f"{index + 1}. {stakeholder.role}"


def _check_show_contacts(show_contacts: Any) -> None:
    if not isinstance(show_contacts, bool):
        raise ValueError(f"show_contacts must be True or False, got {show_contacts!r}")


#: How to show the contacts, said only in JupyterLab (the one surface with a parameters cell).
SHOW_CONTACTS_IN_LAB = "To show them here, set show_contacts = True in the parameters cell and run the notebook again."


def register_table(plan: Plan, show_contacts: bool = False, how_to_show: str = "") -> display.Html:
    """The stakeholder register; contact details only when ``show_contacts`` is True. When contacts are
    held but left out, a note says so, followed by ``how_to_show`` (what this surface offers, if anything)."""
    _check_show_contacts(show_contacts)
    section = section_of(plan)
    titles = structure_titles()
    boxes = quadrants()
    rows = []
    for i, s in enumerate(section.stakeholders):
        row = {
            "#": i + 1,
            "Role": s.role,
            "Organisation": s.organisation,
            "Sector": s.sector.label,
            "Part of the map": titles.get(s.structure, "") if s.structure else "not linked",
            "Influence": s.influence,
            "Interest": s.interest,
            "Grid box": boxes[quadrant_of(s)].get("title"),
            "Relationship today": s.relationship,
            "Engagement action": s.engagement_action or "none agreed yet",
            "Owner": s.owner or "not yet named",
        }
        if show_contacts:
            row["Contact"] = s.contact
        rows.append(row)
    blocks = [display.table(rows, "Stakeholder register", empty="No stakeholders on the register yet.")]
    held = sum(1 for s in section.stakeholders if s.contact)
    if held and not show_contacts:
        blocks.append(
            display.notice(
                f"Contact details are kept in the plan for {held} stakeholder(s) and are left out of "
                f"this register, so that it can be shared. {how_to_show}".strip()
            )
        )
    if section.notes:
        blocks.append(display.paragraph(f"Notes: {section.notes}"))
    return display.join(blocks)


def register_summary(plan: Plan) -> display.Html:
    """The register in short, for a short report: who each stakeholder is, their box on the grid, the
    relationship today, the action and its owner. Never contact details."""
    section = section_of(plan)
    boxes = quadrants()
    rows = [
        {
            "#": i + 1,
            "Role": s.role,
            "Organisation": s.organisation,
            "Sector": s.sector.label,
            "Grid box": boxes[quadrant_of(s)].get("title"),
            "Relationship today": s.relationship,
            "Engagement action": s.engagement_action or "none agreed yet",
            "Owner": s.owner or "not yet named",
        }
        for i, s in enumerate(section.stakeholders)
    ]
    blocks = [
        display.table(rows, "Stakeholders, numbered as on the grid", empty="No stakeholders on the register yet.")
    ]
    if any(s.contact for s in section.stakeholders):
        blocks.append(display.paragraph("Contact details are kept in the plan and left out here."))
    if section.notes:
        blocks.append(display.paragraph(f"Notes: {section.notes}"))
    return display.join(blocks)


def register_view(wb: Workbook, show_contacts: bool = False) -> Any:
    """The register, kept up to date in a workshop; contacts shown only when ``show_contacts`` is True."""
    _check_show_contacts(show_contacts)
    how_to_show = SHOW_CONTACTS_IN_LAB if wb.surface == "lab" else ""
    return wb.view(partial(register_table, show_contacts=show_contacts, how_to_show=how_to_show))


def power_interest_grid(plan: Plan) -> display.Html:
    """Every stakeholder on the power/interest grid, numbered as in the register, coloured by sector.

    Stakeholders with the same scores sit side by side around their point; the key beside the grid
    names each number.
    """
    section = section_of(plan)
    if not section.stakeholders:
        return display.notice("No stakeholders yet: the grid appears once someone is on the register.")
    boxes = quadrants()
    members = quadrant_members(section)
    total = len(section.stakeholders)
    title = (
        f"{len(members['manage_closely'])} of {total} stakeholders to manage closely, "
        f"{len(members['keep_satisfied'])} to keep satisfied"
    )
    sectors = list(Sector)
    points = [(s.role, s.interest, s.influence, sectors.index(s.sector)) for s in section.stakeholders]
    colours = ", ".join(f"{s.label.lower()} {colour}" for s, colour in zip(sectors, SECTOR_COLOUR_WORDS, strict=True))
    description = (
        f"Each dot is one of {total} stakeholders, numbered as in the register and coloured by sector "
        f"({colours}); the key beside the grid names each number, and stakeholders with the same scores "
        f"sit side by side around their point. Interest in the hub runs left to right and influence over "
        f"its plans bottom to top, each from 1 to {SCALE}; a score of {HIGH} or more counts as high, so a "
        "dot on a dashed line belongs to the box above it or to its right."
    )
    return quadrant_grid(
        points,
        title,
        description,
        f"Interest in the hub (1 to {SCALE})",
        f"Influence over the hub's plans (1 to {SCALE})",
        tuple(boxes[q].get("title") for q in GRID_ORDER),
        scale=SCALE,
    )


def engagement_strategies(plan: Plan) -> display.Html:
    """How to engage each box of the grid, and who is in it now."""
    section = section_of(plan)
    c = content()
    boxes = quadrants()
    members = quadrant_members(section)
    rows = [
        {
            "Grid box": boxes[q].get("title"),
            "Influence": boxes[q].get("influence"),
            "Interest": boxes[q].get("interest"),
            "How to engage": boxes[q].text,
            "Who is here now": "; ".join(
                f"{stakeholder_label(i, section.stakeholders[i])} ({section.stakeholders[i].sector.label.lower()})"
                for i in members[q]
            )
            or "no one yet",
            "Source": c.cite(boxes[q]),
        }
        for q in STRATEGY_ORDER
    ]
    return display.table(rows, "An engagement strategy for each box of the grid")


def _who(section: StakeholderSection, indexes: list[int]) -> str:
    return "; ".join(
        stakeholder_label(i, section.stakeholders[i])
        + (f" ({section.stakeholders[i].organisation})" if section.stakeholders[i].organisation else "")
        for i in indexes
    )


def gaps(plan: Plan) -> display.Html:
    """Compare the register with the structures a hub must engage and with the starter prompts."""
    section = section_of(plan)
    titles = structure_titles()
    covered = covered_structures(section)
    missing = missing_structures(section)
    needed = must_engage()
    starts: dict[str, list[str]] = {}
    for p in prompts():
        if p.get("structure"):
            starts.setdefault(p.get("structure"), []).append(p.get("role"))
    blocks = []
    if not section.stakeholders:
        blocks.append(
            display.notice(
                "No stakeholders on the register yet, so every structure below is still a gap. "
                "Add people with the form above, starting from the prompts."
            )
        )
    elif missing:
        blocks.append(
            display.notice(
                f"No one yet from {len(missing)} of the {len(needed)} structures a hub must "
                f"engage: {'; '.join(titles[m] for m in missing)}.",
                "warning",
            )
        )
    else:
        blocks.append(
            display.notice(f"Every one of the {len(needed)} structures a hub must engage has someone on the register.")
        )
    if section.stakeholders:
        present = {s.sector for s in section.stakeholders}
        for sector in (Sector.LOCAL_AUTHORITY, Sector.HEALTH):
            if sector not in present:
                blocks.append(display.notice(f"No one from {sector.label.lower()} is on the register yet.", "warning"))
        distant = powerful_but_distant(section)
        if distant:
            blocks.append(
                display.paragraph(f"High influence but no or only a weak relationship today: {_who(section, distant)}.")
            )
    rows = [
        {
            "Structure": s.get("title"),
            "Sector": Sector(s.get("sector")).label,
            "On the register": _who(section, covered[s.id]) if s.id in covered else "no one yet",
            "Where to start": "" if s.id in covered else ("; ".join(starts.get(s.id, [])) or s.get("now")),
        }
        for s in needed
    ]
    blocks.append(display.table(rows, "Structures a hub must engage, and who covers them"))
    status_words = {
        "answered": "on the register",
        "structure covered": "someone from {} is on the register: check they cover this",
        "not yet": "not yet",
    }
    prompt_rows = [
        {
            "Starter prompt": p.get("role"),
            "Why": p.get("why"),
            "Status": status_words[status].format(titles.get(p.get("structure") or "", "")),
            "Who": _who(section, who),
            "What to ask": p.text,
        }
        for p, status, who in prompt_status(section)
    ]
    blocks.append(display.table(prompt_rows, "Starter prompts: who else to look for"))
    return display.join(blocks)
