"""The toolkit's "Developing a Children's Centre: when to engage with health?" (product 5): the four stages of
developing a centre (then) or family hub (now), the activities of each stage that need joint
council and health work, and the team's plan for them: dates, owners, a RAG status and who does
what (a RACI table).

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views`` and ``forms`` (the exercise). The notebook calls the names re-exported here.
"""

from ...core.product import Product, ReportPart, SummaryColumn
from .calculations import NO_LETTER, NO_STATUS, RAG_ORDER, planned, raci_problems, stage_counts
from .content import (
    SLUG,
    activities,
    activity_titles,
    content,
    content_checks,
    raci_roles,
    role_label,
    stage_of,
    stages,
)
from .edits import (
    plan_activity,
    saved_plan,
    section,
    set_dates,
    set_end,
    set_notes,
    set_owner,
    set_raci,
    set_rag,
    set_start,
)
from .forms import exercise
from .model import RACI_LETTERS, ActivityPlan, StagePlanSection, check
from .views import (
    RACI_MEANING,
    activities_reference,
    plan_table,
    raci_table,
    reconstruction_notice,
    roles_table,
    sources,
    stage_line,
    stage_summary,
    stages_then_and_now,
    timeline_chart,
)

PRODUCT = Product(
    number=5,
    slug=SLUG,
    title="When to engage health while a centre or hub develops",
    section=StagePlanSection,
    check=check,
    content_checks=content_checks,
    summary=(
        SummaryColumn(
            "activities_planned",
            "activities of the four stages with a date, an owner or a status (product 5)",
            lambda plan: len(planned(section(plan))),
        ),
    ),
    report=(
        ReportPart("The stage plan", plan_table),
        ReportPart("Timeline", timeline_chart),
    ),
    workbook=(ReportPart("Stage plan", plan_table), ReportPart("Who does what", raci_table)),
)

__all__ = [
    "NO_LETTER",
    "NO_STATUS",
    "PRODUCT",
    "RACI_LETTERS",
    "RACI_MEANING",
    "RAG_ORDER",
    "SLUG",
    "ActivityPlan",
    "StagePlanSection",
    "activities",
    "activities_reference",
    "activity_titles",
    "check",
    "content",
    "content_checks",
    "exercise",
    "plan_activity",
    "plan_table",
    "planned",
    "raci_problems",
    "raci_roles",
    "raci_table",
    "reconstruction_notice",
    "role_label",
    "roles_table",
    "saved_plan",
    "section",
    "set_dates",
    "set_end",
    "set_notes",
    "set_owner",
    "set_raci",
    "set_rag",
    "set_start",
    "sources",
    "stage_counts",
    "stage_line",
    "stage_of",
    "stage_summary",
    "stages",
    "stages_then_and_now",
    "timeline_chart",
]
