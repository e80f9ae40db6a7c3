"""Building blocks for exercises: the patterns several products share, configured instead of rewritten.

- :class:`Exercise` is the workshop/batch switch: the same call shows widgets bound to the plan in a
  workshop and the static view of what is saved in a batch run.
- :class:`RecordList` is a list of records that a team adds, edits and removes (stakeholders,
  interviews, actions...): a picker, a form built from :class:`Field` specs, and Add / Save changes /
  Remove buttons, every press one saved edit; optionally a "Start from" drop-down of
  :class:`Starter` records that fill in the form.
- :class:`Scale` and :func:`rating_control` are a rating on a scale with descriptors (the point
  chosen is explained in words beside it).
- :func:`choice_with_note` is a choice among options (buttons, a drop-down or a tick box) with a
  note beside it (adopt, adapt or set aside; bookmarked or not), and :func:`saved_text` a text or a
  date kept in the plan.

Each block saves through :meth:`Workbook.edit`, so a refused change is shown in words in the status
line and the controls go back to what is saved. ``ipywidgets`` is imported inside the functions that
build widgets, so batch runs never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from ..render import display

if TYPE_CHECKING:
    from ..core.plan import PlanBase
    from .workbook import Workbook

Options = Sequence[tuple[str, Any]]
FieldKind = Literal["text", "long", "choice", "multi", "date", "scale", "toggle", "check", "suggest", "hidden"]
WIDE = "520px"


# ---- the workshop/batch switch ------------------------------------------------------------------
class Exercise:
    """An exercise: ``widgets(wb)`` in a workshop, ``static(plan)`` (what is saved) in a batch run.

    ``doc`` says what the exercise is (the API reference shows it).
    """

    def __init__(
        self, static: Callable[[PlanBase], display.Html], widgets: Callable[[Workbook], Any], doc: str
    ) -> None:
        self.static = static
        self.widgets = widgets
        self.__doc__ = doc

    def __call__(self, wb: Workbook) -> Any:
        """Widgets bound to the plan when ``wb`` is interactive, otherwise the static view (given the
        area's responses too when it takes them)."""
        from ..core.product import show

        return self.widgets(wb) if wb.interactive else show(self.static, wb.plan, wb.responses)


# ---- a rating on a scale with descriptors -------------------------------------------------------
@dataclass(frozen=True)
class Scale:
    """The points of a rating scale, lowest first, each with its label (``(1, "not in place")``).

    ``unrated`` is the label of the "no rating yet" choice (value 0), or ``None`` for none.
    ``style`` is ``"radio"`` (a list, one point per line) or ``"buttons"`` (a row of buttons, each
    ``button_width`` wide: ``"auto"`` fits each label, a width such as ``"80px"`` makes them even).
    """

    points: tuple[tuple[int, str], ...]
    unrated: str | None = "Not rated"
    style: Literal["radio", "buttons"] = "radio"
    button_width: str = "auto"

    @property
    def options(self) -> list[tuple[str, int]]:
        labelled = [(f"{value} {label}".strip(), value) for value, label in self.points]
        return ([(self.unrated, 0)] if self.unrated is not None else []) + labelled

    @property
    def lowest(self) -> int:
        return self.points[0][0]


class RatingControl:
    """A rating control (:func:`rating_control`): ``value`` is the point chosen (0 = not rated)."""

    def __init__(self, control: Any, meaning: Any, descriptors: Mapping[int, str], hint: str) -> None:
        self.control = control
        self.meaning = meaning
        self.descriptors = descriptors
        self.hint = hint
        control.observe(lambda change: self.explain(change["new"]), names="value")
        self.explain(control.value)

    @property
    def value(self) -> int:
        return int(self.control.value or 0)

    @value.setter
    def value(self, point: int) -> None:
        self.control.value = point

    def explain(self, point: int) -> None:
        text = self.descriptors.get(point) if point else self.hint
        self.meaning.value = f"<em>{display.esc(text or '')}</em>" if text else ""

    def widgets(self) -> list[Any]:
        return [self.control, self.meaning]


def rating_control(
    scale: Scale,
    label: str,
    descriptors: Mapping[int, str] | None = None,
    value: int = 0,
    hint: str = "Choose the point of the scale that fits best.",
) -> RatingControl:
    """A labelled rating on ``scale``; the chosen point's descriptor is shown in words beside it."""
    import ipywidgets as w

    from .controls import labelled

    start = value if value or scale.unrated is not None else scale.lowest
    if scale.style == "buttons":
        control = w.ToggleButtons(options=scale.options, value=start, style={"button_width": scale.button_width})
    else:
        control = w.RadioButtons(options=scale.options, value=start, layout=w.Layout(width="auto"))
    labelled(control, label)
    return RatingControl(control, w.HTML(), dict(descriptors or {}), hint)


# ---- forms --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One field of a form: the record's attribute ``name``, its visible ``label`` and how it is entered.

    ``kind``: ``text`` (one line), ``long`` (several lines; ``rows`` of them if given), ``choice`` (a
    drop-down of ``options``), ``multi`` (several of ``options``), ``date``, ``scale`` (a
    :class:`Scale` in ``scale``), ``toggle`` (a row of buttons of ``options``), ``check`` (a tick box),
    ``suggest`` (one line of free text with ``options``, a list of strings, offered as suggestions)
    or ``hidden`` (carried with the record, loaded and saved but never shown: a value that a
    :class:`Starter` sets, for example).

    ``options`` may be a function of the plan, ``options(plan)``, for lists that follow what the team
    has entered (re-read after every saved change). With ``follows``, the name of another field, it
    is ``options(plan, values)`` with the form's current values, re-read whenever that field changes.
    ``describe(plan, values)``, if given, is HTML shown under the field, re-drawn when the field or
    the one it follows changes. ``help`` is plain-English help shown under the field.
    """

    name: str
    label: str
    kind: FieldKind = "text"
    options: Options | Sequence[str] | Callable[..., Any] = ()
    default: Any = ""
    placeholder: str = ""
    scale: Scale | None = None
    descriptors: Mapping[int, str] = field(default_factory=dict)
    help: str = ""
    rows: int | None = None
    follows: str = ""
    describe: Callable[[PlanBase, Mapping[str, Any]], display.Html] | None = None

    def choices(self, plan: PlanBase, values: Mapping[str, Any] | None = None) -> list[Any]:
        """The options for ``plan`` (and, for a field that follows another, the form's ``values``)."""
        if not callable(self.options):
            return list(self.options)
        return list(self.options(plan, dict(values or {})) if self.follows else self.options(plan))


class HiddenValue:
    """What a ``hidden`` field holds in place of a control: a ``value``, never shown."""

    def __init__(self, value: Any) -> None:
        self.value = value


def field_control(spec: Field, plan: PlanBase, values: Mapping[str, Any] | None = None) -> Any:
    """The labelled control for a field (a :class:`RatingControl` for a scale, a :class:`HiddenValue`
    for a hidden field); ``values`` are the form's values that a field following another needs."""
    import ipywidgets as w

    from .controls import labelled

    if spec.kind == "hidden":
        return HiddenValue(spec.default)
    if spec.kind == "scale":
        assert spec.scale is not None, f"field {spec.name!r} is a scale but names none"
        return rating_control(spec.scale, spec.label, spec.descriptors, value=spec.default or 0)
    wide = w.Layout(width=WIDE)
    if spec.kind in {"text", "long"}:
        cls = w.Textarea if spec.kind == "long" else w.Text
        control = cls(
            value=spec.default or "",
            placeholder=spec.placeholder,
            continuous_update=False,
            layout=w.Layout(width="100%") if spec.kind == "long" else wide,
        )
        if spec.kind == "long" and spec.rows:
            control.rows = spec.rows
    elif spec.kind == "suggest":
        control = w.Combobox(
            value=spec.default or "",
            options=tuple(spec.choices(plan, values)),
            placeholder=spec.placeholder,
            ensure_option=False,
            continuous_update=False,
            layout=wide,
        )
    elif spec.kind in {"choice", "toggle"}:
        options = spec.choices(plan, values)
        value = _one_of(options, spec.default)
        control = (
            w.Dropdown(options=options, value=value, layout=wide)
            if spec.kind == "choice"
            else w.ToggleButtons(options=options, value=value)
        )
    elif spec.kind == "multi":
        control = w.SelectMultiple(
            options=spec.choices(plan, values), value=tuple(spec.default or ()), rows=6, layout=wide
        )
    elif spec.kind == "date":
        control = w.DatePicker(value=spec.default or None)
    elif spec.kind == "check":
        control = w.Checkbox(value=bool(spec.default), indent=False)
    else:  # pragma: no cover - Literal guards it
        raise ValueError(f"unknown field kind {spec.kind!r}")
    labelled(control, spec.label)
    return control


def _widgets_of(control: Any) -> list[Any]:
    return control.widgets() if isinstance(control, RatingControl) else [control]


def _watchable(control: Any) -> Any:
    """The widget whose ``value`` changes when the person changes a field (``None`` for a hidden one)."""
    if isinstance(control, RatingControl):
        return control.control
    return None if isinstance(control, HiddenValue) else control


class Form:
    """The controls of a list of fields: read them as a dict, fill them from a record or defaults."""

    def __init__(self, fields: Sequence[Field], plan: PlanBase) -> None:
        import ipywidgets as w

        from .controls import help_text

        self.fields = list(fields)
        self.plan = plan
        defaults = {f.name: f.default for f in self.fields}
        self.controls = {f.name: field_control(f, plan, defaults) for f in self.fields}
        self.helps = {f.name: help_text(f.help) for f in self.fields if f.help and f.kind != "hidden"}
        self.descriptions = {f.name: w.HTML() for f in self.fields if f.describe is not None}
        for spec in self.fields:
            if spec.follows:
                followed = _watchable(self.controls[spec.follows])
                assert followed is not None, f"field {spec.name!r} follows {spec.follows!r}, which is not shown"
                followed.observe(lambda _change, s=spec: self._reread(s, always=True), names="value")
            own = _watchable(self.controls[spec.name])
            if spec.describe is not None and own is not None:
                own.observe(lambda _change, s=spec: self._describe(s), names="value")
        self._describe_all()

    def values(self) -> dict[str, Any]:
        out = {}
        for spec in self.fields:
            value = self.controls[spec.name].value
            out[spec.name] = tuple(value) if spec.kind == "multi" else value
        return out

    def fill(self, values: Mapping[str, Any] | None) -> None:
        """Show a record's ``values`` in every field (the defaults where it has none, or for ``None``)."""
        for spec in self.fields:
            self._set(spec, spec.default if values is None else values.get(spec.name, spec.default))
        self._describe_all()

    def put(self, values: Mapping[str, Any]) -> None:
        """Set the fields named in ``values`` and leave the others as they are (a starter's values)."""
        for spec in self.fields:
            if spec.name in values:
                self._set(spec, values[spec.name])
        self._describe_all()

    def _set(self, spec: Field, value: Any) -> None:
        if spec.kind == "multi":
            value = tuple(value or ())
        elif spec.kind == "date":
            value = value if isinstance(value, date) else None
        elif spec.kind in {"text", "long", "suggest"}:
            value = "" if value is None else value
        elif spec.kind in {"choice", "toggle"}:
            value = _one_of(self.controls[spec.name].options, value)
        self.controls[spec.name].value = value

    def refresh_options(self, plan: PlanBase) -> None:
        """Re-read options that follow the plan, keeping each control's value where it still fits."""
        self.plan = plan
        for spec in self.fields:
            if callable(spec.options):
                self._reread(spec)
        self._describe_all()

    def _reread(self, spec: Field, always: bool = False) -> None:
        """Re-read one field's options (a suggestion box keeps what is typed, whatever the options)."""
        control = self.controls[spec.name]
        options = spec.choices(self.plan, self.values())
        if spec.kind == "suggest":
            control.options = tuple(options)
        elif list(control.options) != options:
            kept = control.value
            control.options = options
            allowed = {v for _, v in options}
            if spec.kind == "multi":
                control.value = tuple(v for v in kept if v in allowed)
            elif kept in allowed:
                control.value = kept
        if always:
            self._describe(spec)

    def _describe(self, spec: Field) -> None:
        if spec.describe is not None:
            self.descriptions[spec.name].value = spec.describe(self.plan, self.values()).markup

    def _describe_all(self) -> None:
        for spec in self.fields:
            self._describe(spec)

    def widgets(self) -> list[Any]:
        """Each shown field's control, with its help and its description under it."""
        parts: list[Any] = []
        for spec in self.fields:
            if spec.kind == "hidden":
                continue
            parts.extend(_widgets_of(self.controls[spec.name]))
            parts.extend(x[spec.name] for x in (self.helps, self.descriptions) if spec.name in x)
        return parts


# ---- a list of records --------------------------------------------------------------------------
NEW = -1


@dataclass(frozen=True)
class Starter:
    """A ready-made start for a record, offered in the "Start from" drop-down of a :class:`RecordList`.

    ``key`` is its value in the drop-down (unique, not empty), ``label`` what the drop-down shows,
    ``values`` the fields it fills in (field name -> value; the other fields stay as they are) and
    ``why`` the words shown beside the drop-down once it is chosen. Choosing one saves nothing.
    """

    key: str
    label: str
    values: Mapping[str, Any]
    why: str = ""


@dataclass(frozen=True)
class RecordList:
    """A list of records the team adds to, edits and removes from, on one form.

    ``records(plan)`` reads the list; ``add(plan, values)``, ``update(plan, index, values)`` and
    ``remove(plan, index)`` are the product's plan edits (they raise ``ValueError`` in words when
    refused); ``label(index, record)`` names a record in the picker. Without ``update`` a record can
    only be added and removed; without ``remove``, only added and changed.

    ``starters(plan)``, if given, are the :class:`Starter` records offered in a ``start_label``
    drop-down above the form (its first choice, ``own_start``, fills in nothing).
    ``on_load(editor, record)``, if given, is called each time the form shows a saved record or a
    blank one (``record`` is then ``None``), for example to say something with
    :meth:`RecordEditor.explain_start`.
    """

    noun: str
    fields: tuple[Field, ...]
    records: Callable[[PlanBase], Sequence[Any]]
    add: Callable[[PlanBase, dict[str, Any]], None]
    label: Callable[[int, Any], str]
    update: Callable[[PlanBase, int, dict[str, Any]], None] | None = None
    remove: Callable[[PlanBase, int], None] | None = None
    help: str = ""
    values: Callable[[Any], dict[str, Any]] | None = None
    starters: Callable[[PlanBase], Sequence[Starter]] | None = None
    start_label: str = "Start from"
    own_start: str = "Type your own"
    on_load: Callable[[RecordEditor, Any], None] | None = None

    def record_values(self, record: Any) -> dict[str, Any]:
        """What the form shows for a saved record (its fields of the same names, by default)."""
        if self.values is not None:
            return self.values(record)
        return {spec.name: _plain(getattr(record, spec.name, spec.default)) for spec in self.fields}

    def editor(self, wb: Workbook) -> RecordEditor:
        """The live form, for a product that needs its controls (``editor.box()`` shows it)."""
        return RecordEditor(self, wb)

    def widgets(self, wb: Workbook, *, before: Sequence[Any] = (), after: Sequence[Any] = ()) -> Any:
        """The picker, the form and the buttons; ``before`` and ``after`` are shown around the form."""
        return self.editor(wb).box(before=before, after=after)


class RecordEditor:
    """The live form of a :class:`RecordList` in a workshop (the object its buttons act through).

    Options that follow the plan are re-read after every saved change, wherever it was made.
    """

    def __init__(self, spec: RecordList, wb: Workbook) -> None:
        import ipywidgets as w

        from .controls import labelled

        self.spec, self.wb = spec, wb
        self.loading = False
        self.form = Form(spec.fields, wb.plan)
        self.picker = w.Dropdown(layout=w.Layout(width=WIDE))
        labelled(self.picker, spec.noun[0].upper() + spec.noun[1:])
        self.starters = {s.key: s for s in spec.starters(wb.plan)} if spec.starters is not None else {}
        self.start: Any = None
        self.start_note: Any = None
        if self.starters:
            options = [(spec.own_start, "")] + [(s.label, s.key) for s in self.starters.values()]
            self.start = w.Dropdown(options=options, value="", layout=w.Layout(width=WIDE))
            labelled(self.start, spec.start_label)
            self.start_note = w.HTML()
            self.start.observe(lambda change: None if self.loading else self.prefill(change["new"]), names="value")
        self.add_button = w.Button(
            description=f"Add {spec.noun}", button_style="primary", tooltip=f"Add a new {spec.noun} to the plan"
        )
        self.save_button = w.Button(description="Save changes", tooltip=f"Save the changes to the chosen {spec.noun}")
        self.remove_button = w.Button(
            description=f"Remove {spec.noun}",
            button_style="warning",
            tooltip=f"Delete the chosen {spec.noun} from the plan",
        )
        self.add_button.on_click(lambda _b: self.add())
        self.save_button.on_click(lambda _b: self.save())
        self.remove_button.on_click(lambda _b: self.remove())
        self.picker.observe(lambda change: None if self.loading else self.load(change["new"]), names="value")
        if any(callable(f.options) or f.describe is not None for f in spec.fields):
            wb.on_refresh(lambda: self.form.refresh_options(self.wb.plan))
        self.refresh(NEW)

    @property
    def chosen(self) -> int:
        return NEW if self.picker.value is None else int(self.picker.value)

    def refresh(self, chosen: int) -> None:
        """List the saved records in the picker and show ``chosen`` (or a blank form for a new one)."""
        records = self.spec.records(self.wb.plan)
        self.loading = True
        try:
            self.picker.options = [(f"New {self.spec.noun}", NEW)] + [
                (self.spec.label(i, r), i) for i, r in enumerate(records)
            ]
            self.picker.value = chosen if 0 <= chosen < len(records) else NEW
        finally:
            self.loading = False
        self.load(self.picker.value)

    def load(self, index: int) -> None:
        """Show a saved record in the form, or the defaults for a new one."""
        records = self.spec.records(self.wb.plan)
        record = records[index] if 0 <= index < len(records) else None
        self.form.refresh_options(self.wb.plan)
        self.form.fill(None if record is None else self.spec.record_values(record))
        self.add_button.disabled = record is not None
        self.save_button.disabled = record is None or self.spec.update is None
        self.remove_button.disabled = record is None or self.spec.remove is None
        if self.start is not None:
            self.loading = True
            try:
                self.start.value = ""
            finally:
                self.loading = False
            self.explain_start("")
        if self.spec.on_load is not None:
            self.spec.on_load(self, record)

    def prefill(self, key: str) -> None:
        """Fill in the form from the starter ``key`` and say why (nothing is saved; "" changes nothing)."""
        starter = self.starters.get(key)
        if starter is None:
            return
        self.form.put(starter.values)
        self.explain_start(starter.why)

    def explain_start(self, message: str) -> None:
        """Say ``message`` beside the "Start from" drop-down ("" says nothing)."""
        if self.start_note is not None:
            self.start_note.value = (
                f'<div style="color:#3D3D3D;max-width:560px"><em>{display.esc(message)}</em></div>' if message else ""
            )

    def name(self, values: Mapping[str, Any]) -> str:
        """How a saved message names a record: its first text field, as typed."""
        first = next((f.name for f in self.spec.fields if f.kind in {"text", "long"}), None)
        text = str(values.get(first) or "").strip() if first else ""
        return f"{self.spec.noun} {text}" if text else f"a new {self.spec.noun}"

    def add(self) -> bool:
        values = self.form.values()
        if self.wb.edit(lambda plan: self.spec.add(plan, values), self.name(values)):
            self.refresh(NEW)
            return True
        return False

    def save(self) -> bool:
        index, values = self.chosen, self.form.values()
        if index == NEW or self.spec.update is None:
            return False
        if self.wb.edit(lambda plan: self.spec.update(plan, index, values), f"changes to {self.spec.noun} {index + 1}"):
            self.refresh(index)
            return True
        return False

    def remove(self) -> bool:
        index = self.chosen
        if index == NEW or self.spec.remove is None:
            return False
        if self.wb.edit(lambda plan: self.spec.remove(plan, index), f"the removal of {self.spec.noun} {index + 1}"):
            self.refresh(NEW)
            return True
        return False

    def box(self, *, before: Sequence[Any] = (), after: Sequence[Any] = ()) -> Any:
        import ipywidgets as w

        from .controls import help_text

        buttons = [
            b
            for b, used in (
                (self.add_button, True),
                (self.save_button, self.spec.update is not None),
                (self.remove_button, self.spec.remove is not None),
            )
            if used
        ]
        parts = ([help_text(self.spec.help)] if self.spec.help else []) + [
            self.picker,
            *([self.start, self.start_note] if self.start is not None else []),
            *before,
            *self.form.widgets(),
            *after,
            w.HBox(buttons),
            self.wb.status,
        ]
        return w.VBox(parts)


def _one_of(options: Sequence[Any], value: Any) -> Any:
    """``value`` if it is one of ``options`` (labels with values), else the first option's value."""
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    return value if value in values or not values else values[0]


def _plain(value: Any) -> Any:
    """A record's value as a control holds it: enums as their value, lists as tuples."""
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool, date)):
        return value.value
    if isinstance(value, list):
        return tuple(value)
    return value


