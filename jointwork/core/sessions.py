"""Session plans: which products and parts an area runs in the time it has, in order, with timings.

A facilitator picks a length (:class:`SessionLength`: 90 minutes, 2 hours, half a day or a series of
three 2-hour meetings); :func:`propose` suggests the products and their parts to run, in order,
each with the minutes its content gives it (:class:`~jointwork.core.content.ContentPart`), never a
made-up duration: a part with none says so and the facilitator sets it. The facilitator then
adjusts the plan (the edits below, each raising ``ValueError`` in words when refused) and it is
saved with the area, in the plan's ``session`` field.

This module knows no product: it is given the registry's products and refers to each by its slug,
reading its parts from its content through :func:`parts_of`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError

if TYPE_CHECKING:
    from .content import ContentPart
    from .product import Product

MAX_ITEMS = 40  # items in one meeting


class _Model(BaseModel):
    # the plan's own model settings (jointwork.core.plan.Model, which imports this module)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


class SessionLength(str, Enum):
    """The lengths a session plan can have."""

    MINUTES_90 = "90 minutes"
    HOURS_2 = "2 hours"
    HALF_DAY = "half a day"
    SERIES_OF_THREE = "a series of three"

    @property
    def meetings(self) -> int:
        """How many meetings: three for a series, else one."""
        return 3 if self is SessionLength.SERIES_OF_THREE else 1

    @property
    def minutes_each(self) -> int:
        """The minutes of work in each meeting: half a day is taken as 3 hours 30 minutes, and a
        series as three meetings of 2 hours."""
        return {"90 minutes": 90, "2 hours": 120, "half a day": 210, "a series of three": 120}[self.value]

    def describe(self) -> str:
        if self.meetings > 1:
            return f"{self.meetings} meetings of {minutes_text(self.minutes_each)}"
        return minutes_text(self.minutes_each)


Minutes = Annotated[int, Field(ge=1, le=480)]


class SessionItem(_Model):
    """One part to run: a product's part (``product`` slug and ``part`` id), or the facilitator's
    own item such as a welcome or a break (no product). ``minutes`` is ``None`` until set when the
    content gives the part none."""

    product: str = Field(default="", max_length=60, description="a product's slug, or empty for an own item")
    part: str = Field(default="", max_length=60, description="the part's id in the product's content")
    title: str = Field(min_length=1, max_length=120)
    minutes: Minutes | None = None


class Meeting(_Model):
    """One meeting of a session plan: its items in the order they are run."""

    title: str = Field(min_length=1, max_length=120)
    items: list[SessionItem] = Field(default_factory=list, max_length=MAX_ITEMS)

    @property
    def planned_minutes(self) -> int:
        """The minutes of the items that have them."""
        return sum(item.minutes or 0 for item in self.items)

    @property
    def untimed(self) -> list[SessionItem]:
        """Items without minutes (the facilitator still has to set them)."""
        return [item for item in self.items if item.minutes is None]


class SessionPlan(_Model):
    """An area's session plan: its length and its meetings (one, or three for a series)."""

    length: SessionLength
    meetings: list[Meeting] = Field(min_length=1, max_length=3)

    def products(self) -> list[str]:
        """The slugs of the products the plan runs, in order, each once."""
        seen: dict[str, None] = {}
        for meeting in self.meetings:
            seen.update(dict.fromkeys(item.product for item in meeting.items if item.product))
        return list(seen)


def minutes_text(minutes: int) -> str:
    """``95`` -> ``"1 hour 35 minutes"``."""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} hour" + ("s" if hours > 1 else "")] if hours else []) + (
        [f"{rest} minute" + ("s" if rest != 1 else "")] if rest or not hours else []
    )
    return " ".join(parts)


# ---- What a product gives -------------------------------------------------------------------------
def parts_of(product: Product) -> list[ContentPart]:
    """The parts of a product's session, from its content, with their minutes. A product whose
    content lists no parts is one part, the whole product, with the content's minutes."""
    from .content import ContentPart, load_content

    content = load_content(product.slug)
    if content.parts:
        return list(content.parts)
    return [ContentPart(id="whole", title=product.short_title, minutes=content.minutes, kind="exercise")]


