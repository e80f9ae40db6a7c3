"""The plan: everything a team enters for one area, one section per product.

A plan is stored as YAML at ``<workspace>/plans/<AREA_CODE>.yaml`` (see ``store.py``).
Every model forbids unknown fields, so a misspelt key is reported, never silently dropped.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 1
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


# ---- Product 1: Introduction and start -------------------------------------------------------
class IntroductionSection(Model):
    team_name: ShortText = ""
    facilitator: ShortText = ""
    workshop_date: date | None = None
    hopes: LongText = ""
    outcome_notes: dict[str, LongText] = Field(default_factory=dict, description="ECM outcome id -> note")


# ---- Product 2: Health priorities ------------------------------------------------------------
class LocalPriority(Model):
    """A health objective the team chose as a local priority; rank 1 is the most important."""

    objective: str = Field(min_length=1, description="id of a health objective in the product 2 content")
    rank: int = Field(ge=1, le=50, description="1 = most important; no two priorities share a rank")
    why: LongText = ""


class PriorityAction(Model):
    """What the partners will do on one objective, who leads, by when and how progress is measured."""

    objective: str = Field(min_length=1, description="id of a health objective in the product 2 content")
    what: ShortText = Field(min_length=1)
    lead: Lead = "joint"
    by_when: date | None = None
    measure: ShortText = Field(default="", description="how progress is measured, e.g. a measure in the content")
    status: ActionStatus = ActionStatus.NOT_STARTED


class HealthPrioritiesSection(Model):
    priorities: list[LocalPriority] = Field(default_factory=list)
    actions: list[PriorityAction] = Field(default_factory=list)
    notes: LongText = ""


# ---- Product 3: Successful joint working (self-assessment) ----------------------------------
class FactorRating(Model):
    score: int | None = Field(default=None, ge=1, le=4)
    evidence: LongText = ""


class Respondent(Model):
    name: ShortText = Field(min_length=1, description="a name or an anonymous label such as 'Respondent A'")
    sector: Sector
    ratings: dict[str, FactorRating] = Field(default_factory=dict, description="factor id -> rating")


class FactorAction(Action):
    factor: str = Field(min_length=1, description="id of the factor this action strengthens")


class SelfAssessmentSection(Model):
    respondents: list[Respondent] = Field(default_factory=list)
    actions: list[FactorAction] = Field(default_factory=list)
    discussion: LongText = ""


# ---- Product 4: Who to engage with -----------------------------------------------------------
class Stakeholder(Model):
    """One person or body on the stakeholder register, placed on the power/interest grid."""

    role: ShortText = Field(min_length=1, description="a role or a name, e.g. 'Head of midwifery'")
    organisation: ShortText = ""
    sector: Sector
    structure: str = Field(default="", description="id of a structure in the product 4 content; '' if none")
    prompt: str = Field(default="", description="id of the product 4 prompt it answers; '' if none")
    influence: int = Field(default=3, ge=1, le=5, description="power over the hub's plans, 1 (little) to 5 (a lot)")
    interest: int = Field(default=3, ge=1, le=5, description="interest in the hub, 1 (little) to 5 (a lot)")
    relationship: Literal["none", "weak", "developing", "strong"] = "none"
    engagement_action: ShortText = ""
    owner: ShortText = ""
    contact: ShortText = Field(default="", description="kept in the plan; left out of batch outputs")


class StakeholderSection(Model):
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    notes: LongText = ""


# ---- Product 5: When to engage with health ---------------------------------------------------
class ActivityPlan(Model):
    """The team's plan for one activity: dates, an owner, a RAG status and who does what (RACI)."""

    activity: str = Field(min_length=1, description="id of an activity in the product 5 content")
    start: date | None = None
    end: date | None = None
    owner: ShortText = ""
    rag: Rag | None = None
    raci: dict[str, Literal["R", "A", "C", "I"]] = Field(default_factory=dict, description="role id -> R/A/C/I")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> "ActivityPlan":
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"an end date on or after the start date (activity {self.activity!r} starts "
                             f"{self.start.isoformat()} but ends {self.end.isoformat()})")
        return self


