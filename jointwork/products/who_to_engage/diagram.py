"""Product 4's organisation diagram: the area's structures today (April 2026) beside the 2007-08 ones.

The 2007-08 toolkit promised "an illustration of the organisational structures" of children's
services and health. This draws it for one area: the council's side, the bodies both sides share
and the NHS side today, and the strategic health authority, primary care trust, children's trust
and Sure Start of 2007-08 beside them. The area tables supply the council's name, its region and
its ICB(s); trusts, networks and people are shown by kind, because the tables do not name them
(and the diagram never guesses a name). Each box of a structure in the content carries that
structure's title, so the diagram and the register's "part of the map" agree.

``diagram_layout(area)`` places the boxes and lines (a pure function of the area and the content);
``organisation_diagram(plan)`` is the view; ``organisation_diagram_for(area)`` draws any area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ...core.areas import Area, IcbLink, all_icbs, find_area
from ...core.plan import PlanBase as Plan
from ...render import display
from ...render.charts import DiagramBox, DiagramLink, label_height, org_chart
from .content import structure_titles

WIDTH = 1000
MARGIN = 8.0
GAP = 12.0  # between boxes in a column
GUTTER = 20.0  # between columns: lines from one column to the next bend in it
INSET = 8.0  # between a frame's edge and the boxes inside it

# x and width of each column: today's council side, the shared bodies, the NHS side; 2007-08's two
LA_X, LA_W = MARGIN, 226.0
MID_X, MID_W = LA_X + LA_W + GUTTER, 150.0
NHS_X, NHS_W = MID_X + MID_W + GUTTER, 220.0
THEN_X = NHS_X + NHS_W + 2 * GUTTER
THEN_W = (WIDTH - MARGIN - THEN_X - GUTTER) / 2
THEN_NHS_X = THEN_X + THEN_W + GUTTER
BUS = 8.0  # how far right of the NHS column's edge the ICB's commissioning line runs

# colours (indexes of charts.PALETTE): the council's side, the NHS side, bodies of both or neither
COUNCIL, NHS, SHARED, PANEL = 0, 1, 2, 4

#: The boxes of the 2007-08 side: id -> (heading, the structure it became (a content id), words on today).
THEN_BOXES = {
    "then_childrens_trust": ("Children's trust board", "childrens_trust", "today: the duty to co-operate remains"),
    "then_sha": ("Strategic health authority", "nhs_england_regions", "today: NHS England's regional teams"),
    "then_council": ("The council", None, "the upper-tier council of the time"),
    "then_dcs": ("Director of Children's Services and Lead Member", "director_childrens_services", "today: unchanged"),
    "then_centres": ("Sure Start children's centres", "hub_manager_board", "today: family hubs"),
    "then_pct": ("Primary care trust (PCT)", "integrated_care_board", "today: the ICB and its place"),
    "then_dph": ("Director of Public Health in the PCT", "director_public_health", "today: in the council"),
    "then_community": (
        "PCT community services: health visitors, therapists",
        "health_visiting",
        "today: 0-19 public health nursing and community trusts",
    ),
    "then_sslp": ("Sure Start local programme", "hub_manager_board", "programmes became children's centres"),
    "then_maternity": ("Acute trust maternity service", "nhs_trust_maternity", "today: NHS trust maternity"),
}


@dataclass
class DiagramLayout:
    """The placed boxes and lines of one area's diagram, with the content structure each box stands for."""

    area: Area
    boxes: list[DiagramBox] = field(default_factory=list)
    links: list[DiagramLink] = field(default_factory=list)
    structures: dict[str, str] = field(default_factory=dict)  # box id -> structure id in the content

    def box(self, box_id: str) -> DiagramBox:
        return next(b for b in self.boxes if b.id == box_id)