PartsOf = Callable[["Product"], Sequence["ContentPart"]]


def items_for(product: Product, parts: PartsOf = parts_of) -> list[SessionItem]:
    """The items that run a whole product: each of its parts, in order."""
    return [
        SessionItem(product=product.slug, part=part.id, title=part.title, minutes=part.minutes)
        for part in parts(product)
    ]


# ---- The proposal ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    """A proposed session plan, the products left out of it, and why the plan is what it is."""

    plan: SessionPlan
    left_out: tuple[str, ...]
    reasons: tuple[str, ...]


def propose(
    length: SessionLength | str,
    products: Sequence[Product],
    started: Iterable[str] = (),
    parts: PartsOf = parts_of,
) -> Proposal:
    """The products and parts to run in a session of ``length``, in order, with their timings.

    Rule: the products the area has not started yet (``started`` are slugs; every product if all are
    started), in the suite's order; each meeting takes whole products in that order, skipping one
    that does not fit in the time left, so that no product is left half done. Durations are the
    products' own (their content's parts); a part without minutes counts as none and is flagged.
    """
    length = session_length(length)
    begun = set(started)
    todo = [p for p in products if p.slug not in begun] or list(products)
    reasons = [
        f"{length.describe()}: products in the suite's order that fit whole in the time, "
        + ("starting with those this area has not started yet." if begun else "from the first.")
    ]
    meetings: list[Meeting] = []
    for number in range(1, length.meetings + 1):
        left = length.minutes_each
        items: list[SessionItem] = []
        for product in list(todo):
            product_items = items_for(product, parts)
            need = sum(item.minutes or 0 for item in product_items)
            if need <= left:
                items.extend(product_items)
                left -= need
                todo.remove(product)
        title = f"Meeting {number} of {length.meetings}" if length.meetings > 1 else f"Session ({length.value})"
        meetings.append(Meeting(title=title, items=items))
    untimed = [item.title for meeting in meetings for item in meeting.untimed]
    if untimed:
        reasons.append("No duration is given for: " + "; ".join(untimed) + ". Set the minutes yourself.")
    if todo:
        reasons.append(
            "Not in this plan, for lack of time: "
            + ", ".join(p.short_title for p in todo)
            + f" ({minutes_text(sum(item.minutes or 0 for p in todo for item in items_for(p, parts)))})."
        )
    plan = SessionPlan(length=length, meetings=meetings)
    return Proposal(plan=plan, left_out=tuple(p.slug for p in todo), reasons=tuple(reasons))


def session_length(value: SessionLength | str) -> SessionLength:
    """A :class:`SessionLength` from its words; an unknown one is an error naming the choices."""
    try:
        return SessionLength(value)
    except ValueError:
        choices = ", ".join(repr(x.value) for x in SessionLength)
        raise InputError("argument", "length", f"one of {choices}", got=value) from None


# ---- Checks and timings ---------------------------------------------------------------------------
def problems(
    session: SessionPlan, products: Sequence[Product], parts: PartsOf = parts_of
) -> list[tuple[tuple[str | int, ...], str]]:
    """(location in the session plan, what was expected) for each item naming a product or a part
    that does not exist."""
    known = {p.slug: p for p in products}
    found: list[tuple[tuple[str | int, ...], str]] = []
    for m, meeting in enumerate(session.meetings):
        for i, item in enumerate(meeting.items):
            where: tuple[str | int, ...] = ("meetings", m, "items", i)
            if not item.product:
                if item.part:
                    found.append(((*where, "part"), f"no part for an own item (no product), got {item.part!r}"))
                continue
            product = known.get(item.product)
            if product is None:
                found.append(((*where, "product"), f"one of {', '.join(known)}, got {item.product!r}"))
            elif item.part not in {part.id for part in parts(product)}:
                ids = ", ".join(part.id for part in parts(product))
                found.append(((*where, "part"), f"a part of {product.slug} ({ids}), got {item.part!r}"))
    return found


@dataclass(frozen=True)
class Slot:
    """An item with its place in the meeting's time: it starts ``start`` minutes in."""

    item: SessionItem
    start: int