# ---- a choice with a note, and a saved note -----------------------------------------------------
class _Saved:
    """Keeps controls showing what is saved: ``reload()`` puts the saved values back without saving,
    and ``save`` makes one edit (unless the change came from ``reload``), reloading if it is refused."""

    def __init__(self, wb: Workbook, show: Callable[[PlanBase], None]) -> None:
        self.wb, self.show, self.loading = wb, show, False

    def reload(self) -> None:
        self.loading = True
        try:
            self.show(self.wb.plan)
        finally:
            self.loading = False

    def save(self, edit: Callable[[PlanBase], None], what: str) -> None:
        if not self.loading and not self.wb.edit(edit, what):
            self.reload()


def saved_text(
    wb: Workbook,
    label: str,
    read: Callable[[PlanBase], Any],
    write: Callable[[PlanBase, Any], None],
    what: str,
    *,
    placeholder: str = "",
    kind: Literal["text", "long", "date"] = "long",
) -> Any:
    """A box whose value is kept in the plan: ``kind`` ``long`` (several lines), ``text`` (one line) or
    ``date`` (a date picker; ``read`` and ``write`` then take a date or ``None``). Each change is one
    saved edit; a refused one shows the saved value again (so what is on screen is always what is saved).

    The control has a ``reload()`` method: it shows the saved value again without saving, for a caller
    whose other edits change it (adapting a principle fills in its wording, for example). What a
    person typed is not replaced after a successful save, even where the plan keeps it trimmed: the
    kernel cannot tell whether they are still typing in the box, and the page may send what they typed
    before they finish (see :func:`~jointwork.workshop.controls.text_box`).
    """
    import ipywidgets as w

    from .controls import labelled

    if kind == "date":
        box = w.DatePicker(value=read(wb.plan))
    else:
        cls = w.Textarea if kind == "long" else w.Text
        box = cls(
            value=read(wb.plan),
            placeholder=placeholder,
            continuous_update=False,
            layout=w.Layout(width="100%" if kind == "long" else WIDE),
        )
    labelled(box, label)

    def show(plan: PlanBase) -> None:
        box.value = read(plan)

    saved = _Saved(wb, show)
    box.observe(lambda change: saved.save(lambda plan: write(plan, change["new"]), what), names="value")
    box.reload = saved.reload
    return box