class _Builder:
    def __init__(self, area: Area) -> None:
        self.layout = DiagramLayout(area)
        self.titles = structure_titles()

    def title(self, structure: str, plain: str) -> str:
        """The content's title of ``structure``, or ``plain`` if the content has no such entry."""
        return self.titles.get(structure) or plain

    def add(
        self,
        box_id: str,
        heading: str,
        x: float,
        y: float,
        width: float,
        lines: Sequence[str] = (),
        *,
        kind: str = "box",
        parent: str | None = None,
        colour: int = COUNCIL,
        structure: str | None = None,
        name: str = "",
        height: float | None = None,
        note: str = "",
    ) -> DiagramBox:
        needed = label_height(kind, heading, lines, width)
        facts = (("Part of the map", self.titles.get(structure, "") if structure else ""), ("Note", note))
        box = DiagramBox(
            box_id,
            heading,
            x,
            y,
            width,
            max(needed, height or 0.0),
            tuple(lines),
            kind,
            parent,
            colour,
            name,
            facts,
        )
        self.layout.boxes.append(box)
        if structure is not None:
            self.layout.structures[box_id] = structure
        return box

    def resize(self, box: DiagramBox, bottom: float) -> DiagramBox:
        """``box`` (a frame or group) stretched down to ``bottom``."""
        grown = DiagramBox(**{**box.__dict__, "height": bottom - box.y})
        self.layout.boxes[self.layout.boxes.index(box)] = grown
        return grown

    def link(self, source: str, relation: str, target: str, *route: tuple[float, float]) -> None:
        self.layout.links.append(DiagramLink(source, relation, target, tuple(route)))


def _centre_y(box: DiagramBox) -> float:
    return box.y + box.height / 2


def _bottom(box: DiagramBox) -> float:
    return box.y + box.height


def _across(left: DiagramBox, right: DiagramBox, channel: float) -> list[tuple[float, float]]:
    """A line from ``left``'s right edge to ``right``'s left edge: straight where their heights overlap
    by enough, otherwise bending through the gutter at x = ``channel``."""
    top, bottom = max(left.y, right.y) + 6, min(_bottom(left), _bottom(right)) - 6
    x1, x2 = left.x + left.width, right.x
    if top <= bottom:
        y = (top + bottom) / 2
        return [(x1, y), (x2, y)]
    return [(x1, _centre_y(left)), (channel, _centre_y(left)), (channel, _centre_y(right)), (x2, _centre_y(right))]


def _down(upper: DiagramBox, lower: DiagramBox, x: float | None = None) -> list[tuple[float, float]]:
    """A vertical line from ``lower``'s top up to ``upper``'s bottom (at ``x``, or the middle of ``lower``)."""
    x = lower.x + lower.width / 2 if x is None else x
    return [(x, lower.y), (x, _bottom(upper))]


def _icb_words(area: Area, link: IcbLink) -> list[str]:
    words = [link.name]
    if link.sliver:
        words.append(f"covers only a sliver of {area.name}")
    elif len(area.icbs) > 1 and link.lsoa_share is not None:
        words.append(f"about {link.lsoa_share:.0%} of {area.name}'s neighbourhoods")
    if link.confidence in ("likely", "uncertain"):
        words.append(f"link {link.confidence}: confirm it with the ICB")
    return words


def _nhs_regions(area: Area) -> list[str]:
    """The NHS England regions of the ICBs the area sits in today (slivers left out), from the ICB table."""
    regions = {icb.code: icb.nhs_region for icb in all_icbs(2026)}
    return list(dict.fromkeys(regions[link.code] for link in area.main_icbs if regions.get(link.code)))


def _region_words(area: Area) -> str:
    regions = _nhs_regions(area)
    if not regions:
        return "oversees the ICBs through its regional teams"
    if len(regions) == 1:
        return f"the {regions[0]} regional team oversees the ICB{'s' if len(area.main_icbs) > 1 else ''}"
    return f"regional teams: {'; '.join(regions)}"


