"""Product 4, who to engage with in children's services and health: the structures on each side
then and now, the area's ICB(s) and shared boundaries, a stakeholder register, a
power/interest grid and the gaps against the structures a hub must engage.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views``, ``diagram`` (the organisation diagram) and ``forms`` (the exercise). The notebook calls
the names re-exported here.
"""

from ...core.plan import Sector
from ...core.product import Product, ReportPart, SummaryColumn
from .calculations import (
    HIGH,
    SCALE,
    count_in_sector,
    covered_structures,
    missing_structures,
    powerful_but_distant,
    prompt_status,
    quadrant_members,
    quadrant_of,
)
from .content import (
    GRID_ORDER,
    SLUG,
    STRATEGY_ORDER,
    content,
    content_checks,
    current_structures,
    must_engage,
    prompts,
    quadrants,
    structure_titles,
    structures,
)
from .diagram import diagram_layout, organisation_diagram, organisation_diagram_for
from .edits import FIELDS, RELATIONSHIPS, add_stakeholder, remove_stakeholder, section, set_notes, update_stakeholder
from .forms import STAKEHOLDERS, exercise
from .model import Stakeholder, StakeholderSection, check
from .views import (
    SHOW_CONTACTS_IN_LAB,
    area_panel,
    concepts_table,
    coterminosity,
    engagement_strategies,
    gaps,
    power_interest_grid,
    register_summary,
    register_table,
    register_view,
    sources,
    stakeholder_label,
    structures_guide,
    structures_then_now,
)


def _stakeholders_in(sector: Sector, where: str) -> SummaryColumn:
    return SummaryColumn(
        f"stakeholders_{sector.value.replace(' ', '_')}",
        f"stakeholders mapped (product 4) {where}",
        lambda plan: count_in_sector(section(plan), sector),
    )


PRODUCT = Product(
    number=4,
    slug=SLUG,
    title="Who to engage with: children's services and health, then and now",
    section=StakeholderSection,
    check=check,
    content_checks=content_checks,
    summary=(
        _stakeholders_in(Sector.LOCAL_AUTHORITY, "in the local authority"),
        _stakeholders_in(Sector.HEALTH, "in health"),
        _stakeholders_in(Sector.OTHER, "in other sectors"),
    ),
    report=(
        ReportPart("Stakeholder register", register_summary),
        ReportPart("Power and interest", power_interest_grid),
    ),
    workbook=(ReportPart("Stakeholders", register_table),),  # without contact details
)

__all__ = [
    "FIELDS",
    "GRID_ORDER",
    "HIGH",
    "PRODUCT",
    "RELATIONSHIPS",
    "SCALE",
    "SLUG",
    "STAKEHOLDERS",
    "STRATEGY_ORDER",
    "Stakeholder",
    "StakeholderSection",
    "add_stakeholder",
    "area_panel",
    "check",
    "concepts_table",
    "content",
    "content_checks",
    "coterminosity",
    "count_in_sector",
    "covered_structures",
    "current_structures",
    "diagram_layout",
    "engagement_strategies",
    "exercise",
    "gaps",
    "missing_structures",
    "must_engage",
    "organisation_diagram",
    "organisation_diagram_for",
    "power_interest_grid",
    "powerful_but_distant",
    "prompt_status",
    "prompts",
    "quadrant_members",
    "quadrant_of",
    "quadrants",
    "register_summary",
    "register_table",
    "register_view",
    "SHOW_CONTACTS_IN_LAB",
    "remove_stakeholder",
    "section",
    "set_notes",
    "sources",
    "stakeholder_label",
    "structure_titles",
    "structures",
    "structures_guide",
    "structures_then_now",
    "update_stakeholder",
]
