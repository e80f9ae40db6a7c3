"""A workbook: one area's plan and responses opened in a product notebook, in a workshop or a batch run.

In a workshop (``interactive=True``) widgets change the plan through :meth:`Workbook.edit`, and
each partner's answers through :meth:`Workbook.save_response`; both save at once and re-draw every
view. In a batch run (``interactive=False``) views are rendered once, statically, from the saved
plan and responses, and nothing is written.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError

from ..core.areas import Area
from ..core.errors import PlanBusy, PlanError
from ..core.plan import PlanBase as Plan
from ..core.product import show
from ..core.questionnaire import Questionnaire
from ..core.responses import AreaResponses, Response, ResponseStore, Round, RoundResponses
from ..core.store import PlanStore
from ..core.validation import problems_from_validation
from ..render import display
from .live import ResponseWatcher, follow, running_loop

Render = Callable[[Plan], Any]
SQUASH_SECONDS = 120.0  # repeated saves of the same thing within this time keep one version in the history
Surface = Literal["lab", "app", "pack"]

#: What each surface tells its reader about using the page (shown by :meth:`Workbook.header`).
HOW_TO_USE: dict[str, str] = {
    "lab": (
        "How to use it in JupyterLab: run every cell (Run > Run All Cells). To work on another area, change "
        "area_code in the parameters cell and run every cell again. Each choice is saved to the area's plan as "
        "soon as you make it, and the line beside each exercise says what was saved."
    ),
    "app": (
        "How to use it: work through the exercises below with the mouse or the keyboard. Each choice is saved to "
        "the area's plan as soon as you make it, and the line beside each exercise says what was saved. The links "
        "at the top move to another product or another area."
    ),
    "pack": (
        "This page shows what the team has saved in its plan for this area, with the reference material "
        "beside it. The exercises are filled in during a workshop, in the app or in JupyterLab."
    ),
}


class Workbook:
    """An area, its plan and the views that show it, on one surface: ``lab`` (JupyterLab, widgets),
    ``app`` (the facilitator app, widgets) or ``pack`` (a batch run: static outputs, nothing written)."""

    def __init__(self, area: Area, store: PlanStore, interactive: bool = False, surface: Surface | None = None) -> None:
        self.area = area
        self.store = store
        self.interactive = interactive
        self.surface: Surface = surface or ("lab" if interactive else "pack")
        self.plan: Plan = store.load_or_new(area.code)
        self.response_store = ResponseStore(store.root, lock_timeout=store.lock_timeout)
        loop = running_loop() if self.interactive and self.surface != "pack" else None  # the kernel's, in a workshop
        seen = self.response_store.digest(area.code) if loop is not None else ""  # taken before the responses are read
        self.responses: AreaResponses = self.response_store.area(area.code)
        self._views: list[Callable[[], None]] = []
        self._status: Any = None
        self._last_save: tuple[str, Plan, float] | None = None  # (what, plan saved, when) of this workbook's last save
        self.page_top: display.Html | None = None  # shown above the header (the app's navigation bar)
        self.watcher: ResponseWatcher[Workbook] | None = None  # follows others' answers (see workshop.live)
        if loop is not None:
            self.watcher = ResponseWatcher(self, _digest, Workbook.follow_responses, seen=seen)
            follow(self.watcher, loop)

    @property
    def has_saved_plan(self) -> bool:
        return self.store.exists(self.area.code)

    @property
    def products(self) -> tuple[Any, ...]:
        """The products of the suite this workbook's plan belongs to, in order."""
        return type(self.plan).products

    def say(self, message: str, ok: bool = False) -> None:
        """Show ``message`` in the status line (a refusal, unless ``ok``), without saving anything."""
        self.status.value = _status_html(message, ok=ok)

    def edit(self, change: Callable[[Plan], object], what: str = "your change") -> bool:
        """Apply ``change`` to the plan and save it.

        In a workshop a refused change is shown in words beside the widgets and ``False`` is
        returned; in a batch run the error is raised. Saves of the same ``what`` in quick
        succession (a note typed in several goes) keep one version in the plan's history.
        """
        squash = None
        if self._last_save is not None:
            last_what, last_plan, last_time = self._last_save
            if last_what == what and time.monotonic() - last_time < SQUASH_SECONDS:
                squash = last_plan
        try:
            self.plan = self.store.update(self.area.code, change, squash=squash)
        except (ValueError, PlanBusy, OSError) as exc:  # PlanError and pydantic's errors are ValueErrors
            if not self.interactive:
                raise
            self._last_save = None
            reason = _refusal(exc, self.store.path_for(self.area.code))
            self.status.value = _status_html(f"Not saved: {reason}", ok=False)
            return False
        except Exception as exc:  # a bug: in a workshop say so in words (the traceback goes to the log)
            if not self.interactive:
                raise
            self._last_save = None
            traceback.print_exc(file=sys.stderr)
            self.status.value = _status_html(
                f"Not saved: something unexpected went wrong ({type(exc).__name__}: "
                f"{exc}). Reload the page and try again.",
                ok=False,
            )
            return False
        self._last_save = (what, self.plan, time.monotonic())
        stamp = datetime.now().strftime("%H:%M:%S")
        saved = f"Saved {what} at {stamp} to {self.store.path_for(self.area.code).name}"
        if self._status is not None:
            self._status.value = _status_html(saved, ok=True)
        try:
            self.refresh()
        except Exception:
            if not self.interactive:
                raise
            traceback.print_exc(file=sys.stderr)
            self.status.value = _status_html(
                f"{saved}, but the tables and charts could not be re-drawn: reload the page to see them.", ok=False
            )
        return True

    # ---- each partner's answers -----------------------------------------------------------------
    def _refused(self, exc: Exception) -> None:
        if not self.interactive:
            raise exc
        if isinstance(exc, (ValueError, PlanBusy, OSError)):
            reason = _refusal(exc, self.response_store.area_dir(self.area.code))
        else:  # a bug: say so in words (the traceback goes to the log)
            traceback.print_exc(file=sys.stderr)
            reason = f"something unexpected went wrong ({type(exc).__name__}: {exc}). Reload the page and try again."
        self.status.value = _status_html(f"Not saved: {reason}", ok=False)

    def _saved(self, what: str) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        if self._status is not None:
            self._status.value = _status_html(f"Saved {what} at {stamp}", ok=True)
        try:
            self.refresh()
        except Exception:
            if not self.interactive:
                raise
            traceback.print_exc(file=sys.stderr)

    def save_response(self, questionnaire: Questionnaire, response: Response, what: str) -> Response | None:
        """Save one partner's response into its round (only that response's file is written) and re-draw
        the views; in a workshop a refusal is shown in words and ``None`` returned."""
        try:
            saved = self.response_store.save(self.area.code, questionnaire, response)
        except Exception as exc:
            self._refused(exc)
            return None
        current = next((r for r in self.responses.rounds(saved.product) if r.round.id == saved.round_id), None)
        if current is None:
            current = RoundResponses(self.response_store.round(self.area.code, saved.product, saved.round_id))
        self.responses = self.responses.with_round(saved.product, current.with_saved(saved))
        self._saved(what)
        return saved

    def open_round(self, product: str, name: str) -> Round | None:
        """Open a new round of ``product``'s questionnaire and look at it from now on."""
        try:
            made = self.response_store.open_round(self.area.code, product, name)
        except Exception as exc:
            self._refused(exc)
            return None
        self.responses = self.response_store.area(self.area.code).choose(product, made.id)
        self._saved(f"the new round '{made.name}'")
        return made

    def close_round(self, product: str, round_id: str) -> Round | None:
        """Close a round: its answers can no longer be changed."""
        try:
            closed = self.response_store.close_round(self.area.code, product, round_id)
        except Exception as exc:
            self._refused(exc)
            return None
        self.responses = self.response_store.area(self.area.code).choose(product, closed.id)
        self._saved(f"round '{closed.name}' as closed")
        return closed

    def choose_round(self, product: str, round_id: str) -> None:
        """Look at (and answer in) another round of ``product``; re-draws the views."""
        self.responses = self.response_store.area(self.area.code).choose(product, round_id)
        self.refresh()

    def reload_responses(self) -> None:
        """Read the area's responses again (others may have answered meanwhile) and re-draw the views."""
        self.responses = replace(self.response_store.area(self.area.code), chosen=self.responses.chosen)
        self.refresh()

    def follow_responses(self) -> None:
        """Someone (another page, a phone, an import) changed the area's responses: read them again and
        re-draw the result views and counts. Inputs are left as they are, so nothing being typed is lost."""
        try:
            self.reload_responses()
        except Exception as exc:
            if isinstance(exc, (ValueError, OSError)):
                reason = _refusal(exc, self.response_store.area_dir(self.area.code))
            else:  # a bug: say so in words (the traceback goes to the log)
                traceback.print_exc(file=sys.stderr)
                reason = f"something unexpected went wrong ({type(exc).__name__}: {exc})"
            self.say(f"The partners' latest answers could not be shown: {reason}")

    def refresh(self) -> None:
        """Re-draw every live view from the current plan."""
        for redraw in self._views:
            redraw()

    def on_refresh(self, redraw: Callable[[], None]) -> None:
        """Call ``redraw()`` after every saved change, with the views (for controls whose options follow
        the plan, such as a form's list of the team's priorities)."""
        self._views.append(redraw)

    def view(self, render: Render) -> Any:
        """Show ``render(plan)`` (``render(plan, responses=...)`` for a view that takes the area's responses):
        once in a batch run; kept up to date after each saved change in a workshop.

        ``render`` returns an object with ``_repr_html_`` (an :class:`~jointwork.display.Html`).
        """
        if not self.interactive:
            return show(render, self.plan, self.responses)
        import ipywidgets as w

        shown = w.HTML(layout=w.Layout(width="100%"))

        def redraw() -> None:
            shown.value = show(render, self.plan, self.responses)._repr_html_()

        redraw()
        self._views.append(redraw)
        return shown

    @property
    def status(self) -> Any:
        """The "saved" status line shown beside the widgets (created on first use)."""
        if self._status is None:
            import ipywidgets as w

            state = "Saved plan loaded" if self.has_saved_plan else "New plan: nothing saved yet"
            self._status = w.HTML(_status_html(state, ok=True), layout=w.Layout(margin="4px 0"))
            self._status.add_class("jw-status")
        return self._status

    def header(self) -> display.Html:
        """The area's facts and the state of its plan, shown at the top of every notebook."""
        blocks = [display.heading(f"{self.area.name} ({self.area.code})", 2), display.paragraph(self.area.describe())]
        if self.page_top is not None:
            blocks.insert(0, self.page_top)
        if self.plan.illustrative:
            blocks.append(
                display.notice(
                    "This is an ILLUSTRATIVE sample plan: the entries are made up to "
                    "show how the workbook works. They are not the views of anyone in this area.",
                    "warning",
                )
            )
        if not self.has_saved_plan:
            blocks.append(
                display.notice(
                    "This area has no saved plan yet: the exercises below start blank. "
                    "Anything entered in a workshop is saved to the team's workspace."
                )
            )
        blocks.append(display.paragraph(HOW_TO_USE[self.surface]))
        return display.join(blocks)


