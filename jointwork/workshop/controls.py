"""Widget helpers for workshops: labelled, keyboard-usable controls bound to the plan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from ..render.display import esc


def help_text(text: str) -> w.HTML:
    """Plain-English help shown beside an exercise."""
    return w.HTML(f'<div style="color:#3D3D3D;max-width:760px">{esc(text)}</div>')


def labelled(control: w.Widget, label: str, help_: str = "") -> w.Widget:
    """A control with a visible label (also given to screen readers) and optional help."""
    if hasattr(control, "description"):
        control.description = label
        style = getattr(control, "style", None)
        if style is not None and hasattr(style, "description_width"):
            style.description_width = "initial"  # keep the rest of the style (a button row's widths)
        else:
            control.style = {"description_width": "initial"}
    if hasattr(control, "description_allow_html"):
        control.description_allow_html = False
    control.tooltip = help_ or label
    return w.VBox([control, help_text(help_)]) if help_ else control


def on_commit(control: w.Widget, handler: Callable[[Any], None]) -> None:
    """Call ``handler(new_value)`` when the user changes the control's value."""

    def changed(change: dict[str, Any]) -> None:
        if change.get("name") == "value" and change["new"] != change["old"]:
            handler(change["new"])

    control.observe(changed, names="value")


def text_box(value: str, label: str, placeholder: str = "", long: bool = False) -> w.Widget:
    """A text field that reports its value when the user leaves it (not at every key press).

    In the app (``jointwork app``) the page also sends it after a short pause in typing and when
    the page is left or reloaded, so nothing typed is lost; each report is one ``wb.edit``, and
    reports of the same thing in quick succession keep one version in the plan's history.
    """
    cls = w.Textarea if long else w.Text
    box = cls(
        value=value,
        placeholder=placeholder,
        continuous_update=False,
        layout=w.Layout(width="100%" if long else "420px"),
    )
    labelled(box, label)
    return box


def choice(options: Sequence[tuple[str, Any]], value: Any, label: str) -> w.Dropdown:
    box = w.Dropdown(options=list(options), value=value, layout=w.Layout(width="420px"))
    labelled(box, label)
    return box
