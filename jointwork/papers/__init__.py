"""The papers each area gets beside its HTML pack: files partners can read, sign and circulate.

:data:`PAPERS` is the one list of them. Each :class:`Paper` names its file and media type and builds
its bytes from the area, its plan (None when the area has none) and its responses; the batch writes
every paper in its workers (:mod:`jointwork.run.worker`) and the app serves the same bytes as
downloads (:mod:`jointwork.app.server`), so the two never differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..core.areas import Area
from ..core.errors import InputError
from ..core.plan import PlanBase
from .agreement import signed_papers
from .html import MEDIA_TYPE as HTML_MEDIA_TYPE
from .html import report_html
from .preread import file_name as preread_file
from .preread import preread_bytes
from .report import reports_shared
from .word import MEDIA_TYPE as DOCX_MEDIA_TYPE
from .word import report_docx
from .workbook import MEDIA_TYPE as XLSX_MEDIA_TYPE
from .workbook import area_workbook


@dataclass(frozen=True)
class Paper:
    """One per-area paper: what it is called, its file name and media type, and what builds it."""

    name: str
    file_name: str
    media_type: str
    builder: Callable[[Area, PlanBase | None, Any], bytes]

    @property
    def inline(self) -> bool:
        """Whether the paper opens in the browser (a page to print) instead of downloading."""
        return self.media_type.startswith("text/html")

    def build(self, area: Area, plan: PlanBase | None, responses: Any = None) -> bytes:
        """The paper's bytes for ``area``."""
        return self.builder(area, plan, responses)


def _prereads() -> tuple[Paper, ...]:
    """A printable pre-read (A4) for each product whose registry entry declares a questionnaire."""
    from ..products import PRODUCTS

    return tuple(
        Paper(
            f"Pre-read for paper answers, product {p.number} (print on A4)",
            preread_file(p),
            HTML_MEDIA_TYPE,
            partial(preread_bytes, p),
        )
        for p in PRODUCTS
        if p.questionnaire is not None
    )


PAPERS: tuple[Paper, ...] = (
    Paper("Short report (print view)", "report.html", HTML_MEDIA_TYPE, report_html),
    Paper("Report (Word)", "report.docx", DOCX_MEDIA_TYPE, report_docx),
    *(Paper(signed.name, signed.file_name, DOCX_MEDIA_TYPE, builder) for signed, builder in signed_papers()),
    Paper("Workbook (Excel)", "workbook.xlsx", XLSX_MEDIA_TYPE, area_workbook),
    *_prereads(),
)


def build_papers(area: Area, plan: PlanBase | None, responses: Any = None) -> list[tuple[Paper, bytes | Exception]]:
    """Every paper of :data:`PAPERS` for ``area``, in order, with its bytes, or the exception that stopped
    it (the others are still built). The short report's content is built once for the papers that show it."""
    built: list[tuple[Paper, bytes | Exception]] = []
    with reports_shared():
        for paper in PAPERS:
            try:
                built.append((paper, paper.build(area, plan, responses)))
            except Exception as exc:  # one paper never stops the others
                built.append((paper, exc))
    return built


def get_paper(file_name: str) -> Paper:
    """A paper by its file name (``workbook.xlsx``)."""
    for paper in PAPERS:
        if paper.file_name == file_name:
            return paper
    raise InputError("argument", "paper", "one of " + ", ".join(p.file_name for p in PAPERS), got=file_name)
