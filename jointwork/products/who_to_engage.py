"""Product 4, who to engage with in children's services and health: the structures on each side
then and now, the area's ICB(s) and shared boundaries, a stakeholder register, a
power/interest grid and the gaps against the structures a hub must engage.

Static outputs take a :class:`~jointwork.plan.Plan` and return HTML, so a notebook shows them
with ``wb.view(...)`` both in a workshop and in a batch run. Contact details stay in the plan:
the register shows them only when asked (``show_contacts=True``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .. import display
from ..areas import Area, all_areas, find_area
from ..charts import quadrant_grid
from ..content import Entry, ProductContent, load_content
from ..plan import Plan, Sector, Stakeholder, StakeholderSection

if TYPE_CHECKING:
    from ..workbook import Workbook

SLUG = "who_to_engage"
SECTORS = (Sector.LOCAL_AUTHORITY, Sector.HEALTH, Sector.OTHER)
SECTOR_LABEL = {Sector.LOCAL_AUTHORITY: "Local authority", Sector.HEALTH: "Health", Sector.OTHER: "Other"}
SECTOR_COLOUR = {Sector.LOCAL_AUTHORITY: "dark blue", Sector.HEALTH: "teal", Sector.OTHER: "maroon"}
RELATIONSHIPS = ("none", "weak", "developing", "strong")
SCALE = 5
HIGH = 3  # a score of 3 or more counts as high on the grid, so a dot on a dashed line goes to the more engaged box
# quadrant ids in the order charts.quadrant_grid draws them: top-left, top-right, bottom-left, bottom-right
GRID_ORDER = ("keep_satisfied", "manage_closely", "monitor", "keep_informed")
STRATEGY_ORDER = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
FIELDS = ("role", "organisation", "sector", "structure", "prompt", "influence", "interest", "relationship",
          "engagement_action", "owner", "contact")


def content() -> ProductContent:
    return load_content(4)


def structures() -> list[Entry]:
    """Every structure in the content, including those that have gone (``era: then``)."""
    return content().group("structures")


def current_structures() -> list[Entry]:
    """Structures that exist today: the ones a stakeholder can belong to."""
    return [s for s in structures() if s.get("era") != "then"]


def must_engage() -> list[Entry]:
    """Today's structures that every hub plan should have someone from."""
    return [s for s in current_structures() if s.get("must_engage")]


def structure_titles() -> dict[str, str]:
    return {s.id: s.get("title") for s in structures()}


def prompts() -> list[Entry]:
    return content().group("stakeholder_prompts")


def quadrants() -> dict[str, Entry]:
    return {q.id: q for q in content().group("quadrants")}


