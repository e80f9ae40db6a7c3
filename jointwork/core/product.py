"""What a product declares about itself: the shape of a registry entry.

Core knows this shape and nothing about any particular product. Each product package builds one
:class:`Product` next to its code, and ``jointwork.products`` lists them: that list is the only
place in the package that names the products.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plan import Model, PlanBase, Sector
    from .questionnaire import Questionnaire

#: A problem with a plan section: (location inside the section, what was expected).
Problem = tuple[tuple[Any, ...], str]


def no_problems(_section: Any) -> Iterable[Problem]:
    """The check of a product whose section names no content."""
    return ()


def no_content_problems() -> Iterable[str]:
    """The content check of a product whose content has no cross-references."""
    return ()


@dataclass(frozen=True)
class SummaryColumn:
    """One column a product adds to the cross-area summary, computed from an area's plan (and its
    responses, when ``value`` declares a ``responses`` parameter, as views do: see :func:`show`).

    ``heading`` is the column's plain-English heading (by default its description, capitalised).
    Columns that name the same ``chart`` are drawn together in the summary, one bar per column for
    each area, on a scale from 0 to ``maximum``.
    """

    key: str
    description: str
    value: Callable[..., Any]
    heading: str = ""
    chart: str = ""
    maximum: float = 0.0

    @property
    def title(self) -> str:
        """The heading the summary shows."""
        return self.heading or self.description[:1].upper() + self.description[1:]

    def compute(self, plan: PlanBase, responses: Any = None) -> Any:
        """The column's value for an area's plan and responses."""
        return show(self.value, plan, responses)


#: One partner's answers as a schema 1 plan held them: (sector, name or None, answers by question id).
MovedAnswers = tuple["Sector", "str | None", dict[str, dict[str, Any]]]


@dataclass(frozen=True)
class LegacyAnswers:
    """How a product's section of a schema 1 plan held each partner's answers, and how they move out.

    ``section`` is the section model of schema 1; ``answers`` lists the answers it held (in the
    plan's order, nothing left out); ``keep`` is the rest of the section, as the current section
    model's data. The first load of such a plan moves the answers into a round named ``round_name``.
    """

    section: type[Model]
    round_name: str
    answers: Callable[[Any], list[MovedAnswers]]
    keep: Callable[[Any], dict[str, Any]]


def show(render: Callable[..., Any], plan: PlanBase, responses: Any = None) -> Any:
    """``render(plan)``, or ``render(plan, responses)`` when the view takes the area's responses (a view
    that shows individual answers declares a ``responses`` parameter)."""
    import inspect

    if "responses" in inspect.signature(render).parameters:
        return render(plan, responses=responses)
    return render(plan)


@dataclass(frozen=True)
class ReportPart:
    """A part of a product that a short report shows: a title and a view of the plan."""

    title: str
    render: Callable[..., Any]

    def show(self, plan: PlanBase, responses: Any = None) -> Any:
        """The part for ``plan`` (and the area's responses, if the view takes them)."""
        return show(self.render, plan, responses)


@dataclass(frozen=True)
class SignedDocument:
    """A document of a product's own that partners sign (product 6's agreement, say), as Word.

    ``title(plan, area)`` is its title; ``render(plan, area)`` its text, a view whose parts the Word
    document shows (everything but the signatures); ``signatories(plan)`` the roles that sign, one
    signature block each. ``area`` is the area's :class:`~jointwork.core.areas.Area`.
    """

    name: str
    file_name: str
    title: Callable[[PlanBase, Any], str]
    render: Callable[[PlanBase, Any], Any]
    signatories: Callable[[PlanBase], Sequence[str]]


@dataclass(frozen=True)
class Product:
    """A product of the suite: its number, slug, title and everything the house needs from it.

    ``section`` is the plan section model (what a team enters); ``check`` reports entries of that
    section that name content which does not exist; ``content_checks`` reports cross-references
    inside the product's content file that do not resolve; ``summary`` is the product's part of
    the cross-area summary; ``report`` lists the parts a short report shows; ``workbook`` lists the views
    whose tables (what the team entered) the area's Excel workbook holds; ``questionnaire`` is what
    each partner answers on their own, in rounds, if the product asks individual views;
    ``legacy`` says how a schema 1 plan held such answers inside the plan, if it did; ``preread``
    lists the views of the area's plan printed as its key figures on the questionnaire's pre-read;
    ``documents`` are the documents of its own that partners sign, each written as a Word document per area.
    """

    number: int
    slug: str
    title: str
    section: type[Model]
    check: Callable[[Any], Iterable[Problem]] = no_problems
    content_checks: Callable[[], Iterable[str]] = no_content_problems
    summary: tuple[SummaryColumn, ...] = field(default=())
    report: tuple[ReportPart, ...] = field(default=())
    workbook: tuple[ReportPart, ...] = field(default=())
    questionnaire: Questionnaire | None = None
    legacy: LegacyAnswers | None = None
    preread: tuple[ReportPart, ...] = field(default=())
    documents: tuple[SignedDocument, ...] = field(default=())

    @property
    def notebook(self) -> str:
        """The notebook's file name, e.g. ``03_successful_joint_working.ipynb``."""
        return f"{self.number:02d}_{self.slug}.ipynb"

    @property
    def short_title(self) -> str:
        """``"3. Successful joint working needs..."``: the number and the title up to its colon."""
        return f"{self.number}. {self.title.split(':')[0].strip()}"

    def section_of(self, plan: PlanBase) -> Any:
        """This product's section of ``plan``."""
        return plan.section(self.slug)