def _icb_frame_words(area: Area) -> list[str]:
    if not area.icbs:
        return ["none recorded in the area tables"]
    main = area.main_icbs
    extra = len(area.icbs) - len(main)
    if area.coterminous:
        words = ["the ICB covers the same area as the council"]
    elif len(main) == 1:
        words = [
            "the ICB also covers other councils"
            if not extra
            else "most of it is in one ICB, which also covers other councils"
        ]
    else:
        words = [f"{area.name} is split between {len(main)} ICBs"]
    if extra:
        words.append("a sliver or an uncertain link is marked on its box")
    if area.icbs_2022:
        then = [link.name for link in area.main_icbs_2022]
        now = [link.name for link in main]
        words.append(
            f"the same ICB{'s' if len(now) > 1 else ''} as in July 2022"
            if sorted(then) == sorted(now)
            else f"in July 2022: {'; '.join(then) or 'none recorded'}"
        )
    return words


def _now_council_side(b: _Builder, area: Area, top: float) -> dict[str, DiagramBox]:
    t = b.title
    frame = b.add(
        "council",
        f"{area.name}: the council",
        LA_X,
        top,
        LA_W,
        [f"upper-tier local authority, {area.region}"],
        kind="frame",
        parent="now",
    )
    x, w = LA_X + INSET, LA_W - 2 * INSET
    y = top + frame.height + 4
    placed: dict[str, DiagramBox] = {"council": frame}
    for key, structure, plain, words in (
        ("lead_member", "lead_member_children", "Lead Member for children", ["a councillor"]),
        ("dcs", "director_childrens_services", "Director of Children's Services", ["senior officer for children"]),
        (
            "family_hubs",
            "hub_manager_board",
            "Family hub manager and partnership board",
            [f"family hubs in {area.name}"],
        ),
        ("dph", "director_public_health", "Director of Public Health", ["an officer of the council since 2013"]),
        (
            "hwb",
            "health_wellbeing_board",
            "Health and Wellbeing Board",
            ["a committee of the council, with NHS members; owns the JSNA"],
        ),
    ):
        placed[key] = b.add(key, t(structure, plain), x, y, w, words, parent="council", structure=structure)
        y = _bottom(placed[key]) + GAP
    placed["council"] = b.resize(frame, y - GAP + INSET)
    b.link("dcs", "works with", "lead_member", *_down(placed["lead_member"], placed["dcs"]))
    b.link("family_hubs", "accountable to", "dcs", *_down(placed["dcs"], placed["family_hubs"]))
    b.link("dph", "works with", "hwb", *reversed(_down(placed["dph"], placed["hwb"])))
    return placed


def _now_shared(b: _Builder, area: Area, top: float, la: dict[str, DiagramBox]) -> dict[str, DiagramBox]:
    t = b.title
    group = b.add("shared", "Shared by both sides", MID_X, top, MID_W, kind="group", parent="now", colour=SHARED)
    many = len(area.icbs) > 1
    icbs = "the ICBs" if many else "the ICB"
    placed: dict[str, DiagramBox] = {}
    # each shared body sits beside the council box it works with, so the line between them is straight
    words = [f"the council, {icbs} and the police"]
    height = label_height("box", t("safeguarding_partnership", "Safeguarding partnership"), words, MID_W)
    y = max(_bottom(group) + 4, _centre_y(la["dcs"]) - height / 2)
    placed["safeguarding"] = b.add(
        "safeguarding",
        t("safeguarding_partnership", "Safeguarding partnership"),
        MID_X,
        y,
        MID_W,
        words,
        parent="shared",
        colour=SHARED,
        structure="safeguarding_partnership",
    )
    y = max(_bottom(placed["safeguarding"]) + GAP, la["family_hubs"].y)
    placed["phn"] = b.add(
        "phn",
        t("health_visiting", "Health visiting / 0-19 public health nursing"),
        MID_X,
        y,
        MID_W,
        ["commissioned by the council's public health team"],
        parent="shared",
        colour=SHARED,
        structure="health_visiting",
        height=_bottom(la["dph"]) - y,
    )
    words = [f"joint committee of {icbs} and {'their' if many else 'its'} councils"]
    if many:
        words.append("one for each ICB")
    heading = t("integrated_care_partnership", "Integrated Care Partnership")
    height = label_height("box", heading, words, MID_W)
    y = max(_bottom(placed["phn"]) + GAP, _centre_y(la["hwb"]) - height / 2)
    placed["icp"] = b.add(
        "icp",
        heading,
        MID_X,
        y,
        MID_W,
        words,
        parent="shared",
        colour=SHARED,
        structure="integrated_care_partnership",
    )
    b.resize(group, max(_bottom(placed["icp"]), _bottom(la["council"])))
    channel = LA_X + LA_W + GUTTER / 2
    b.link("safeguarding", "works with", "dcs", *reversed(_across(la["dcs"], placed["safeguarding"], channel)))
    b.link("family_hubs", "works with", "phn", *_across(la["family_hubs"], placed["phn"], channel))
    b.link("dph", "commissions", "phn", *_across(la["dph"], placed["phn"], channel))
    b.link("hwb", "works with", "icp", *_across(la["hwb"], placed["icp"], channel))
    return placed