def check(section: StakeholderSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Stakeholders must name structures and prompts that exist in the content (or none)."""
    known_structures = {s.id for s in current_structures()}
    known_prompts = {p.id for p in prompts()}
    for i, stakeholder in enumerate(section.stakeholders):
        if stakeholder.structure and stakeholder.structure not in known_structures:
            yield ("stakeholders", i, "structure"), "'' or one of the structure ids: " + ", ".join(known_structures)
        if stakeholder.prompt and stakeholder.prompt not in known_prompts:
            yield ("stakeholders", i, "prompt"), "'' or one of the stakeholder prompt ids: " + ", ".join(known_prompts)


# ---- Reference content ----------------------------------------------------------------------
def _or(value: Any, instead: str) -> str:
    return instead if value in (None, "") else str(value)


def structures_then_now() -> display.Html:
    """The 2007-08 structure beside today's, what changed and when, the sector and the statute."""
    c = content()
    rows = [{"Structure": s.get("title"), "Then (2007-08)": _or(s.get("then"), "no equivalent then"),
             "Now": _or(s.get("now"), "gone, with no direct successor"),
             "What changed and when": _or(s.get("changed"), "no change recorded"),
             "Sector": SECTOR_LABEL[Sector(s.get("sector"))], "Statute": _or(s.get("statute"), "none named"),
             "Source": c.cite(s)} for s in structures()]
    return display.table(rows, "Children's services and health structures: then (2007-08) and now")


def structures_guide() -> display.Html:
    """What each of today's structures does and why it matters to a hub, by sector."""
    c = content()
    blocks = []
    for sector in SECTORS:
        rows = [{"Structure": s.get("title"), "What it does and why it matters to a hub": s.text,
                 "Must engage": "yes" if s.get("must_engage") else "", "Source": c.cite(s)}
                for s in current_structures() if Sector(s.get("sector")) == sector]
        blocks.append(display.heading(SECTOR_LABEL[sector], 4))
        blocks.append(display.table(rows, f"{SECTOR_LABEL[sector]}: who they are and why they matter"))
    return display.join(blocks)


def concepts_table() -> display.Html:
    """The ideas a facilitator needs to explain: co-terminosity, place, the ICS, the duty to co-operate."""
    c = content()
    rows = [{"Idea": e.get("title"), "What it means": e.text, "Source": c.cite(e)} for e in c.group("concepts")]
    return display.table(rows, "Ideas that help explain the map")


# ---- The area: ICB(s) and co-terminosity ------------------------------------------------------
def _councils_in_icb(icb_code: str, except_code: str) -> list[str]:
    return [a.name for a in all_areas() if a.code != except_code and any(link.code == icb_code for link in a.icbs)]


def coterminosity(area: Area) -> str:
    """Plain words on how the council's boundary fits the ICB(s), flagged where the link is indicative."""
    if not area.icbs:
        return (f"No ICB is recorded for {area.name} in the area tables, so whether its boundaries match the "
                "NHS's cannot be judged here. Ask the NHS which ICB plans services for the area.")
    indicative = area.icb_basis == "indicative"
    if area.coterminous:
        text = (f"{area.name} and {area.icbs[0].name} {'appear to cover' if indicative else 'cover'} the same area: "
                "the ICB covers no other council, so the council and the ICB are co-terminous. One set of "
                "boundaries and one set of figures serves both, so a figure published for the ICB describes the "
                "council's own population.")
    elif area.single_icb:
        others = _councils_in_icb(area.icbs[0].code, area.code)
        text = (f"{area.name} {'appears to sit' if indicative else 'sits'} wholly within {area.icbs[0].name}, but "
                f"the ICB also covers {_and_list(others) or 'other councils'}, so the council and the ICB are not "
                f"co-terminous. Look for the ICB's place team or place partnership for {area.name}, and check "
                "whether a figure published for the ICB includes the other councils.")
    else:
        text = (f"{area.name} {'appears to span' if indicative else 'spans'} {len(area.icbs)} ICBs "
                f"({_and_list([link.name for link in area.icbs])}), so the council and the NHS are not co-terminous. You "
                "will need a contact in each ICB, maternity and health visiting catchments may follow different "
                "lines from the council's, and a figure published for any one ICB describes a different "
                "population from the council's.")
    if indicative:
        text += (" These ICB links are indicative: they were built from 2021 CCG lookups, not from an exact "
                 "boundary match, so confirm them with the ICB before relying on them.")
    return text


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else (", ".join(items[:-1]) + " and " + items[-1] if items else "")


def area_panel(plan: Plan) -> display.Html:
    """The council, its region, its ICB(s) with the basis of the link, and co-terminosity in plain words."""
    area = find_area(plan.area_code)
    c = content()
    basis = "indicative" if area.icb_basis == "indicative" else "exact"
    if area.coterminous:
        fit = "yes"
    elif area.single_icb:
        fit = "no: the ICB also covers other councils"
    else:
        fit = f"no: the council spans {len(area.icbs)} ICBs"
    facts = [{"": "Local authority", "Value": f"{area.name} ({area.code}; DfE {area.dfe_code})"},
             {"": "Region", "Value": area.region},
             {"": "ICB(s)", "Value": f"{area.icb_names or 'none recorded'} ({basis})"},
             {"": "Co-terminous with the ICB", "Value": fit + (" (indicative)" if basis == "indicative" else "")}]
    icb_rows = [{"ICB": link.name, "ODS code": link.ods_code, "GSS code": link.code, "Basis": basis,
                 "Share of the council's neighbourhoods (LSOAs)": (f"{link.lsoa_share:.1%}" if link.lsoa_share is not None
                                                                  else "not known (indicative link)"),
                 "Other councils in this ICB": "; ".join(_councils_in_icb(link.code, area.code)) or "none"}
                for link in area.icbs]
    idea = c.entry("coterminosity")
    return display.join([
        display.table(facts, f"{area.name}: the council and its NHS boundaries"),
        display.paragraph(coterminosity(area)),
        display.table(icb_rows, f"The ICB(s) {area.name} sits in", empty="no ICB recorded."),
        display.heading(idea.get("title"), 4),
        display.paragraph(idea.text),
        display.paragraph(f"Source: {c.cite(idea)}"),
    ])


# ---- The register, the grid and the gaps -----------------------------------------------------
def quadrant_of(stakeholder: Stakeholder) -> str:
    """The id of the grid box a stakeholder falls in; a score of 3 or more counts as high."""
    powerful, interested = stakeholder.influence >= HIGH, stakeholder.interest >= HIGH
    if powerful:
        return "manage_closely" if interested else "keep_satisfied"
    return "keep_informed" if interested else "monitor"


def _label(index: int, stakeholder: Stakeholder) -> str:
    return f"{index + 1}. {stakeholder.role}"


def register_table(plan: Plan, show_contacts: bool = False) -> display.Html:
    """The stakeholder register; contact details only when ``show_contacts`` is True."""
    if not isinstance(show_contacts, bool):
        raise ValueError(f"show_contacts must be True or False, got {show_contacts!r}")
    section = plan.section(SLUG)
    titles = structure_titles()
    boxes = quadrants()
    rows = []
    for i, s in enumerate(section.stakeholders):
        row = {"#": i + 1, "Role": s.role, "Organisation": s.organisation, "Sector": SECTOR_LABEL[s.sector],
               "Part of the map": titles.get(s.structure, "") if s.structure else "not linked",
               "Influence": s.influence, "Interest": s.interest, "Grid box": boxes[quadrant_of(s)].get("title"),
               "Relationship today": s.relationship, "Engagement action": s.engagement_action or "none agreed yet",
               "Owner": s.owner or "not yet named"}
        if show_contacts:
            row["Contact"] = s.contact
        rows.append(row)
    blocks = [display.table(rows, "Stakeholder register", empty="No stakeholders on the register yet.")]
    held = sum(1 for s in section.stakeholders if s.contact)
    if held and not show_contacts:
        blocks.append(display.notice(f"Contact details are kept in the plan for {held} stakeholder(s) and are not "
                                     "shown here. To include them, set show_contacts = True in the parameters cell."))
    if section.notes:
        blocks.append(display.paragraph(f"Notes: {section.notes}"))
    return display.join(blocks)


def register_view(wb: "Workbook", show_contacts: bool = False) -> Any:
    """The register, kept up to date in a workshop; contacts shown only when ``show_contacts`` is True."""
    if not isinstance(show_contacts, bool):
        raise ValueError(f"show_contacts must be True or False, got {show_contacts!r}")
    return wb.view(partial(register_table, show_contacts=show_contacts))


def quadrant_members(section: StakeholderSection) -> dict[str, list[int]]:
    """Indexes of the stakeholders in each grid box."""
    members: dict[str, list[int]] = {q: [] for q in STRATEGY_ORDER}
    for i, s in enumerate(section.stakeholders):
        members[quadrant_of(s)].append(i)
    return members


def power_interest_grid(plan: Plan) -> display.Html:
    """Every stakeholder on the power/interest grid, numbered as in the register, coloured by sector."""
    section = plan.section(SLUG)
    if not section.stakeholders:
        return display.notice("No stakeholders yet: the grid appears once someone is on the register.")
    boxes = quadrants()
    members = quadrant_members(section)
    total = len(section.stakeholders)
    title = (f"{len(members['manage_closely'])} of {total} stakeholders to manage closely, "
             f"{len(members['keep_satisfied'])} to keep satisfied")
    points = [(_label(i, s), s.interest, s.influence, SECTORS.index(s.sector))
              for i, s in enumerate(section.stakeholders)]
    colours = ", ".join(f"{SECTOR_LABEL[s].lower()} {SECTOR_COLOUR[s]}" for s in SECTORS)
    description = (f"Each dot is one of {total} stakeholders, numbered as in the register and coloured by sector "
                   f"({colours}). Interest in the hub runs left to right and influence over its plans bottom to "
                   f"top, each from 1 to {SCALE}; a score of {HIGH} or more counts as high, so a dot on a dashed "
                   "line belongs to the box above it or to its right.")
    return quadrant_grid(points, title, description, f"Interest in the hub (1 to {SCALE})",
                         f"Influence over the hub's plans (1 to {SCALE})",
                         tuple(boxes[q].get("title") for q in GRID_ORDER), scale=SCALE)


def engagement_strategies(plan: Plan) -> display.Html:
    """How to engage each box of the grid, and who is in it now."""
    section = plan.section(SLUG)
    c = content()
    boxes = quadrants()
    members = quadrant_members(section)
    rows = [{"Grid box": boxes[q].get("title"), "Influence": boxes[q].get("influence"),
             "Interest": boxes[q].get("interest"), "How to engage": boxes[q].text,
             "Who is here now": "; ".join(f"{_label(i, section.stakeholders[i])} "
                                          f"({SECTOR_LABEL[section.stakeholders[i].sector].lower()})"
                                          for i in members[q]) or "no one yet",
             "Source": c.cite(boxes[q])} for q in STRATEGY_ORDER]
    return display.table(rows, "An engagement strategy for each box of the grid")


def covered_structures(section: StakeholderSection) -> dict[str, list[int]]:
    """Structure id -> indexes of the stakeholders linked to it."""
    covered: dict[str, list[int]] = {}
    for i, s in enumerate(section.stakeholders):
        if s.structure:
            covered.setdefault(s.structure, []).append(i)
    return covered


def missing_structures(section: StakeholderSection) -> list[str]:
    """Ids of the structures a hub must engage that have no one on the register."""
    covered = covered_structures(section)
    return [s.id for s in must_engage() if s.id not in covered]


def prompt_status(section: StakeholderSection) -> list[tuple[Entry, str, list[int]]]:
    """For each starter prompt: ``answered``, ``structure covered`` or ``not yet``, and who."""
    covered = covered_structures(section)
    result = []
    for p in prompts():
        answered = [i for i, s in enumerate(section.stakeholders) if s.prompt == p.id]
        if answered:
            result.append((p, "answered", answered))
        elif p.get("structure") and p.get("structure") in covered:
            result.append((p, "structure covered", covered[p.get("structure")]))
        else:
            result.append((p, "not yet", []))
    return result


def powerful_but_distant(section: StakeholderSection) -> list[int]:
    """Stakeholders with high influence and no or only a weak relationship today."""
    return [i for i, s in enumerate(section.stakeholders) if s.influence >= HIGH and s.relationship in ("none", "weak")]


def _who(section: StakeholderSection, indexes: list[int]) -> str:
    return "; ".join(_label(i, section.stakeholders[i]) + (f" ({section.stakeholders[i].organisation})"
                                                          if section.stakeholders[i].organisation else "")
                     for i in indexes)


def gaps(plan: Plan) -> display.Html:
    """Compare the register with the structures a hub must engage and with the starter prompts."""
    section = plan.section(SLUG)
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
        blocks.append(display.notice("No stakeholders on the register yet, so every structure below is still a gap. "
                                     "Add people with the form above, starting from the prompts."))
    elif missing:
        blocks.append(display.notice(f"No one yet from {len(missing)} of the {len(needed)} structures a hub must "
                                     f"engage: {'; '.join(titles[m] for m in missing)}.", "warning"))
    else:
        blocks.append(display.notice(f"Every one of the {len(needed)} structures a hub must engage has someone on "
                                     "the register."))
    if section.stakeholders:
        present = {s.sector for s in section.stakeholders}
        for sector in (Sector.LOCAL_AUTHORITY, Sector.HEALTH):
            if sector not in present:
                blocks.append(display.notice(f"No one from {SECTOR_LABEL[sector].lower()} is on the register yet.",
                                             "warning"))
        distant = powerful_but_distant(section)
        if distant:
            blocks.append(display.paragraph("High influence but no or only a weak relationship today: "
                                            f"{_who(section, distant)}."))
    rows = [{"Structure": s.get("title"), "Sector": SECTOR_LABEL[Sector(s.get("sector"))],
             "On the register": _who(section, covered[s.id]) if s.id in covered else "no one yet",
             "Where to start": "" if s.id in covered else ("; ".join(starts.get(s.id, [])) or s.get("now"))}
            for s in needed]
    blocks.append(display.table(rows, "Structures a hub must engage, and who covers them"))
    status_words = {"answered": "on the register", "structure covered": "someone from {} is on the register: "
                    "check they cover this", "not yet": "not yet"}
    prompt_rows = [{"Starter prompt": p.get("role"), "Why": p.get("why"),
                    "Status": status_words[status].format(titles.get(p.get("structure") or "", "")),
                    "Who": _who(section, who), "What to ask": p.text}
                   for p, status, who in prompt_status(section)]
    blocks.append(display.table(prompt_rows, "Starter prompts: who else to look for"))
    return display.join(blocks)


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return content().sources_table()


# ---- Plan edits (used by the widgets, the app and tests) --------------------------------------
def _build(**fields: Any) -> Stakeholder:
    """A validated stakeholder, or a ValueError in plain English."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"a stakeholder has no field {', '.join(sorted(unknown))}; the fields are {', '.join(FIELDS)}")
    role = str(fields.get("role") or "").strip()
    if not role:
        raise ValueError("give the stakeholder's role (or a name) before saving")
    sector = fields.get("sector")
    if sector not in {s.value for s in Sector} | set(Sector):
        raise ValueError(f"sector must be one of {', '.join(s.value for s in Sector)}, got {sector!r}")
    for name in ("influence", "interest"):
        value = fields.get(name, HIGH)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= SCALE:
            raise ValueError(f"{name} must be a whole number from 1 to {SCALE}, got {value!r}")
    relationship = fields.get("relationship", "none")
    if relationship not in RELATIONSHIPS:
        raise ValueError(f"relationship today must be one of {', '.join(RELATIONSHIPS)}, got {relationship!r}")
    structure = fields.get("structure") or ""
    if structure and structure not in {s.id for s in current_structures()}:
        raise ValueError(f"there is no structure {structure!r} in this product's content")
    prompt = fields.get("prompt") or ""
    if prompt and prompt not in {p.id for p in prompts()}:
        raise ValueError(f"there is no stakeholder prompt {prompt!r} in this product's content")
    try:
        return Stakeholder(**{**fields, "role": role, "sector": Sector(sector), "structure": structure,
                              "prompt": prompt})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"the stakeholder was not saved ({problems})") from None


def _check_unique(section: StakeholderSection, stakeholder: Stakeholder, skip: int | None = None) -> None:
    key = (stakeholder.role.casefold(), stakeholder.organisation.casefold())
    for i, other in enumerate(section.stakeholders):
        if i != skip and (other.role.casefold(), other.organisation.casefold()) == key:
            where = f" at {other.organisation}" if other.organisation else ""
            raise ValueError(f"{other.role}{where} is already on the register (number {i + 1})")


def _check_index(section: StakeholderSection, index: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(section.stakeholders):
        raise ValueError(f"there is no stakeholder number {index + 1 if isinstance(index, int) else index!r} "
                         f"on the register (it has {len(section.stakeholders)})")


def add_stakeholder(plan: Plan, role: str, sector: Sector | str, organisation: str = "", **fields: Any) -> None:
    """Add a stakeholder; ``fields`` are any of structure, prompt, influence, interest, relationship,
    engagement_action, owner and contact."""
    section = plan.section(SLUG)
    stakeholder = _build(role=role, sector=sector, organisation=organisation, **fields)
    _check_unique(section, stakeholder)
    section.stakeholders.append(stakeholder)


def update_stakeholder(plan: Plan, index: int, **changes: Any) -> None:
    """Change some fields of the stakeholder at ``index`` (0-based; the register numbers from 1)."""
    section = plan.section(SLUG)
    _check_index(section, index)
    stakeholder = _build(**{**section.stakeholders[index].model_dump(), **changes})
    _check_unique(section, stakeholder, skip=index)
    section.stakeholders[index] = stakeholder


def remove_stakeholder(plan: Plan, index: int) -> None:
    section = plan.section(SLUG)
    _check_index(section, index)
    del section.stakeholders[index]


def set_notes(plan: Plan, notes: str) -> None:
    plan.section(SLUG).notes = notes


# ---- Workshop ------------------------------------------------------------------------------
def exercise(wb: "Workbook") -> Any:
    """Build the register: a form in a workshop; in a batch run, a count (the register is shown below)."""
    if not wb.interactive:
        count = len(wb.plan.section(SLUG).stakeholders)
        return display.paragraph(f"{count} stakeholder(s) on the register; see the register, the grid and the gaps "
                                 "below.")
    return _register_widgets(wb)


def _start_options() -> list[tuple[str, str]]:
    return ([("Type your own", "")]
            + [(f"Prompt: {p.get('role')}", f"prompt:{p.id}") for p in prompts()]
            + [(f"Structure: {s.get('title')}", f"structure:{s.id}") for s in current_structures()])


def _register_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    new = -1
    state = {"loading": False, "prompt": ""}
    wide = w.Layout(width="560px")

    picker = w.Dropdown(layout=wide)
    labelled(picker, "Stakeholder")
    start = w.Dropdown(options=_start_options(), value="", layout=wide)
    labelled(start, "Start from")
    start_info = w.HTML()

    def text(label: str, placeholder: str) -> Any:
        box = w.Text(placeholder=placeholder, continuous_update=False, layout=wide)
        labelled(box, label)
        return box

    role = text("Role or name", "e.g. Head of midwifery")
    organisation = text("Organisation", "e.g. the acute trust, the council, the ICB")
    sector = w.Dropdown(options=[(SECTOR_LABEL[s], s.value) for s in SECTORS], value=Sector.HEALTH.value)
    labelled(sector, "Sector")
    structure = w.Dropdown(options=[("Not linked to a structure", "")]
                           + [(s.get("title"), s.id) for s in current_structures()], value="", layout=wide)
    labelled(structure, "Part of the map")
    influence = w.IntSlider(value=HIGH, min=1, max=SCALE, continuous_update=False)
    labelled(influence, "Influence (1 = little, 5 = a lot)")
    interest = w.IntSlider(value=HIGH, min=1, max=SCALE, continuous_update=False)
    labelled(interest, "Interest (1 = little, 5 = a lot)")
    relationship = w.Dropdown(options=list(RELATIONSHIPS), value="none")
    labelled(relationship, "Relationship today")
    action = text("Engagement action", "what you will do next with this person")
    owner = text("Owner", "who will do it")
    contact = text("Contact", "e.g. an email address or phone number (kept private)")
    add_button = w.Button(description="Add stakeholder", button_style="primary", tooltip="Add a new stakeholder")
    save_button = w.Button(description="Save changes", tooltip="Save the changes to the chosen stakeholder")
    remove_button = w.Button(description="Remove", button_style="danger", tooltip="Remove the chosen stakeholder")
    notes = w.Textarea(value=wb.plan.section(SLUG).notes, continuous_update=False, layout=w.Layout(width="100%"),
                       placeholder="What the group noticed about the map and the gaps")
    labelled(notes, "Notes from the discussion")

    def form_values() -> dict[str, Any]:
        return {"role": role.value, "organisation": organisation.value, "sector": sector.value,
                "structure": structure.value, "prompt": state["prompt"], "influence": influence.value,
                "interest": interest.value, "relationship": relationship.value,
                "engagement_action": action.value, "owner": owner.value, "contact": contact.value}

    def show_start(message: str) -> None:
        start_info.value = f'<div style="color:#3D3D3D;max-width:560px"><em>{display.esc(message)}</em></div>'

    def refresh_picker(chosen: int) -> None:
        state["loading"] = True
        stakeholders = wb.plan.section(SLUG).stakeholders
        picker.options = [("New stakeholder", new)] + [
            (f"{_label(i, s)}" + (f" ({s.organisation})" if s.organisation else ""), i) for i, s in enumerate(stakeholders)]
        picker.value = chosen if chosen < len(stakeholders) else new
        state["loading"] = False
        load(picker.value)

    def load(index: int) -> None:
        stakeholders = wb.plan.section(SLUG).stakeholders
        current = stakeholders[index] if 0 <= index < len(stakeholders) else None
        state["loading"] = True
        start.value = ""
        role.value = current.role if current else ""
        organisation.value = current.organisation if current else ""
        sector.value = current.sector.value if current else Sector.HEALTH.value
        structure.value = current.structure if current else ""
        influence.value = current.influence if current else HIGH
        interest.value = current.interest if current else HIGH
        relationship.value = current.relationship if current else "none"
        action.value = current.engagement_action if current else ""
        owner.value = current.owner if current else ""
        contact.value = current.contact if current else ""
        state["prompt"] = current.prompt if current else ""
        state["loading"] = False
        add_button.disabled = current is not None
        save_button.disabled = remove_button.disabled = current is None
        show_start("" if not state["prompt"] else
                   f"Answers the prompt: {content().entry(state['prompt']).get('role')}")

    def prefill(choice: str) -> None:
        if state["loading"] or not choice:
            return
        kind, _, ident = choice.partition(":")
        entry = content().entry(ident)
        if kind == "prompt":
            role.value = entry.get("role")
            structure.value = entry.get("structure") or ""
            state["prompt"] = entry.id
            show_start(f"Why: {entry.get('why')} What to ask: {entry.text}")
        else:
            role.value = entry.get("title")
            structure.value = entry.id
            state["prompt"] = ""
            show_start(f"Today: {entry.get('now')}")
        sector.value = Sector(entry.get("sector")).value

    def add(_button: Any) -> None:
        values = form_values()
        if wb.edit(lambda plan: add_stakeholder(plan, **values), f"stakeholder {values['role'].strip() or '(no role)'}"):
            refresh_picker(new)

    def save(_button: Any) -> None:
        index = picker.value
        values = form_values()
        if index != new and wb.edit(lambda plan: update_stakeholder(plan, index, **values),
                                    f"changes to stakeholder {index + 1}"):
            refresh_picker(index)

    def remove(_button: Any) -> None:
        index = picker.value
        if index != new and wb.edit(lambda plan: remove_stakeholder(plan, index),
                                    f"the removal of stakeholder {index + 1}"):
            refresh_picker(new)

    def on_notes(change: dict[str, Any]) -> None:
        wb.edit(lambda plan: set_notes(plan, change["new"]), "the notes")

    picker.observe(lambda change: None if state["loading"] else load(change["new"]), names="value")
    start.observe(lambda change: prefill(change["new"]), names="value")
    add_button.on_click(add)
    save_button.on_click(save)
    remove_button.on_click(remove)
    notes.observe(on_notes, names="value")
    refresh_picker(new)
    return w.VBox([
        help_text("Choose 'New stakeholder' to add someone, or pick someone on the register to change or remove "
                  "them. 'Start from' fills in the role, sector and part of the map from a starter prompt or a "
                  "structure; change anything before saving. Nothing is saved until you press a button."),
        picker, start, start_info, role, organisation, sector, structure,
        help_text("Influence: how much this person can change the hub's plans (money, staff, buildings, data). "
                  "Interest: how much they care about the hub. Scores of 3 or more count as high on the grid."),
        influence, interest, relationship, action, owner, contact,
        help_text("The contact is kept in your team's plan only. The register leaves it out unless the notebook "
                  "is run with show_contacts = True."),
        w.HBox([add_button, save_button, remove_button]), wb.status, notes])