def timeline(meeting: Meeting) -> list[Slot]:
    """Each item with the minute it starts at (items without minutes take none)."""
    slots, at = [], 0
    for item in meeting.items:
        slots.append(Slot(item, at))
        at += item.minutes or 0
    return slots


def fit(meeting: Meeting, length: SessionLength) -> str:
    """How the meeting's planned minutes compare with its length, in words."""
    planned, budget = meeting.planned_minutes, length.minutes_each
    text = f"{minutes_text(planned)} planned of {minutes_text(budget)}"
    if planned > budget:
        text += f": {minutes_text(planned - budget)} too long"
    elif planned < budget:
        text += f": {minutes_text(budget - planned)} to spare"
    if meeting.untimed:
        text += f"; {len(meeting.untimed)} item(s) have no duration yet"
    return text


# ---- Edits (each returns a new plan; refusals in words) -------------------------------------------
def _meeting(session: SessionPlan, m: int) -> Meeting:
    if not 0 <= m < len(session.meetings):
        raise ValueError(f"there is no meeting {m + 1}: the plan has {len(session.meetings)}")
    return session.meetings[m]


def _item_index(meeting: Meeting, i: int) -> int:
    if not 0 <= i < len(meeting.items):
        raise ValueError(f"there is no item {i + 1} in {meeting.title}: it has {len(meeting.items)}")
    return i


def _with_items(session: SessionPlan, m: int, items: list[SessionItem]) -> SessionPlan:
    if len(items) > MAX_ITEMS:
        raise ValueError(f"a meeting holds at most {MAX_ITEMS} items")
    meetings = list(session.meetings)
    meetings[m] = meetings[m].model_copy(update={"items": items})
    return SessionPlan(length=session.length, meetings=[Meeting.model_validate(x.model_dump()) for x in meetings])


def set_minutes(session: SessionPlan, m: int, i: int, minutes: int | None) -> SessionPlan:
    """Set (or clear, with ``None``) the minutes of item ``i`` of meeting ``m``."""
    if minutes is not None and not 1 <= minutes <= 480:
        raise ValueError(f"minutes between 1 and 480, got {minutes}")
    meeting = _meeting(session, m)
    items = list(meeting.items)
    k = _item_index(meeting, i)
    items[k] = items[k].model_copy(update={"minutes": minutes})
    return _with_items(session, m, items)


def move(session: SessionPlan, m: int, i: int, step: int) -> SessionPlan:
    """Move item ``i`` of meeting ``m`` earlier (``step`` < 0) or later; at either end it stays."""
    meeting = _meeting(session, m)
    items = list(meeting.items)
    k = _item_index(meeting, i)
    j = max(0, min(len(items) - 1, k + step))
    items.insert(j, items.pop(k))
    return _with_items(session, m, items)


def remove(session: SessionPlan, m: int, i: int) -> SessionPlan:
    """Take item ``i`` out of meeting ``m``."""
    meeting = _meeting(session, m)
    items = list(meeting.items)
    items.pop(_item_index(meeting, i))
    return _with_items(session, m, items)


def add_own(session: SessionPlan, m: int, title: str, minutes: int | None) -> SessionPlan:
    """Add the facilitator's own item (a welcome, a break) at the end of meeting ``m``."""
    title = (title or "").strip()
    if not title:
        raise ValueError("a title for the item, for example 'Break' or 'Welcome and introductions'")
    if len(title) > 120:
        raise ValueError(f"a title of at most 120 characters, got {len(title)}")
    if minutes is not None and not 1 <= minutes <= 480:
        raise ValueError(f"minutes between 1 and 480, got {minutes}")
    meeting = _meeting(session, m)
    return _with_items(session, m, [*meeting.items, SessionItem(title=title, minutes=minutes)])


def add_product(session: SessionPlan, m: int, product: Product, parts: PartsOf = parts_of) -> SessionPlan:
    """Add every part of ``product`` at the end of meeting ``m`` (a product already planned is refused)."""
    if product.slug in session.products():
        raise ValueError(f"{product.short_title} is already in the plan: move or remove its parts instead")
    meeting = _meeting(session, m)
    return _with_items(session, m, [*meeting.items, *items_for(product, parts)])