def _digest(wb: Workbook) -> str:
    return wb.response_store.digest(wb.area.code)


def _refusal(exc: Exception, path: Any) -> str:
    """Why a change was not saved, in words: the field and what was expected, or the file problem."""
    if isinstance(exc, PlanError):  # fields named from the plan's top: drop the section's name
        return "; ".join(
            f"{_field_words(field, 1)}: {expected.removeprefix('expected ')}" for field, _line, expected in exc.problems
        )
    if isinstance(exc, ValidationError):  # an edit built a part of the plan that does not validate
        return "; ".join(
            f"{_field_words(field)}: {expected}" for field, _line, expected in problems_from_validation(exc)
        )
    if isinstance(exc, OSError):
        return (
            f"{path} could not be written ({exc.strerror or exc}). Check that the workspace folder is "
            "there and that you may write to it, then try again."
        )
    return str(exc)


def _field_words(field: str, drop: int = 0) -> str:
    """``who_to_engage.stakeholders[2].role`` -> ``who to engage, stakeholders 3, role``; ``drop`` leaves out
    that many leading names (a plan's section)."""
    words: list[str] = []
    for part in field.replace("[", ".[").split(".")[drop:]:
        if part.startswith("[") and part[1:-1].isdigit() and words:
            words[-1] += f" {int(part[1:-1]) + 1}"
        elif part:
            words.append(part.replace("_", " "))
    return ", ".join(words) or field


def _status_html(message: str, ok: bool) -> str:
    colour = "#28A197" if ok else "#801650"
    role = "status" if ok else "alert"
    return (
        f'<div role="{role}" aria-live="polite" style="border-left:4px solid {colour};'
        f'padding:2px 8px">{display.esc(message)}</div>'
    )
