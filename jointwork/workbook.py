"""A workbook: one area's plan opened in a product notebook, in a workshop or a batch run.

In a workshop (``interactive=True``) widgets change the plan through :meth:`Workbook.edit`,
which saves at once and re-draws every view. In a batch run (``interactive=False``) views are
rendered once, statically, from the saved plan, and nothing is written.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from . import display
from .areas import Area, find_area
from .errors import JointworkError, PlanBusy, PlanError
from .plan import Plan
from .store import PlanStore
from .validation import problems_from_validation

Render = Callable[[Plan], Any]
SQUASH_SECONDS = 120.0  # repeated saves of the same thing within this time keep one version in the history


class Workbook:
    """An area, its plan and the views that show it."""

    def __init__(self, area: Area, store: PlanStore, interactive: bool = False) -> None:
        self.area = area
        self.store = store
        self.interactive = interactive
        self.plan: Plan = store.load_or_new(area.code)
        self._views: list[Callable[[], None]] = []
        self._status: Any = None
        self._last_save: tuple[str, Plan, float] | None = None  # (what, plan saved, when) of this workbook's last save
        self.page_top: display.Html | None = None  # shown above the header (the app's navigation bar)

    @property
    def has_saved_plan(self) -> bool:
        return self.store.exists(self.area.code)

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
            self.status.value = _status_html(f"Not saved: something unexpected went wrong ({type(exc).__name__}: "
                                             f"{exc}). Reload the page and try again.", ok=False)
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
            self.status.value = _status_html(f"{saved}, but the tables and charts could not be re-drawn: "
                                             "reload the page to see them.", ok=False)
        return True

    def refresh(self) -> None:
        """Re-draw every live view from the current plan."""
        for redraw in self._views:
            redraw()

    def view(self, render: Render) -> Any:
        """Show ``render(plan)``: once in a batch run; kept up to date after each saved change in a workshop.

        ``render`` returns an object with ``_repr_html_`` (an :class:`~jointwork.display.Html`).
        """
        if not self.interactive:
            return render(self.plan)
        import ipywidgets as w

        shown = w.HTML(layout=w.Layout(width="100%"))

        def redraw() -> None:
            shown.value = render(self.plan)._repr_html_()

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
        blocks = [display.heading(f"{self.area.name} ({self.area.code})", 2),
                  display.paragraph(self.area.describe())]
        if self.page_top is not None:
            blocks.insert(0, self.page_top)
        if self.plan.illustrative:
            blocks.append(display.notice("This is an ILLUSTRATIVE sample plan: the entries are made up to "
                                         "show how the workbook works. They are not the views of anyone in this area.",
                                         "warning"))
        if not self.has_saved_plan:
            blocks.append(display.notice("This area has no saved plan yet: the exercises below start blank. "
                                         "Anything entered in a workshop is saved to the team's workspace."))
        return display.join(blocks)


def _refusal(exc: Exception, path: Any) -> str:
    """Why a change was not saved, in words: the field and what was expected, or the file problem."""
    if isinstance(exc, PlanError):  # fields named from the plan's top: drop the section's name
        return "; ".join(f"{_field_words(field, 1)}: {expected.removeprefix('expected ')}"
                         for field, _line, expected in exc.problems)
    if isinstance(exc, ValidationError):  # an edit built a part of the plan that does not validate
        return "; ".join(f"{_field_words(field)}: {expected}"
                         for field, _line, expected in problems_from_validation(exc))
    if isinstance(exc, OSError):
        return (f"{path} could not be written ({exc.strerror or exc}). Check that the workspace folder is "
                "there and that you may write to it, then try again.")
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
    return (f'<div role="{role}" aria-live="polite" style="border-left:4px solid {colour};'
            f'padding:2px 8px">{display.esc(message)}</div>')


def open_workbook(area_code: str, workspace: str | os.PathLike[str] | None = None,
                  interactive: bool = False) -> Workbook:
    """Open an area's plan (a blank one if none is saved) for a product notebook.

    ``area_code`` may be a GSS code, an old code, a DfE code or a name. ``workspace`` defaults to
    ``$JOINTWORK_WORKSPACE`` or ``./workspace``.
    """
    from . import app

    if app.in_app():  # served by `jointwork app`: the area comes from the page's address
        return app.open_app_workbook(area_code, workspace)
    if not isinstance(area_code, str):
        raise JointworkError(f"area_code must be text such as 'E06000045', got {area_code!r} "
                             f"({type(area_code).__name__}); quote it in the parameters cell")
    return Workbook(find_area(area_code), PlanStore(workspace), interactive=interactive)