def _now_nhs_side(b: _Builder, area: Area, top: float, shared: dict[str, DiagramBox]) -> dict[str, DiagramBox]:
    t = b.title
    group = b.add("nhs", "NHS side", NHS_X, top, NHS_W, kind="group", parent="now", colour=NHS)
    placed: dict[str, DiagramBox] = {}
    y = _bottom(group) + 4
    placed["nhse"] = b.add(
        "nhse",
        t("nhs_england_regions", "NHS England and its regions"),
        NHS_X,
        y,
        NHS_W,
        [_region_words(area)],
        parent="nhs",
        colour=NHS,
        structure="nhs_england_regions",
    )
    y = _bottom(placed["nhse"]) + GAP + 6
    count = len(area.icbs)
    frame = b.add(
        "icbs",
        f"The ICBs covering {area.name}" if count > 1 else f"The ICB for {area.name}",
        NHS_X,
        y,
        NHS_W,
        _icb_frame_words(area),
        kind="frame",
        parent="nhs",
        colour=NHS,
    )
    b.link("icbs", "accountable to", "nhse", (NHS_X + NHS_W / 2, y), (NHS_X + NHS_W / 2, _bottom(placed["nhse"])))
    inner_x, inner_w = NHS_X + INSET, NHS_W - 2 * INSET
    y = _bottom(frame) + 2
    icb_title = t("integrated_care_board", "Integrated Care Board")
    place_title = t("icb_place", "ICB place team and place-based partnership")
    if not area.icbs:
        words = [f"no ICB is recorded for {area.name}: ask the NHS which one plans its services"]
        none = b.add(
            "icb_0",
            icb_title,
            inner_x,
            y,
            inner_w,
            words,
            parent="icbs",
            colour=NHS,
            structure="integrated_care_board",
            name=f"{icb_title} (none recorded)",
        )
        y = _bottom(none) + GAP
    for i, link in enumerate(area.icbs):
        icb = b.add(
            f"icb_{i}",
            icb_title,
            inner_x,
            y,
            inner_w,
            _icb_words(area, link),
            parent="icbs",
            colour=NHS,
            structure="integrated_care_board",
            name=link.name,
            note=link.note,
        )
        placed[icb.id] = icb
        y = _bottom(icb) + GAP
        if link.sliver:  # a sliver of the council is not a place of the ICB
            continue
        part = f"the part of {area.name} in this ICB" if count > 1 else area.name
        place = b.add(
            f"place_{i}",
            place_title,
            inner_x + 16,
            y - 2,
            inner_w - 16,
            [f"for {part}"],
            parent="icbs",
            colour=NHS,
            structure="icb_place",
            name=f"{place_title} ({link.name})",
        )
        b.link(place.id, "accountable to", icb.id, *_down(icb, place))
        placed[place.id] = place
        y = _bottom(place) + GAP
    frame = b.resize(frame, y - GAP + INSET)
    placed["icbs"] = frame

    # the shared bodies that work with the ICB(s): lines bend up or down in the gutter to the frame's edge
    channel = MID_X + MID_W + GUTTER / 2
    for body, offset in (("safeguarding", -4.0), ("icp", 4.0)):
        source = shared[body]
        y_target = min(max(_centre_y(source), frame.y + 16), _bottom(frame) - 16)
        if body == "icp" and abs(y_target - _centre_y(shared["safeguarding"])) < 10:
            y_target += 12
        route = [(source.x + source.width, _centre_y(source))]
        if abs(y_target - _centre_y(source)) > 0.5:
            route += [(channel + offset, _centre_y(source)), (channel + offset, y_target)]
        route.append((frame.x, y_target))
        b.link(body, "works with", "icbs", *route)

    # below the ICB(s): the LMNS, then the providers the ICB(s) commission, fed by one line down the left
    x, w = NHS_X + 2 * BUS, NHS_W - 2 * BUS
    y = _bottom(frame) + GAP + 6
    placed["lmns"] = b.add(
        "lmns",
        t("lmns", "Local Maternity and Neonatal System"),
        x,
        y,
        w,
        ["the maternity arm of the integrated care system"],
        parent="nhs",
        colour=NHS,
        structure="lmns",
    )
    b.link("lmns", "works with", "icbs", *_down(frame, placed["lmns"]))
    y = _bottom(placed["lmns"]) + GAP + 4
    for key, structure, plain, words in (
        ("maternity", "nhs_trust_maternity", "NHS trust: maternity", ["the acute hospital trust"]),
        (
            "community",
            "community_health_services",
            "Community health services",
            ["a community trust or a combined trust"],
        ),
        ("mental_health", "camhs_provider", "CAMHS provider", ["usually a mental health trust"]),
        ("pcns", "primary_care_networks", "Primary Care Networks", ["groups of neighbouring GP practices"]),
    ):
        placed[key] = b.add(key, t(structure, plain), x, y, w, words, parent="nhs", colour=NHS, structure=structure)
        y = _bottom(placed[key]) + GAP
        bus = NHS_X + BUS
        b.link(
            "icbs",
            "commissions",
            key,
            (bus, _bottom(frame)),
            (bus, _centre_y(placed[key])),
            (x, _centre_y(placed[key])),
        )
    b.link("lmns", "works with", "maternity", *reversed(_down(placed["lmns"], placed["maternity"])))
    b.resize(group, y - GAP)
    return placed


