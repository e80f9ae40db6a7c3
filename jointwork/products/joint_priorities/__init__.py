"""Product 6, "What might our joint priorities be?": a starter set of principles for joint working.

Each starter principle comes with cited examples of effective practice. The team decides whether to
adopt it as it stands, adapt it (reword it for local use) or set it aside, ranks the principles it
keeps, records what the partners commit to under each, and gets a draft joint working agreement as
an HTML document and as Markdown text to paste into a document.

The starter principles are the project's reconstruction: the 2007-08 working group's wording was not
found. Every output that shows them says so.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``views``, ``agreement`` (the draft agreement, a document of its own) and ``forms`` (the exercises).
The notebook calls the names re-exported here.
"""

from ...core.product import Product, ReportPart, SignedDocument, SummaryColumn
from .agreement import (
    AGREEMENT_FILE,
    AgreementDocument,
    agreement,
    agreement_blocks,
    agreement_document,
    agreement_export,
    agreement_markdown,
    agreement_title,
    agreement_to_sign,
    agreement_word,
    default_title,
    export_filename,
    parties,
    signatories,
)
from .calculations import agreed, choice_for, counts_text, decision_counts, set_aside, wording
from .content import RECONSTRUCTION, SLUG, content, content_checks, practice_examples, principle_titles, principles
from .edits import (
    renumber_ranks,
    section,
    set_agreement_title,
    set_commitment,
    set_decision,
    set_local_wording,
    set_rank,
    set_reason,
    set_signatories,
)
from .forms import agreement_exercise, exercise, word_download
from .model import DECISIONS, INCLUDED, JointPrioritiesSection, PrincipleChoice, check
from .views import decisions_table, practice_examples_table, principles_table, reconstruction_notice, sources

PRODUCT = Product(
    number=6,
    slug=SLUG,
    title="Our joint priorities: principles for working together",
    section=JointPrioritiesSection,
    check=check,
    content_checks=content_checks,
    summary=(
        SummaryColumn(
            "principles_agreed",
            "starter principles adopted or adapted (product 6)",
            lambda plan: len(agreed(section(plan))),
        ),
    ),
    report=(ReportPart("The joint working agreement", agreement),),  # it holds every decision and reason
    documents=(SignedDocument("Agreement (Word)", AGREEMENT_FILE, agreement_title, agreement_to_sign, signatories),),
    workbook=(ReportPart("Principles", decisions_table),),
)

__all__ = [
    "DECISIONS",
    "INCLUDED",
    "PRODUCT",
    "RECONSTRUCTION",
    "SLUG",
    "AgreementDocument",
    "JointPrioritiesSection",
    "PrincipleChoice",
    "agreed",
    "agreement",
    "agreement_blocks",
    "agreement_document",
    "AGREEMENT_FILE",
    "agreement_exercise",
    "agreement_export",
    "agreement_word",
    "word_download",
    "agreement_markdown",
    "agreement_title",
    "agreement_to_sign",
    "check",
    "choice_for",
    "content",
    "content_checks",
    "counts_text",
    "decision_counts",
    "decisions_table",
    "default_title",
    "exercise",
    "export_filename",
    "parties",
    "practice_examples",
    "practice_examples_table",
    "principle_titles",
    "principles",
    "principles_table",
    "reconstruction_notice",
    "renumber_ranks",
    "section",
    "set_agreement_title",
    "set_aside",
    "set_commitment",
    "set_decision",
    "set_local_wording",
    "set_rank",
    "set_reason",
    "set_signatories",
    "signatories",
    "sources",
    "wording",
]
