"""The workshop part every questionnaire shares: the facilitator's round controls, and a respondent
picking or creating their own entry (a sector, and a name or nothing, to answer anonymously).

A product's exercise puts its own questions under :class:`RespondentBar` and saves answers with
:meth:`RespondentBar.save`; the same widgets serve JupyterLab and the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..core.plan import Sector
from ..core.questionnaire import Questionnaire
from ..core.responses import Response, RoundResponses, answered_summary, has_answered  # noqa: F401 (also the API of this module)

if TYPE_CHECKING:
    from .workbook import Workbook

NEW_ROUND_HELP = (
    "Rounds: each repeat of the exercise is a round, such as 'Baseline, February 2026'. Open a round "
    "before the partners answer, and close it when everyone has: a closed round can no longer be changed, "
    "and the next round is compared with it."
)


def entry_label(response: Response) -> str:
    """How a respondent finds their entry in the list: their name or anonymous label, and sector."""
    return f"{response.label} ({response.sector.value})"


class RespondentBar:
    """Round controls and the respondent's own entry, for one product's questionnaire in a workbook.

    ``on_pick(response or None)`` is called when another entry (or none) is chosen, so the product's
    question widgets can show that respondent's answers; :attr:`response` is the entry chosen. Build
    the bar, then the question widgets, then call ``on_pick(bar.response)`` once.
    """

    def __init__(
        self, wb: Workbook, product: str, questionnaire: Questionnaire, on_pick: Callable[[Response | None], None]
    ) -> None:
        import ipywidgets as w

        from .controls import help_text, labelled

        self.wb, self.product, self.questionnaire, self.on_pick = wb, product, questionnaire, on_pick
        self.rounds = w.Dropdown(layout=w.Layout(width="420px"))
        labelled(self.rounds, "Round")
        self.close_button = w.Button(description="Close this round", tooltip="No more changes to this round")
        self.new_round = w.Text(placeholder="e.g. Baseline, February 2026", layout=w.Layout(width="300px"))
        labelled(self.new_round, "New round")
        self.open_button = w.Button(description="Open round", tooltip="Open a new round for the partners to answer")
        self.name_box = w.Text(
            placeholder="your name, or leave empty to answer anonymously", layout=w.Layout(width="360px")
        )
        labelled(self.name_box, "New respondent")
        self.sector_box = w.Dropdown(options=[(s.label, s.value) for s in Sector], value=Sector.LOCAL_AUTHORITY.value)
        labelled(self.sector_box, "Sector")
        self.add_button = w.Button(
            description="Add respondent", button_style="primary", tooltip="Start this respondent's answers"
        )
        self.picker = w.Dropdown(layout=w.Layout(width="420px"))
        labelled(self.picker, "Answering as")
        self.round_state = w.HTML()
        self.answered = w.HTML()
        self.answered.add_class("jw-answered")
        self.changed_note = w.HTML()
        self.show_changed = w.Button(
            description="Show the saved answers", tooltip="Show this entry's answers as they were saved elsewhere"
        )
        self.changed_box = w.HBox([self.changed_note, self.show_changed], layout=w.Layout(display="none"))
        self._shown: tuple[str, str] | None = None  # (id, saved_at) of the entry the question widgets show
        self._quiet = False
        self.close_button.on_click(lambda _b: self._close())
        self.open_button.on_click(lambda _b: self._open())
        self.add_button.on_click(lambda _b: self._add())
        self.rounds.observe(self._round_chosen, names="value")
        self.show_changed.on_click(lambda _b: self._show(self.response))
        self.picker.observe(lambda change: None if self._quiet else self._show(self.response), names="value")
        self.widget = w.VBox(
            [
                help_text(NEW_ROUND_HELP),
                w.HBox([self.rounds, self.close_button]),
                w.HBox([self.new_round, self.open_button]),
                self.round_state,
                self.answered,
                help_text(
                    "Each partner answers on their own: pick your entry, or add it with your sector and your name. "
                    "Leave the name empty to answer anonymously: no name is kept, and small groups are not shown "
                    "by sector."
                ),
                w.HBox([self.name_box, self.sector_box, self.add_button]),
                self.picker,
                self.changed_box,
            ]
        )
        self.sync(notify=False)  # the product shows the chosen entry's answers once its widgets are built
        first = self.response
        self._shown = (first.id, first.saved_at) if first is not None else None
        wb.on_refresh(self.follow)

    # ---- state ---------------------------------------------------------------------------------
    @property
    def current(self) -> Any:
        return self.wb.responses.current(self.product)

    @property
    def response(self) -> Response | None:
        """The entry being answered (``None`` before one is chosen)."""
        now = self.current
        if now is None or not self.picker.value:
            return None
        return next((r for r in now.responses if r.id == self.picker.value), None)

    @property
    def can_answer(self) -> bool:
        now = self.current
        return now is not None and now.round.is_open and self.response is not None

    def sync(self, pick: str | None = None, notify: bool = True) -> None:
        """Show the workbook's rounds and the current round's entries (choosing ``pick`` if given), then
        (with ``notify``) hand the chosen entry to ``on_pick``."""
        from ..render.display import esc

        self._quiet = True
        now = self.current
        rounds = self.wb.responses.rounds(self.product)
        self.rounds.options = [(r.round.name + ("" if r.round.is_open else " (closed)"), r.round.id) for r in rounds]
        self.rounds.value = now.round.id if now else None
        self.close_button.disabled = now is None or not now.round.is_open
        entries = list(now.responses) if now else []
        keep = pick if pick is not None else self.picker.value
        self.picker.options = [(entry_label(r), r.id) for r in entries]
        self.picker.value = keep if keep in {r.id for r in entries} else (entries[0].id if entries else None)
        open_round = now is not None and now.round.is_open
        self.add_button.disabled = self.name_box.disabled = self.sector_box.disabled = not open_round
        if now is None:
            state = "No round yet: open one (above) before the partners answer."
        elif not now.round.is_open:
            state = f"'{now.round.name}' is closed: its answers are shown but can no longer be changed."
        else:
            state = f"'{now.round.name}' is open: {len(entries)} respondent(s) so far."
        self.round_state.value = f'<div role="status">{esc(state)}</div>'
        self.answered.value = (
            f'<div role="status" aria-live="polite">{esc(answered_summary(self.questionnaire, now))}</div>'
        )
        self._quiet = False
        if notify:
            self._show(self.response)

    def follow(self) -> None:
        """After a re-draw (a save here, or answers arriving from elsewhere): show the current rounds,
        entries and count. The question widgets keep what they show, and anything being typed in them,
        unless their entry has gone; when it was changed elsewhere, a note offers its saved answers."""
        before = self.picker.value
        self.sync(notify=False)
        response = self.response
        if self.picker.value != before:
            self._show(response)
            return
        changed = (
            response is not None
            and self._shown is not None
            and self._shown[0] == response.id
            and self._shown[1] != response.saved_at
        )
        if changed:
            from ..render.display import esc

            self.changed_note.value = (
                '<div role="status">'
                + esc(
                    f"{response.label}'s answers were changed elsewhere. This page still "
                    "shows the earlier ones, and anything typed here."
                )
                + "</div>"
            )
        self.changed_box.layout.display = "flex" if changed else "none"

    def _show(self, response: Response | None) -> None:
        """Show ``response``'s answers in the product's question widgets."""
        self._shown = (response.id, response.saved_at) if response is not None else None
        self.changed_box.layout.display = "none"
        self.on_pick(response)

    # ---- actions -------------------------------------------------------------------------------
    def _round_chosen(self, change: dict[str, Any]) -> None:
        if self._quiet or not change["new"]:
            return
        self.wb.choose_round(self.product, change["new"])
        self.sync()

    def _open(self) -> None:
        name = self.new_round.value.strip()
        if not name:
            self.wb.say("Type a name for the new round first, such as 'Baseline, February 2026'.")
            return
        if self.wb.open_round(self.product, name) is not None:
            self.new_round.value = ""
            self.sync()

    def _close(self) -> None:
        now = self.current
        if now is not None and self.wb.close_round(self.product, now.round.id) is not None:
            self.sync()

    def _add(self) -> None:
        now = self.current
        if now is None or not now.round.is_open:
            self.wb.say("Open a round first: answers are saved into the open round.")
            return
        name = " ".join(self.name_box.value.split()) or None
        response = Response("", now.round.id, self.product, Sector(self.sector_box.value), name or "", {}, name)
        what = f"respondent {name}" if name else "a new anonymous respondent"
        saved = self.wb.save_response(self.questionnaire, response, what)
        if saved is not None:
            self.name_box.value = ""
            self.sync(pick=saved.id)

    def save(self, answers: dict[str, Any], what: str) -> bool:
        """Save the chosen entry with these answers (all of them: a response is saved whole)."""
        response = self.response
        if response is None:
            self.wb.say("Pick your entry, or add it, before answering.")
            return False
        saved = self.wb.save_response(self.questionnaire, replace(response, answers=answers), what)
        if saved is None:
            return False
        self.sync(pick=saved.id)
        return True