def _then_side(b: _Builder, top: float) -> dict[str, DiagramBox]:
    placed: dict[str, DiagramBox] = {}

    def add(key: str, x: float, y: float, width: float, *, parent: str, colour: int, **kw) -> DiagramBox:
        heading, structure, words = THEN_BOXES[key]
        placed[key] = b.add(key, heading, x, y, width, [words], parent=parent, colour=colour, structure=structure, **kw)
        return placed[key]

    left, right, w = THEN_X, THEN_NHS_X, THEN_W
    council_group = b.add("then_la", "Council side", left, top, w, kind="group", parent="then", colour=COUNCIL)
    nhs_group = b.add("then_nhs", "NHS side", right, top, w, kind="group", parent="then", colour=NHS)
    y = max(_bottom(council_group), _bottom(nhs_group)) + 4
    trust = add("then_childrens_trust", left, y, w, parent="then_la", colour=SHARED)
    sha = add("then_sha", right, y, w, parent="then_nhs", colour=NHS)
    y = max(_bottom(trust), _bottom(sha)) + GAP + 6
    council = add("then_council", left, y, w, parent="then_la", colour=COUNCIL, kind="frame")
    pct = add("then_pct", right, y, w, parent="then_nhs", colour=NHS, kind="frame")
    inner = w - 2 * INSET
    ly = _bottom(council) + 2
    for key in ("then_dcs", "then_centres"):
        ly = _bottom(add(key, left + INSET, ly, inner, parent="then_council", colour=COUNCIL)) + GAP
    ry = _bottom(pct) + 2
    for key in ("then_dph", "then_community"):
        ry = _bottom(add(key, right + INSET, ry, inner, parent="then_pct", colour=NHS)) + GAP
    bottom = max(ly, ry) - GAP + INSET
    council, pct = b.resize(council, bottom), b.resize(pct, bottom)
    y = bottom + GAP + 6
    sslp = add("then_sslp", left, y, w, parent="then_la", colour=SHARED)
    maternity = add("then_maternity", right, y, w, parent="then_nhs", colour=NHS)
    b.resize(council_group, max(_bottom(sslp), _bottom(maternity)))
    b.resize(nhs_group, max(_bottom(sslp), _bottom(maternity)))

    middle = THEN_X + THEN_W + GUTTER / 2
    b.link("then_council", "works with", "then_childrens_trust", *_down(trust, council))
    b.link("then_pct", "accountable to", "then_sha", *_down(sha, pct))
    y_pct = pct.y + 14
    b.link(
        "then_pct",
        "works with",
        "then_childrens_trust",
        (pct.x, y_pct),
        (middle - 3, y_pct),
        (middle - 3, _centre_y(trust)),
        (trust.x + trust.width, _centre_y(trust)),
    )
    b.link("then_pct", "commissions", "then_maternity", *reversed(_down(pct, maternity)))
    b.link("then_sslp", "works with", "then_centres", *_down(placed["then_centres"], sslp))
    community = placed["then_community"]
    b.link(
        "then_sslp",
        "works with",
        "then_community",
        (sslp.x + sslp.width, _centre_y(sslp)),
        (middle + 3, _centre_y(sslp)),
        (middle + 3, _centre_y(community)),
        (community.x, _centre_y(community)),
    )
    return placed


