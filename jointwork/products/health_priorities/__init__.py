"""Product 2, "How can Children's Centres contribute towards health priorities?": a matrix of health
objectives against what a centre or family hub offers, the area's own figures, and the team's ranked
local priorities with an action for each.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views`` and ``forms`` (the exercises). The notebook calls the names re-exported here.
"""

from ...core.product import Product, ReportPart, SummaryColumn
from . import partner_rankings
from .calculations import format_value, overlap, priority_ids, priority_titles, ranked, suggested_measures
from .content import (
    SLUG,
    alignments,
    content,
    content_checks,
    current_objectives,
    ecm_titles,
    measures,
    objective_titles,
    objectives,
    offers,
)
from .edits import (
    add_action,
    add_priority,
    move_priority,
    remove_action,
    remove_priority,
    section,
    set_action_status,
    set_notes,
    set_priority_rank,
    set_priority_why,
    update_action,
)
from .forms import ACTIONS, action_exercise, exercise
from .model import HealthPrioritiesSection, LocalPriority, PriorityAction, check
from .partner_rankings import combined_ranking, kendalls_w
from .questionnaire import QUESTIONNAIRE
from .ranking_exercise import combined_ranking_table, ranking_exercise
from .views import (
    action_plan,
    alignment_notes,
    area_figures,
    area_figures_held,
    matrix,
    objectives_table,
    offers_side_by_side,
    overlap_chart,
    priorities_table,
    sources,
    then_and_now,
)

PRODUCT = Product(
    number=2,
    slug=SLUG,
    title="Health priorities: what centres and hubs can contribute",
    section=HealthPrioritiesSection,
    check=check,
    content_checks=content_checks,
    summary=(
        SummaryColumn(
            "priorities",
            "health priorities chosen (product 2), in rank order",
            lambda plan: priority_titles(section(plan)),
        ),
    ),
    report=(
        ReportPart("The partners' combined ranking", combined_ranking_table),
        ReportPart("Local priorities", priorities_table),
        ReportPart("Actions on the priorities", action_plan),
        ReportPart("The area's figures", area_figures_held),
    ),
    workbook=(
        ReportPart("Partners' ranking", combined_ranking_table),
        ReportPart("Local priorities", priorities_table),
        ReportPart("Actions on the priorities", action_plan),
    ),
    questionnaire=QUESTIONNAIRE,
    preread=(ReportPart("The area's figures", area_figures),),
)

__all__ = [
    "ACTIONS", "PRODUCT", "SLUG", "HealthPrioritiesSection", "LocalPriority", "PriorityAction", "action_exercise",
    "QUESTIONNAIRE", "combined_ranking", "partner_rankings", "combined_ranking_table", "kendalls_w", "ranking_exercise",
    "action_plan", "add_action", "add_priority", "alignment_notes", "alignments", "area_figures", "area_figures_held",
    "check", "content",
    "content_checks", "current_objectives", "ecm_titles", "exercise", "format_value", "matrix", "measures",
    "move_priority", "objective_titles", "objectives", "objectives_table", "offers", "offers_side_by_side", "overlap",
    "overlap_chart", "priorities_table", "priority_ids", "priority_titles", "ranked", "remove_action",
    "remove_priority", "section", "set_action_status", "set_notes", "set_priority_rank", "set_priority_why", "sources",
    "suggested_measures", "then_and_now", "update_action",
]  # fmt: skip
