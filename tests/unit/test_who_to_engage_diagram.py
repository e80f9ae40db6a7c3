"""Product 4's organisation diagram: the area's names, the content's titles, an accessible SVG whose
boxes hold their text and do not overlap, lines told apart by more than colour, and a text
equivalent and a data table that name the same boxes."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache
from itertools import combinations

import pytest

from jointwork.core.areas import Area, IcbLink, all_areas, find_area
from jointwork.core.paths import notebooks_dir
from jointwork.products import Plan
from jointwork.products import who_to_engage as p4
from jointwork.render import document as doc
from jointwork.render.charts import DIAGRAM_RELATIONS, PALETTE
from jointwork.render.display import Html

SVG = "{http://www.w3.org/2000/svg}"
SOUTHAMPTON = "E06000045"
#: A generous estimate of a character's width, in ems (real Arial text averages about 0.5).
CHAR_EM, CAPITAL_EM = 0.6, 0.72


LONG_NAMES = (
    "NHS Bath and North East Somerset, Swindon and Wiltshire ICB",
    "NHS Cambridgeshire and Peterborough Integrated Care Board (test)",
    "NHS Lancashire and South Cumbria ICB",
)


def an_area(icb_count: int, **links: object) -> Area:
    """Southampton with ``icb_count`` ICBs of long names, the last one changed by ``links`` (a sliver, say)."""
    area = find_area(SOUTHAMPTON)
    icbs = tuple(
        IcbLink(f"E5400009{i}", f"Q{i}X", LONG_NAMES[i], 10, 0.5 if i == 0 else 0.25, confidence="firm")
        for i in range(icb_count)
    )
    if icbs and links:
        icbs = (*icbs[:-1], replace(icbs[-1], **links))
    return replace(area, icbs=icbs, single_icb=icb_count == 1, coterminous=False)


@cache
def rendered(area: Area) -> tuple[p4.diagram.DiagramLayout, Html, ET.Element]:
    """The layout, the view and its parsed SVG, once per area."""
    view = p4.organisation_diagram_for(area)
    return p4.diagram_layout(area), view, svg_of(view)


def svg_of(view: Html) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*?</svg>", view.markup, re.S).group(0))


def groups(svg: ET.Element, kinds: tuple[str, ...] = ("box", "frame", "group")) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") in {f"jw-{k}" for k in kinds}]


def rect(g: ET.Element) -> tuple[float, float, float, float]:
    r = g.find(f"{SVG}rect")
    return tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))


def texts(g: ET.Element) -> list[ET.Element]:
    return g.findall(f"{SVG}text")


def joined(lines: list[str]) -> str:
    """Wrapped lines back as one string (a word split with a hyphen joined again)."""
    out = ""
    for line in lines:
        out = out[:-1] + line if out.endswith("-") and not out.endswith(" -") else (f"{out} {line}" if out else line)
    return out


def estimate(text: str, size: float) -> float:
    return sum(CAPITAL_EM if c.isupper() else CHAR_EM for c in text) * size


def every_area() -> list[Area]:
    return [*all_areas(), an_area(2), an_area(3), an_area(3, sliver=True, confidence="uncertain"), an_area(0)]


# ---- what the diagram says -------------------------------------------------------------------
def test_the_area_names_its_council_region_and_icbs_from_the_area_tables() -> None:
    area = find_area(SOUTHAMPTON)
    svg = ET.tostring(svg_of(p4.organisation_diagram_for(area)), encoding="unicode")
    for name in (f"{area.name}: the council", area.region, *(link.name for link in area.icbs)):
        assert html.escape(name, quote=False) in svg or name in svg


def test_two_or_three_icbs_each_get_their_own_box_and_place_with_the_share_or_the_sliver() -> None:
    for count in (2, 3):
        area = an_area(count)
        layout = p4.diagram_layout(area)
        inside = [b for b in layout.boxes if b.parent == "icbs"]
        icbs = [b for b in inside if layout.structures[b.id] == "integrated_care_board"]
        places = [b for b in inside if layout.structures[b.id] == "icb_place"]
        assert [b.lines[0] for b in icbs] == list(LONG_NAMES[:count])
        assert len(places) == count and len(inside) == 2 * count
        assert layout.box("icbs").heading == f"The ICBs covering {area.name}"
        assert layout.box("icbs").lines[0] == f"{area.name} is split between {count} ICBs"
        assert "about 50% of Southampton's neighbourhoods" in icbs[0].lines
    layout = p4.diagram_layout(an_area(3, sliver=True, confidence="uncertain"))
    last = layout.box("icb_2")
    assert "covers only a sliver of Southampton" in last.lines
    assert "link uncertain: confirm it with the ICB" in last.lines


def test_an_area_with_no_icb_says_so_instead_of_drawing_one() -> None:
    layout = p4.diagram_layout(an_area(0))
    assert "none recorded in the area tables" in layout.box("icbs").lines
    assert layout.box("icb_0").lines[0].startswith("no ICB is recorded for Southampton")


def test_the_july_2022_icbs_are_shown_beside_todays() -> None:
    area = an_area(2)
    assert not any("2022" in line for line in p4.diagram_layout(replace(area, icbs_2022=())).box("icbs").lines)
    before = replace(area, icbs_2022=(IcbLink("E54000042", "QRL", "NHS Old ICB"),))
    assert "in July 2022: NHS Old ICB" in p4.diagram_layout(before).box("icbs").lines
    same = replace(area, icbs_2022=area.icbs)
    assert "the same ICBs as in July 2022" in p4.diagram_layout(same).box("icbs").lines


def test_a_sliver_has_no_place_and_the_nhs_regions_come_from_the_icb_table() -> None:
    layout = p4.diagram_layout(an_area(3, sliver=True))
    assert "place_2" not in {b.id for b in layout.boxes} and "place_1" in {b.id for b in layout.boxes}
    assert "a sliver or an uncertain link is marked on its box" in layout.box("icbs").lines
    southampton = p4.diagram_layout(find_area(SOUTHAMPTON))
    assert southampton.box("nhse").lines == ("the South East regional team oversees the ICB",)


def test_boxes_of_the_content_carry_its_titles_so_the_register_agrees() -> None:
    titles = p4.structure_titles()
    layout = p4.diagram_layout(find_area(SOUTHAMPTON))
    assert set(layout.structures.values()) <= set(titles)
    for box_id, structure in layout.structures.items():
        box = layout.box(box_id)
        assert dict(box.facts)["Part of the map"] == titles[structure]
        if not box_id.startswith("then_"):
            assert box.heading == titles[structure], box_id
    # the structures the brief names on each side today are all drawn
    wanted = {
        "lead_member_children",
        "director_childrens_services",
        "director_public_health",
        "health_wellbeing_board",
        "hub_manager_board",
        "safeguarding_partnership",
        "integrated_care_board",
        "icb_place",
        "integrated_care_partnership",
        "nhs_trust_maternity",
        "community_health_services",
        "camhs_provider",
        "primary_care_networks",
        "lmns",
        "health_visiting",
        "childrens_trust",
        "nhs_england_regions",
    }
    assert wanted <= set(layout.structures.values())
    then = {layout.box(b).heading for b in layout.structures if b.startswith("then_")}
    assert {"Strategic health authority", "Primary care trust (PCT)", "Children's trust board"} <= then
    assert {"Sure Start local programme", "Sure Start children's centres"} <= then


def test_trusts_and_people_are_shown_by_kind_never_by_an_invented_name() -> None:
    svg = ET.tostring(svg_of(p4.organisation_diagram_for(find_area(SOUTHAMPTON))), encoding="unicode")
    for invented in ("Foundation Trust", "University Hospital", "NHS Trust ", "Councillor ", "Dr "):
        assert invented not in svg


# ---- an accessible SVG ------------------------------------------------------------------------
def test_the_svg_is_an_image_with_a_title_and_description_and_a_diagram_part() -> None:
    view = p4.organisation_diagram_for(find_area(SOUTHAMPTON))
    svg = svg_of(view)
    assert svg.get("role") == "img" and svg.get("width") == "1000"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text.startswith("Southampton: how children's services and health are organised")
    assert "2007-08" in title.text and "April 2026" in title.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "accountable to" in desc.text and "commissions" in desc.text and "works with" in desc.text
    chart = next(p for p in view.parts if isinstance(p, doc.Chart))
    assert chart.kind == "diagram" and chart.svg
    assert {row[0] for row in chart.rows} == {"box", "link"}


@pytest.mark.parametrize("area", every_area(), ids=lambda a: f"{a.code}-{len(a.icbs)}")
def test_every_label_fits_its_box_no_boxes_overlap_and_nothing_is_cut_off(area: Area) -> None:
    svg = rendered(area)[2]
    width, height = float(svg.get("width")), float(svg.get("height"))
    for g in groups(svg):
        x, y, w, h = rect(g)
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height, g.get("data-id")
        for t in texts(g):
            size = float(t.get("font-size").removesuffix("px"))
            assert float(t.get("x")) + estimate(t.text, size) <= x + w - 2, (g.get("data-id"), t.text)
            assert y + size * 0.7 <= float(t.get("y")) <= y + h - size * 0.2, (g.get("data-id"), t.text)
    boxes = [(g.get("data-id"), rect(g)) for g in groups(svg, ("box",))]
    for (a, (ax, ay, aw, ah)), (b, (bx, by, bw, bh)) in combinations(boxes, 2):
        assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, f"{a} overlaps {b}"
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "jw-legend":
            assert all(float(t.get("y")) <= height for t in g.iter(f"{SVG}text"))


@pytest.mark.parametrize("area", every_area(), ids=lambda a: f"{a.code}-{len(a.icbs)}")
def test_boxes_sit_inside_their_frames_below_the_heading_and_lines_join_box_edges(area: Area) -> None:
    layout, _view, svg = rendered(area)
    by_id = {b.id: b for b in layout.boxes}
    heading_bottom = {g.get("data-id"): max(float(t.get("y")) for t in texts(g)) for g in groups(svg)}
    for box in layout.boxes:
        if box.parent is None:
            continue
        frame = by_id[box.parent]
        assert frame.x <= box.x and box.x + box.width <= frame.x + frame.width, box.id
        assert heading_bottom[frame.id] < box.y and box.y + box.height <= frame.y + frame.height, box.id

    def on_edge(point: tuple[float, float], b) -> bool:
        x, y = point
        inside_x, inside_y = b.x - 0.5 <= x <= b.x + b.width + 0.5, b.y - 0.5 <= y <= b.y + b.height + 0.5
        near_x = min(abs(x - b.x), abs(x - b.x - b.width)) < 0.5
        near_y = min(abs(y - b.y), abs(y - b.y - b.height)) < 0.5
        return (near_x and inside_y) or (near_y and inside_x)

    solid = [b for b in layout.boxes if b.kind == "box"]
    for link in layout.links:
        assert on_edge(link.route[0], by_id[link.source]), link
        assert on_edge(link.route[-1], by_id[link.target]), link
        for (x1, y1), (x2, y2) in zip(link.route, link.route[1:], strict=False):
            assert x1 == x2 or y1 == y2, f"{link.source} to {link.target} runs across, not along the grid"
            for b in solid:  # no line runs through a box it does not join
                if b.id in (link.source, link.target):
                    continue
                crosses_x = min(x1, x2) < b.x + b.width - 1 and max(x1, x2) > b.x + 1
                crosses_y = min(y1, y2) < b.y + b.height - 1 and max(y1, y2) > b.y + 1
                assert not (crosses_x and crosses_y), f"{link.source} to {link.target} crosses {b.id}"


def test_the_three_kinds_of_line_differ_by_dash_and_arrow_and_a_key_says_which_is_which() -> None:
    svg = svg_of(p4.organisation_diagram_for(find_area(SOUTHAMPTON)))
    drawn: dict[str, set[tuple[str, bool]]] = {}
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "jw-link":
            line = g.find(f"{SVG}polyline")
            style = (line.get("stroke-dasharray") or "solid", g.find(f"{SVG}polygon") is not None)
            drawn.setdefault(g.get("data-relation"), set()).add(style)
    assert set(drawn) == set(DIAGRAM_RELATIONS)
    styles = [next(iter(s)) for s in drawn.values()]
    assert all(len(s) == 1 for s in drawn.values()) and len(set(styles)) == 3
    assert drawn["accountable to"] == {("solid", True)} and drawn["works with"] == {("2 3", False)}
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "jw-legend")
    words = " ".join(t.text for t in legend.iter(f"{SVG}text"))
    for relation in DIAGRAM_RELATIONS:
        assert f"{relation}:" in words
    colours = {r.get("stroke") for g in groups(svg) for r in g.findall(f"{SVG}rect") if r.get("stroke") != "none"}
    assert colours <= set(PALETTE)


# ---- the text equivalent and the data table ---------------------------------------------------
@pytest.mark.parametrize("area", [find_area(SOUTHAMPTON), an_area(2), an_area(3)], ids=["1", "2", "3"])
def test_the_list_and_the_table_name_the_same_boxes_as_the_svg(area: Area) -> None:
    view = p4.organisation_diagram_for(area)
    svg = svg_of(view)
    drawn = {
        g.get("data-id"): joined([t.text for t in texts(g) if t.get("font-weight") == "bold"]) for g in groups(svg)
    }
    details = {
        g.get("data-id"): joined([t.text for t in texts(g) if t.get("font-weight") != "bold"]) for g in groups(svg)
    }
    layout = p4.diagram_layout(area)
    for box in layout.boxes:
        assert drawn[box.id] == box.heading
        assert details[box.id] == joined(list(box.lines))
    listed = re.search(r'<details class="jw-diagram-list">.*?</details>', view.markup, re.S).group(0)
    items = [html.unescape(re.sub(r"<[^>]+>", "", i)) for i in re.findall(r"<li>(.*?)(?=<li>|</li>|<ul>)", listed)]
    assert len(items) == len(layout.boxes)
    for box in layout.boxes:  # in the list, each box is an item that begins with its heading and details
        said = box.heading + (f" ({'; '.join(box.lines)})" if box.lines else "")
        assert any(item == said + "." or item.startswith(said + ". ") for item in items), said
    drawn_words = set(" ".join([*drawn.values(), *details.values()]).replace("(", " ").replace(")", " ").split())
    for box in layout.boxes:  # the names the list and the table use for a box's relations are drawn too
        assert set(box.label.replace("(", " ").replace(")", " ").split()) <= drawn_words, box.label
    table = next(p for p in view.parts if isinstance(p, doc.Chart)).data
    assert [row["Box"] for row in table.rows] == [b.label for b in layout.boxes]
    place = next(row for row in table.rows if row["Box"].startswith("ICB place team"))
    assert place["Accountable to"] == area.icbs[0].name
    dph = next(row for row in table.rows if row["Box"] == "Director of Public Health")
    assert dph["Commissions"] == "Health visiting / 0-19 public health nursing"
    assert dph["Inside"] == f"Today (April 2026) / {area.name}: the council"


def test_the_list_gives_each_relation_in_words() -> None:
    view = p4.organisation_diagram_for(find_area(SOUTHAMPTON))
    text = view.text
    assert "ICB place team and place-based partnership (for Southampton). Accountable to NHS Hampshire" in text
    assert "Director of Public Health (an officer of the council since 2013). Commissions Health visiting" in text
    assert "Primary care trust (PCT) (today: the ICB and its place). Accountable to Strategic health authority" in text


# ---- the view, the report and the notebook ----------------------------------------------------
def test_the_view_draws_the_plans_area_the_same_way_every_time() -> None:
    plan = Plan(area_code=SOUTHAMPTON)
    first = p4.organisation_diagram(plan).markup
    assert first == p4.organisation_diagram_for(find_area(SOUTHAMPTON)).markup == p4.organisation_diagram(plan).markup
    assert "/work/" not in first and "file:" not in first
    assert "Organisation diagram" not in [part.title for part in p4.PRODUCT.report], "the pack's, not the report's"


def test_the_notebook_shows_the_diagram_after_the_area_panel() -> None:
    nb = json.loads((notebooks_dir() / p4.PRODUCT.notebook).read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"]]
    at = sources.index("wb.view(product.organisation_diagram)")
    assert sources.index("wb.view(product.area_panel)") < at
    assert nb["cells"][at - 1]["cell_type"] == "markdown" and not nb["cells"][at]["outputs"]
