"""The plan: everything a team enters for one area, one section per product.

This module holds the vocabulary every section shares (sectors, actions, statuses, text limits)
and :class:`PlanBase`, the part of a plan that is not any product's. :func:`plan_model` builds the
full plan model from the products it is given; ``jointwork.products`` builds it once from the
registry. A plan is stored as YAML at ``<workspace>/plans/<AREA_CODE>.yaml`` (see ``store.py``).
Every model forbids unknown fields, so a misspelt key is reported, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from .sessions import SessionPlan

if TYPE_CHECKING:
    from .product import Product

SCHEMA_VERSION = 2
#: Schema versions this version of jointwork reads: a version 1 plan held product 3's respondents and
#: their ratings inside the plan; version 2 keeps each partner's answers apart, as responses.
READABLE_VERSIONS = (1, 2)
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")


def check_gss_code(code: str) -> str:
    """Return ``code`` if it is a nine-character GSS code such as ``E06000045``."""
    if not isinstance(code, str) or not GSS_CODE.fullmatch(code):
        raise ValueError(f"a nine-character GSS area code such as E06000045, got {code!r}")
    return code


GssCode = Annotated[str, AfterValidator(check_gss_code)]
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=5000)]


class Model(BaseModel):
    """Base for every plan model: unknown fields are errors; assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


class Sector(str, Enum):
    LOCAL_AUTHORITY = "local authority"
    HEALTH = "health"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The sector as a table heading or a list label: "Local authority", "Health", "Other"."""
        return self.value[0].upper() + self.value[1:]


class ActionStatus(str, Enum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"
    BLOCKED = "blocked"


class Rag(str, Enum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


Lead = Literal["LA", "health", "joint"]


class Action(Model):
    """Something a named person will do by a date."""

    action: ShortText = Field(min_length=1)
    owner: ShortText = ""
    due: date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED


class PlanBase(Model):
    """What every plan holds besides the products' sections: its schema version and its area."""

    schema_version: int = SCHEMA_VERSION
    area_code: GssCode
    illustrative: bool = Field(default=False, description="true for the shipped sample plans")
    session: SessionPlan | None = Field(default=None, description="the area's session plan (core/sessions.py)")

    #: The products whose sections this plan model holds, in order (set by :func:`plan_model`).
    products: ClassVar[tuple[Product, ...]] = ()
    #: The model of the same products' plans in schema version 1 (set by :func:`plan_model`).
    version_1: ClassVar[type[PlanBase] | None] = None

    def section(self, slug: str) -> Any:
        """The section for a product slug, e.g. ``plan.section("successful_joint_working")``."""
        if slug not in {p.slug for p in type(self).products}:
            raise KeyError(f"the plan has no section {slug!r}")
        return getattr(self, slug)

    def is_started(self, slug: str) -> bool:
        """Whether the team has entered anything in a product's section."""
        section = self.section(slug)
        return section != type(section)()


def plan_model(
    products: Sequence[Product], name: str = "Plan", module: str | None = None, version: int = SCHEMA_VERSION
) -> type[PlanBase]:
    """The plan model with one section per product, in the order given (the YAML keeps that order).

    ``version`` 1 gives the model of a schema 1 plan (each product's section as it was then, see
    :class:`~jointwork.core.product.LegacyAnswers`); the current model carries it as ``version_1``.
    Two products with the same number or slug are refused: each names one section of the plan.
    """
    for attribute in ("number", "slug"):
        values = [getattr(p, attribute) for p in products]
        repeated = sorted({str(v) for v in values if values.count(v) > 1})
        if repeated:
            raise ValueError(
                f"each product needs its own {attribute}, but {', '.join(repeated)} is used by "
                + " and ".join(repr(p.title) for p in products if str(getattr(p, attribute)) in repeated)
            )
    reserved = sorted({p.slug for p in products} & set(PlanBase.model_fields))
    if reserved:
        raise ValueError(f"a product slug cannot be a field every plan has: {', '.join(reserved)}")

    def section(p: Product) -> Any:
        return p.legacy.section if version == 1 and p.legacy is not None else p.section

    fields: dict[str, Any] = {p.slug: (section(p), Field(default_factory=section(p))) for p in products}
    fields["schema_version"] = (Literal[version], version)  # type: ignore[valid-type]
    model = create_model(
        name if version == SCHEMA_VERSION else f"{name}V{version}",
        __base__=PlanBase,
        __module__=module or __name__,
        **fields,
    )
    model.__doc__ = f"One area's joint working plan: a section for each of the {len(products)} products."
    model.products = tuple(products)
    if version == SCHEMA_VERSION:
        model.version_1 = plan_model(products, name, module, version=1)
    return model
