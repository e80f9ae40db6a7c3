"""Documents partners sign, as Word (product 6's joint working agreement: ``agreement.docx``).

A product declares them in the registry (:class:`~jointwork.core.product.SignedDocument`): a title,
a view of the text and the roles that sign. The Word document shows the view's parts in Word's
heading styles and ends with one signature block for each role: the role, then lines for the name,
the signature and the date. An area with no saved plan gets the document for a blank plan (which
says there is nothing to sign yet), under a notice that no plan has been saved.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from docx.document import Document as WordDocument
from docx.shared import Mm, Pt

from ..core.areas import Area
from ..core.licence import ATTRIBUTION
from ..core.plan import PlanBase
from ..core.product import SignedDocument
from ..render import document as doc
from .word import MEDIA_TYPE, add_heading, add_part, new_document, to_bytes

__all__ = ["MEDIA_TYPE", "SIGNATURE_LINES", "signed_docx", "signed_papers", "signed_word"]

#: The lines of each signature block, under the signatory's role.
SIGNATURE_LINES = ("Name", "Signature", "Date")
NO_SIGNATORIES = (
    "No signatories are named yet. When the team names the roles that will sign, a signature block for "
    "each appears here."
)


def signature_blocks(document: WordDocument, roles: tuple[str, ...]) -> None:
    """One block per role: the role as a heading, then a two-column table of name, signature and date."""
    add_heading(document, "Signatures", 1)
    if not roles:
        add_part(document, doc.Notice(NO_SIGNATORIES))
        return
    document.add_paragraph("Signed on behalf of the parties, once the agreement has been agreed:")
    for role in roles:
        add_heading(document, role, 2)
        table = document.add_table(rows=len(SIGNATURE_LINES), cols=2)
        table.style = document.styles["Table Grid"]
        table.autofit = False
        for row, label in zip(table.rows, SIGNATURE_LINES, strict=True):
            row.height = Mm(12)
            row.cells[0].width, row.cells[1].width = Mm(40), Mm(129)
            row.cells[0].paragraphs[0].add_run(label).bold = True
        document.add_paragraph()


def signed_word(signed: SignedDocument, area: Area, plan: PlanBase | None) -> WordDocument:
    """``signed`` for ``area`` as a Word document (``plan`` None: no plan saved yet)."""
    if plan is None:
        from ..products import Plan

        blank = Plan(area_code=area.code)
    title = signed.title(plan or blank, area)
    document = new_document(title, f"{area.name}: {title}")
    add_heading(document, title, 0)
    if plan is None:
        add_part(
            document,
            doc.Notice(f"No plan has been saved for {area.name} yet, so there is nothing to sign.", "warning"),
        )
    parts = signed.render(plan or blank, area).parts
    levels = [p.level for p in parts if isinstance(p, doc.Heading) and p.text != title]
    top = min(levels, default=1)
    for part in parts:
        if isinstance(part, doc.Heading):
            if part.text != title:  # the title is shown first, as the document's title
                add_part(document, part, 1 + part.level - top)
        else:
            add_part(document, part)
    signature_blocks(document, tuple(signed.signatories(plan)) if plan is not None else ())
    document.add_paragraph().add_run(ATTRIBUTION).font.size = Pt(9)
    return document


def signed_docx(signed: SignedDocument, area: Area, plan: PlanBase | None, responses: Any = None) -> bytes:
    """``signed`` for ``area`` as the bytes of a .docx file."""
    return to_bytes(signed_word(signed, area, plan))


def signed_papers() -> list[tuple[SignedDocument, Any]]:
    """Every signed document the products declare, with its builder(area, plan, responses) -> bytes."""
    from ..products import PRODUCTS

    return [(signed, partial(signed_docx, signed)) for product in PRODUCTS for signed in product.documents]