def diagram_layout(area: Area) -> DiagramLayout:
    """Every box and line of ``area``'s diagram, placed for a drawing ``WIDTH`` px wide."""
    b = _Builder(area)
    now = b.add("now", "Today (April 2026)", MARGIN, MARGIN, THEN_X - GUTTER - MARGIN, kind="group", colour=PANEL)
    then = b.add(
        "then", "In 2007-08, for comparison", THEN_X, MARGIN, WIDTH - MARGIN - THEN_X, kind="group", colour=PANEL
    )
    top = max(_bottom(now), _bottom(then)) + 2
    la = _now_council_side(b, area, top)
    shared = _now_shared(b, area, top, la)
    nhs = _now_nhs_side(b, area, top, shared)
    then_side = _then_side(b, top)
    bottom = max(_bottom(x) for x in (*la.values(), *shared.values(), *nhs.values(), *then_side.values()))
    b.resize(now, bottom + 4)
    b.resize(then, bottom + 4)
    return b.layout


def _description(area: Area) -> str:
    if not area.icbs:
        icbs = "no ICB (none is recorded for the area)"
    elif len(area.icbs) == 1:
        icbs = area.icbs[0].name
    else:
        icbs = f"its {len(area.icbs)} ICBs ({'; '.join(link.name for link in area.icbs)})"
    return (
        f"On the left, today's structures around {area.name}: the council's side (Lead Member, Director of "
        "Children's Services, family hubs and their board, Director of Public Health, Health and Wellbeing "
        "Board), the bodies both sides share (safeguarding partnership, 0-19 public health nursing, integrated "
        f"care partnership) and the NHS side (NHS England's regional teams, {icbs} with a place team for the "
        "council, the local maternity and neonatal system, and the trusts and primary care networks the ICB "
        "commissions). On "
        "the right, the same ground in 2007-08: the strategic health authority, the primary care trust with "
        "its Director of Public Health and community services, the council, the children's trust board and "
        "Sure Start. A solid line with an arrow means accountable to, a dashed line with an arrow means "
        "commissions, a dotted line means works with; a box inside a frame is part of that body. The "
        f"council's name, its region and its ICBs come from the area tables; trusts, networks and people "
        "are shown by kind, because the tables do not name them."
    )


def organisation_diagram_for(area: Area) -> display.Html:
    """The organisation diagram of ``area`` with its text equivalent and data table."""
    layout = diagram_layout(area)
    title = f"{area.name}: how children's services and health are organised, April 2026 and 2007-08"
    return org_chart(layout.boxes, layout.links, title, _description(area), WIDTH)


def organisation_diagram(plan: Plan) -> display.Html:
    """The organisation diagram of the plan's area: today's structures beside those of 2007-08."""
    return organisation_diagram_for(find_area(plan.area_code))
