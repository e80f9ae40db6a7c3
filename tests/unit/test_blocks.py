"""The shared exercise blocks, driven as a person would, on a small product of their own."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from pydantic import Field as ModelField

from jointwork.core.areas import find_area
from jointwork.core.plan import LongText, Model, Sector, ShortText, plan_model
from jointwork.core.product import Product
from jointwork.core.store import PlanStore
from jointwork.render import display
from jointwork.workshop.blocks import (
    Exercise,
    Field,
    RecordList,
    Scale,
    Starter,
    choice_with_note,
    rating_control,
    saved_text,
)
from jointwork.workshop.workbook import Workbook

from conftest import find_widgets

CODE = "E06000045"


class Contact(Model):
    role: ShortText = ModelField(min_length=1)
    sector: Sector = Sector.HEALTH
    influence: int = ModelField(default=3, ge=1, le=5)
    met_on: date | None = None
    themes: list[str] = ModelField(default_factory=list)


class Lead(Model):
    name: ShortText = ModelField(min_length=1)
    source: str = ""  # set by a starter, never shown
    topic: str = ""  # the plan's topics, which the team adds to elsewhere
    measure: ShortText = ""  # suggestions that follow the topic; free text allowed
    score: int = ModelField(default=1, ge=1, le=2)
    about: LongText = ""


class Toy(Model):
    contacts: list[Contact] = ModelField(default_factory=list)
    leads: list[Lead] = ModelField(default_factory=list)
    topics: list[str] = ModelField(default_factory=list)
    notes: LongText = ""
    decision: str = ""
    bookmarked: bool = False
    met: date | None = None


PLAN = plan_model([Product(1, "toy", "A toy product", Toy)])
SCALE = Scale(((1, "little"), (2, "some"), (3, "middling"), (4, "much"), (5, "a lot")), unrated=None, style="buttons")


def add_contact(plan, values) -> None:
    if any(c.role == values["role"].strip() for c in plan.toy.contacts):
        raise ValueError(f"{values['role']} is already on the list")
    plan.toy.contacts.append(Contact(**values))


def update_contact(plan, index, values) -> None:
    plan.toy.contacts[index] = Contact(**values)


CONTACTS = RecordList(
    noun="contact",
    fields=(
        Field("role", "Role"),
        Field("sector", "Sector", "choice", options=[(s.label, s.value) for s in Sector], default="health"),
        Field(
            "influence",
            "Influence",
            "scale",
            scale=SCALE,
            default=3,
            descriptors={1: "can change little", 5: "can change a lot"},
        ),
        Field("met_on", "Met on", "date", default=None),
        Field("themes", "Themes", "multi", options=[("Data", "data"), ("Money", "money")], default=()),
    ),
    records=lambda plan: plan.toy.contacts,
    add=add_contact,
    update=update_contact,
    remove=lambda plan, i: plan.toy.contacts.pop(i),
    label=lambda i, c: f"{i + 1}. {c.role}",
)


SUGGESTIONS = {"data": ["Records shared", "Dashboards used"], "money": ["Budget pooled"]}
seen: list[tuple[str, str | None]] = []  # what on_load was called with: (the form's name, the record's name)


def set_met(plan, value) -> None:
    if value is not None and value.year < 2000:
        raise ValueError("the meeting must be in 2000 or later")
    plan.toy.met = value


LEADS = RecordList(
    noun="lead",
    fields=(
        Field("name", "Name"),
        Field("source", "Source", "hidden"),
        Field("topic", "Topic", "choice", options=lambda plan: [("No topic", "")] + [(t, t) for t in plan.toy.topics]),
        Field(
            "measure",
            "Measure",
            "suggest",
            options=lambda _plan, values: SUGGESTIONS.get(values["topic"], []),
            follows="topic",
            describe=lambda _plan, values: display.paragraph(f"Suggestions for {values['topic'] or 'no topic'}."),
        ),
        Field(
            "score",
            "Score",
            "scale",
            scale=Scale(((1, "low"), (2, "high")), unrated=None, style="buttons", button_width="70px"),
            default=1,
            help="How much the lead matters.",
        ),
        Field("about", "About", "long", rows=3),
    ),
    records=lambda plan: plan.toy.leads,
    add=lambda plan, values: plan.toy.leads.append(Lead(**values)),
    update=lambda plan, index, values: plan.toy.leads.__setitem__(index, Lead(**values)),
    label=lambda i, lead: f"{i + 1}. {lead.name}",
    starters=lambda _plan: [
        Starter(
            "dph", "Director of Public Health", {"name": "DPH", "source": "dph"}, "They hold the public health data."
        )
    ],
    on_load=lambda editor, lead: seen.append((editor.form.controls["name"].value, lead.name if lead else None)),
)


@pytest.fixture
def wb(tmp_path: Path) -> Workbook:
    workbook = Workbook(find_area(CODE), PlanStore(tmp_path, PLAN), interactive=True)
    assert "Saved" not in workbook.status.value  # the status line, on screen beside the exercise as in a product
    return workbook


def saved(wb: Workbook):
    return wb.store.load(CODE).toy


def one(ui, kind: str, label: str):
    found = find_widgets(ui, kind, label)
    assert len(found) == 1, f"{kind} {label!r}: {len(found)}"
    return found[0]


def words(ui) -> str:
    """Everything the widgets say in HTML, unescaped."""
    return html.unescape("\n".join(h.value for h in find_widgets(ui, "HTML")))


def labels(ui) -> list[str]:
    """The label of every widget inside ``ui``."""
    own = [ui.description] if getattr(ui, "description", "") else []
    return own + [label for child in getattr(ui, "children", ()) for label in labels(child)]


def button(ui, description: str):
    return one(ui, "Button", description)


class TestRecordList:
    def test_add_edit_remove(self, wb: Workbook) -> None:
        ui = CONTACTS.widgets(wb)
        one(ui, "Text", "Role").value = "Head of midwifery"
        one(ui, "ToggleButtons", "Influence").value = 5
        one(ui, "DatePicker", "Met on").value = date(2026, 11, 3)
        one(ui, "SelectMultiple", "Themes").value = ("money",)
        find_widgets(ui, "Button")[0].click()  # Add contact
        assert "Saved contact Head of midwifery" in wb.status.value
        contact = saved(wb).contacts[0]
        assert (contact.influence, contact.met_on, contact.themes) == (5, date(2026, 11, 3), ["money"])
        assert one(ui, "Text", "Role").value == "", "the form is ready for the next one"

        one(ui, "Dropdown", "Contact").value = 0
        assert one(ui, "Text", "Role").value == "Head of midwifery" and one(ui, "ToggleButtons", "Influence").value == 5
        one(ui, "Dropdown", "Sector").value = "local authority"
        next(b for b in find_widgets(ui, "Button") if b.description == "Save changes").click()
        assert saved(wb).contacts[0].sector is Sector.LOCAL_AUTHORITY
        next(b for b in find_widgets(ui, "Button") if b.description == "Remove contact").click()
        assert saved(wb).contacts == []
        assert one(ui, "Dropdown", "Contact").options == (("New contact", -1),)

    def test_a_refused_add_is_said_in_words_and_nothing_changes(self, wb: Workbook) -> None:
        ui = CONTACTS.widgets(wb)
        add = next(b for b in find_widgets(ui, "Button") if b.description == "Add contact")
        one(ui, "Text", "Role").value = "Head of midwifery"
        add.click()
        one(ui, "Text", "Role").value = "Head of midwifery"
        add.click()
        assert "Not saved" in wb.status.value and "already on the list" in wb.status.value
        assert len(saved(wb).contacts) == 1
        assert one(ui, "Text", "Role").value == "Head of midwifery", "what was typed stays on screen"

    def test_buttons_follow_the_choice(self, wb: Workbook) -> None:
        ui = CONTACTS.widgets(wb)
        buttons = {b.description: b for b in find_widgets(ui, "Button")}
        assert not buttons["Add contact"].disabled and buttons["Save changes"].disabled


class TestRecordListOptions:
    def test_a_starter_fills_the_form_says_why_and_nothing_is_saved_until_add(self, wb: Workbook) -> None:
        seen.clear()
        ui = LEADS.widgets(wb)
        start = one(ui, "Dropdown", "Start from")
        assert start.options == (("Type your own", ""), ("Director of Public Health", "dph"))
        start.value = "dph"
        assert one(ui, "Text", "Name").value == "DPH" and "They hold the public health data." in words(ui)
        assert not wb.store.exists(CODE), "choosing a starter saves nothing"
        button(ui, "Add lead").click()
        assert (saved(wb).leads[0].name, saved(wb).leads[0].source) == ("DPH", "dph")
        assert start.value == "" and "They hold the public health data." not in words(ui)
        assert seen[-1] == ("", None), "on_load saw the blank form after the add"

    def test_a_hidden_field_is_carried_with_the_record_and_never_shown(self, wb: Workbook) -> None:
        wb.edit(lambda plan: plan.toy.leads.append(Lead(name="DCS", source="from the board")))
        seen.clear()
        ui = LEADS.widgets(wb)
        assert "Source" not in labels(ui) and "from the board" not in words(ui)
        one(ui, "Dropdown", "Lead").value = 0
        assert seen[-1] == ("DCS", "DCS"), "on_load is called with the record shown"
        one(ui, "Textarea", "About").value = "Chairs the board"
        button(ui, "Save changes").click()
        assert (saved(wb).leads[0].about, saved(wb).leads[0].source) == ("Chairs the board", "from the board")

    def test_options_that_follow_the_plan_follow_a_change_saved_elsewhere(self, wb: Workbook) -> None:
        ui = LEADS.widgets(wb)
        topic = one(ui, "Dropdown", "Topic")
        assert topic.options == (("No topic", ""),)
        topics = saved_text(
            wb,
            "Topics (one per line)",
            lambda plan: "\n".join(plan.toy.topics),
            lambda plan, text: setattr(plan.toy, "topics", text.split()),
            "the topics",
        )
        topics.value = "data\nmoney"
        assert topic.options == (("No topic", ""), ("data", "data"), ("money", "money"))
        topic.value = "money"
        one(ui, "Text", "Name").value = "Finance lead"
        button(ui, "Add lead").click()
        assert saved(wb).leads[0].topic == "money"

    def test_suggestions_follow_another_field_and_free_text_is_saved(self, wb: Workbook) -> None:
        wb.edit(lambda plan: plan.toy.topics.extend(["data", "money"]))
        ui = LEADS.widgets(wb)
        measure = one(ui, "Combobox", "Measure")
        assert measure.options == () and "Suggestions for no topic." in words(ui)
        one(ui, "Dropdown", "Topic").value = "data"
        assert measure.options == ("Records shared", "Dashboards used") and "Suggestions for data." in words(ui)
        measure.value = "A measure of our own"
        one(ui, "Text", "Name").value = "Analyst"
        button(ui, "Add lead").click()
        assert (saved(wb).leads[0].topic, saved(wb).leads[0].measure) == ("data", "A measure of our own")
        assert measure.value == "" and measure.options == (), "the blank form follows its blank topic"
        one(ui, "Dropdown", "Lead").value = 0
        assert measure.value == "A measure of our own" and measure.options == ("Records shared", "Dashboards used")

    def test_help_is_shown_under_a_scale_and_rows_set_a_long_box(self, wb: Workbook) -> None:
        ui = LEADS.widgets(wb)
        score = one(ui, "ToggleButtons", "Score")
        parts = list(ui.children)
        assert "How much the lead matters." in parts[parts.index(score) + 2].value  # after the point's meaning
        assert score.style.button_width == "70px" and score.style.description_width == "initial"
        assert one(ui, "Textarea", "About").rows == 3
        score.value = 2
        one(ui, "Text", "Name").value = "Head of health visiting"
        button(ui, "Add lead").click()
        assert saved(wb).leads[0].score == 2

    def test_the_editor_is_there_for_a_product_that_needs_it(self, wb: Workbook) -> None:
        editor = LEADS.editor(wb)
        ui = editor.box()
        assert one(ui, "Text", "Name") is editor.form.controls["name"]
        editor.form.controls["name"].value = "Midwife"
        button(ui, "Add lead").click()
        assert saved(wb).leads[0].name == "Midwife"


class TestRating:
    def test_the_chosen_point_is_explained(self) -> None:
        control = rating_control(SCALE, "Influence", {1: "can change little", 5: "can change a lot"}, value=3)
        assert control.value == 3 and control.meaning.value == ""
        control.value = 5
        assert "can change a lot" in control.meaning.value
        assert [o[1] for o in control.control.options] == [1, 2, 3, 4, 5]

    def test_unrated_is_a_choice_when_the_scale_has_it(self) -> None:
        control = rating_control(Scale(((1, "low"), (2, "high"))), "Rating")
        assert control.control.options[0] == ("Not rated", 0) and control.value == 0
        assert "Choose the point" in control.meaning.value


class TestSavedText:
    def test_each_change_is_saved_and_a_refusal_shows_what_is_saved(self, wb: Workbook) -> None:
        box = saved_text(
            wb, "Notes", lambda plan: plan.toy.notes, lambda plan, t: setattr(plan.toy, "notes", t), "the notes"
        )
        box.value = "Agreed to meet monthly"
        assert saved(wb).notes == "Agreed to meet monthly"
        box.value = "x" * 6000  # longer than a long text may be
        assert "Not saved" in wb.status.value
        assert box.value == "Agreed to meet monthly" and saved(wb).notes == "Agreed to meet monthly"

    def test_a_date_is_saved_and_a_refused_one_shows_the_saved_date(self, wb: Workbook) -> None:
        picker = saved_text(wb, "Met on", lambda plan: plan.toy.met, set_met, "the meeting date", kind="date")
        assert type(picker).__name__ == "DatePicker" and picker.description == "Met on"
        picker.value = date(2026, 5, 1)
        assert saved(wb).met == date(2026, 5, 1) and "Saved the meeting date" in wb.status.value
        picker.value = date(1999, 1, 1)
        assert "Not saved" in wb.status.value and "2000 or later" in wb.status.value
        assert picker.value == date(2026, 5, 1) and saved(wb).met == date(2026, 5, 1)

    def test_one_line_of_text(self, wb: Workbook) -> None:
        box = saved_text(
            wb,
            "Decision",
            lambda plan: plan.toy.decision,
            lambda p, t: setattr(p.toy, "decision", t),
            "it",
            kind="text",
        )
        assert type(box).__name__ == "Text"
        box.value = "adopt"
        assert saved(wb).decision == "adopt"

    def test_reload_shows_what_is_saved_without_saving(self, wb: Workbook) -> None:
        box = saved_text(
            wb, "Notes", lambda plan: plan.toy.notes, lambda plan, t: setattr(plan.toy, "notes", t), "the notes"
        )
        box.value = "First go"
        wb.edit(lambda plan: setattr(plan.toy, "notes", "Changed by another exercise"), "a change elsewhere")
        on_disk, status = wb.store.path_for(CODE).read_bytes(), wb.status.value
        box.reload()
        assert box.value == "Changed by another exercise"
        assert wb.store.path_for(CODE).read_bytes() == on_disk and wb.status.value == status, "nothing saved"


class TestChoiceWithNote:
    def test_choice_and_note_are_saved(self, wb: Workbook) -> None:
        def set_choice(plan, value):
            if value == "never":
                raise ValueError("not that one")
            plan.toy.decision = value

        box = choice_with_note(
            wb,
            [("Adopt", "adopt"), ("Set aside", "set aside"), ("Never", "never")],
            "Decision",
            "Why",
            lambda plan: (plan.toy.decision or "adopt", plan.toy.notes),
            set_choice,
            lambda plan, t: setattr(plan.toy, "notes", t),
            "the principle",
        )
        choice, note = box.children
        choice.value = "set aside"
        note.value = "Covered elsewhere"
        assert (saved(wb).decision, saved(wb).notes) == ("set aside", "Covered elsewhere")
        choice.value = "never"
        assert "not that one" in wb.status.value and choice.value == "set aside"

    def test_tooltips_and_the_words_of_the_status_line(self, wb: Workbook) -> None:
        box = choice_with_note(
            wb,
            [("Adopt", "adopt"), ("Set aside", "set aside")],
            "Decision",
            "Our commitment",
            lambda plan: (plan.toy.decision or "adopt", plan.toy.notes),
            lambda plan, value: setattr(plan.toy, "decision", value),
            lambda plan, text: setattr(plan.toy, "notes", text),
            tooltips=["Keep it", "Leave it out"],
            choice_what="the decision for 'Shared outcomes'",
            note_what="the commitment for 'Shared outcomes'",
        )
        choice, note = box.children
        assert choice.tooltips == ("Keep it", "Leave it out")
        choice.value = "set aside"
        assert "Saved the decision for 'Shared outcomes'" in html.unescape(wb.status.value)
        note.value = "Review in March"
        assert "Saved the commitment for 'Shared outcomes'" in html.unescape(wb.status.value)
        assert (saved(wb).decision, saved(wb).notes) == ("set aside", "Review in March")

    def test_a_tick_box_with_a_note(self, wb: Workbook) -> None:
        box = choice_with_note(
            wb,
            (),
            "Bookmark",
            "Team note",
            lambda plan: (plan.toy.bookmarked, plan.toy.notes),
            lambda plan, ticked: setattr(plan.toy, "bookmarked", ticked),
            lambda plan, text: setattr(plan.toy, "notes", text),
            kind="check",
            choice_what=lambda ticked: f"{'a bookmark on' if ticked else 'removal of the bookmark on'} 'Marmot'",
            note_what="the note on 'Marmot'",
        )
        tick, note = box.children
        assert type(tick).__name__ == "Checkbox" and tick.description == "Bookmark" and tick.value is False
        tick.value = True
        assert saved(wb).bookmarked is True and "Saved a bookmark on 'Marmot'" in html.unescape(wb.status.value)
        note.value = "Read before the board"
        assert saved(wb).notes == "Read before the board" and "the note on 'Marmot'" in html.unescape(wb.status.value)
        tick.value = False
        assert saved(wb).bookmarked is False and "removal of the bookmark on 'Marmot'" in html.unescape(wb.status.value)
        note.value = "x" * 6000
        assert "Not saved" in wb.status.value and note.value == "Read before the board"


class TestExercise:
    def test_widgets_in_a_workshop_and_the_saved_view_in_a_batch_run(self, tmp_path: Path) -> None:
        exercise = Exercise(
            static=lambda plan: display.paragraph(f"{len(plan.toy.contacts)} contact(s)"),
            widgets=CONTACTS.widgets,
            doc="Keep the list of contacts.",
        )
        store = PlanStore(tmp_path, PLAN)
        store.update(CODE, lambda plan: plan.toy.contacts.append(Contact(role="DPH")))
        batch = Workbook(find_area(CODE), store, interactive=False)
        assert exercise(batch).text == "1 contact(s)"
        workshop = Workbook(find_area(CODE), store, interactive=True)
        assert type(exercise(workshop)).__name__ == "VBox"
        assert exercise.__doc__ == "Keep the list of contacts."