def choice_with_note(
    wb: Workbook,
    options: Options,
    choice_label: str,
    note_label: str,
    read: Callable[[PlanBase], tuple[Any, str]],
    set_choice: Callable[[PlanBase, Any], None],
    set_note: Callable[[PlanBase, str], None],
    what: str = "",
    *,
    placeholder: str = "",
    kind: Literal["buttons", "dropdown", "check"] = "buttons",
    tooltips: Sequence[str] = (),
    choice_what: str | Callable[[Any], str] | None = None,
    note_what: str | None = None,
) -> Any:
    """A choice with a note beside it, both kept in the plan (a ``VBox`` of the choice and the note).

    ``kind``: ``buttons`` (a row of buttons of ``options``, each with its text in ``tooltips`` if
    given), ``dropdown`` (a drop-down of ``options``) or ``check`` (a tick box labelled
    ``choice_label``: ``options`` are not used and the choice is ``True`` or ``False``).
    ``read(plan)`` gives the saved (choice, note); each change is one saved edit, and a refused change
    puts the saved values back (so does the box's ``reload()``). The status line names a change of the
    choice ``choice_what`` (words, or a function of the new choice) and of the note ``note_what``; by
    default "the choice for ``what``" and "the note on ``what``".
    """
    import ipywidgets as w

    from .controls import labelled

    choice0, note0 = read(wb.plan)
    if kind == "check":
        choice = w.Checkbox(value=bool(choice0), indent=False)
    elif kind == "buttons":
        choice = w.ToggleButtons(
            options=list(options), value=choice0, tooltips=list(tooltips), style={"button_width": "auto"}
        )
    else:
        choice = w.Dropdown(options=list(options), value=choice0, layout=w.Layout(width=WIDE))
    labelled(choice, choice_label)
    note = w.Textarea(value=note0, placeholder=placeholder, continuous_update=False, layout=w.Layout(width="100%"))
    labelled(note, note_label)

    def name_choice(value: Any) -> str:
        if choice_what is None:
            return f"the choice for {what}"
        return choice_what(value) if callable(choice_what) else choice_what

    def show(plan: PlanBase) -> None:
        choice.value, note.value = read(plan)

    saved = _Saved(wb, show)
    choice.observe(
        lambda change: saved.save(lambda plan: set_choice(plan, change["new"]), name_choice(change["new"])),
        names="value",
    )
    note.observe(
        lambda change: saved.save(lambda plan: set_note(plan, change["new"]), note_what or f"the note on {what}"),
        names="value",
    )
    box = w.VBox([choice, note])
    box.reload = saved.reload
    return box