class StagePlanSection(Model):
    activities: list[ActivityPlan] = Field(default_factory=list, description="at most one entry per activity")
    notes: LongText = ""

    @model_validator(mode="after")
    def _one_entry_per_activity(self) -> "StagePlanSection":
        seen: set[str] = set()
        for item in self.activities:
            if item.activity in seen:
                raise ValueError(f"each activity at most once, but {item.activity!r} appears more than once")
            seen.add(item.activity)
        return self


# ---- Product 6: Joint priorities -------------------------------------------------------------
class PrincipleChoice(Model):
    """What the team decided about one starter principle (ids and ranks are checked by product 6)."""

    principle: str = Field(min_length=1, description="id of a starter principle in the product 6 content")
    decision: Literal["adopt", "adapt", "set aside"] | None = Field(
        default=None, description="adopt, adapt or set aside; empty = not decided yet")
    local_wording: LongText = Field(default="", description="the team's wording, used when the decision is adapt")
    rank: int | None = Field(default=None, ge=1, le=50,
                             description="priority among adopted and adapted principles, 1 = highest")
    commitment: LongText = Field(default="", description="what the partners commit to do under this principle")
    reason: LongText = Field(default="", description="why the principle was set aside (optional)")


class JointPrioritiesSection(Model):
    choices: list[PrincipleChoice] = Field(default_factory=list)
    agreement_title: ShortText = ""
    signatories: list[ShortText] = Field(default_factory=list, description="roles that will sign the agreement")


# ---- Product 7: Hearing from others ----------------------------------------------------------
class Interview(Model):
    """One of the team's own interviews, tagged like the perspectives in the product 7 library."""

    interviewee: ShortText = Field(min_length=1, description="a name or role")
    role: ShortText = ""
    sector: Sector = Sector.OTHER
    summary: LongText = Field(min_length=1, description="what they said, in the team's words")
    kind: Literal["barrier", "enabler"]
    themes: list[str] = Field(default_factory=list, description="theme ids from the product 7 content, "
                                                                "e.g. data_sharing")
    interviewed_on: date | None = None


class InterviewsSection(Model):
    interviews: list[Interview] = Field(default_factory=list)


# ---- Product 8: Find out more ----------------------------------------------------------------
class ReadingNote(Model):
    """The team's bookmark and note on one reading."""

    reading: str = Field(min_length=1, description="id of a reading in the product 8 content")
    bookmarked: bool = False
    note: LongText = ""


def _one_note_per_reading(notes: list[ReadingNote]) -> list[ReadingNote]:
    seen: set[str] = set()
    for item in notes:
        if item.reading in seen:
            raise ValueError(f"one entry per reading; {item.reading!r} appears more than once")
        seen.add(item.reading)
    return notes


class ReadingSection(Model):
    notes: Annotated[list[ReadingNote], AfterValidator(_one_note_per_reading)] = Field(default_factory=list)


class Plan(Model):
    """One area's joint working plan across the eight products."""

    schema_version: Literal[1] = SCHEMA_VERSION
    area_code: GssCode
    illustrative: bool = Field(default=False, description="true for the shipped sample plans")
    introduction: IntroductionSection = Field(default_factory=IntroductionSection)
    health_priorities: HealthPrioritiesSection = Field(default_factory=HealthPrioritiesSection)
    successful_joint_working: SelfAssessmentSection = Field(default_factory=SelfAssessmentSection)
    who_to_engage: StakeholderSection = Field(default_factory=StakeholderSection)
    when_to_engage: StagePlanSection = Field(default_factory=StagePlanSection)
    joint_priorities: JointPrioritiesSection = Field(default_factory=JointPrioritiesSection)
    hearing_from_others: InterviewsSection = Field(default_factory=InterviewsSection)
    find_out_more: ReadingSection = Field(default_factory=ReadingSection)

    def section(self, slug: str) -> Model:
        """The section for a product slug, e.g. ``plan.section("successful_joint_working")``."""
        if slug not in type(self).model_fields or slug in {"schema_version", "area_code", "illustrative"}:
            raise KeyError(f"the plan has no section {slug!r}")
        return getattr(self, slug)

    def is_started(self, slug: str) -> bool:
        """Whether the team has entered anything in a product's section."""
        section = self.section(slug)
        return section != type(section)()
