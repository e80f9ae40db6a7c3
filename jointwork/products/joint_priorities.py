"""Product 6, "What might our joint priorities be?": a starter set of principles for joint working.

Each starter principle comes with cited examples of effective practice. The team decides whether to
adopt it as it stands, adapt it (reword it for local use) or set it aside, ranks the principles it
keeps, records what the partners commit to under each, and gets a draft joint working agreement as
an HTML document and as Markdown text to paste into a document.

The starter principles are the project's reconstruction: the 2007-08 working group's wording was not
found. Every output that shows them says so.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .. import display
from ..content import Entry, ProductContent, load_content
from ..plan import JointPrioritiesSection, Plan, PrincipleChoice

if TYPE_CHECKING:
    from ..areas import Area
    from ..workbook import Workbook

SLUG = "joint_priorities"
DECISIONS = ("adopt", "adapt", "set aside")
INCLUDED = ("adopt", "adapt")
DECISION_LABEL: dict[str | None, str] = {"adopt": "adopted", "adapt": "adapted", "set aside": "set aside",
                                         None: "not decided yet"}
MAX_RANK = 50
MAX_SHORT = 200
RECONSTRUCTION = ("The starter principles are a reconstruction. The 2007-08 toolkit offered principles for joint "
                  "working, drafted by a joint health and local authority working group, as a \"starter for 10\"; "
                  "their wording was not found. The principles here were written for this workbook from the "
                  "sources cited and are marked [unverified]. The practice examples under them are real and cited.")
DRAFT_LABEL = "DRAFT, for discussion: not yet agreed or signed by any party."
ILLUSTRATIVE = ("ILLUSTRATIVE: this agreement comes from a sample plan made up to show how the workbook works. "
                "It is not the view of anyone in this area.")
PURPOSE = ("The parties agree to work together on children's centres and family hubs by the principles below, "
           "in the order of priority they have agreed, and to do what each principle commits them to.")
THEN_AND_NOW = ("Then and now: in 2007-08 the NHS party would have been the primary care trust (PCT). PCTs were "
                "abolished in 2013; integrated care boards (ICBs) have held NHS commissioning for the area since "
                "July 2022, and the council's public health team commissions health visiting and school nursing.")


def content() -> ProductContent:
    return load_content(6)


def principles() -> list[Entry]:
    """The starter principles, in the content's order."""
    return content().group("principles")


def principle_titles() -> dict[str, str]:
    return {p.id: p.get("title") for p in principles()}


def practice_examples() -> dict[str, Entry]:
    return {e.id: e for e in content().group("practice_examples")}


def check(section: JointPrioritiesSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Choices must name starter principles that exist, each once; ranks must differ among the kept ones."""
    known = principle_titles()
    expected = "one of the starter principle ids: " + ", ".join(known)
    first_at: dict[str, int] = {}
    rank_at: dict[int, int] = {}
    for i, choice in enumerate(section.choices):
        if choice.principle not in known:
            yield ("choices", i, "principle"), expected
        elif choice.principle in first_at:
            yield (("choices", i, "principle"), f"each principle at most once ({choice.principle!r} is already "
                                                f"at choices[{first_at[choice.principle]}])")
        else:
            first_at[choice.principle] = i
        if choice.decision in INCLUDED and choice.rank is not None:
            if choice.rank in rank_at:
                yield (("choices", i, "rank"),
                       f"a rank no other adopted or adapted principle has (rank {choice.rank} is also at "
                       f"choices[{rank_at[choice.rank]}])")
            else:
                rank_at[choice.rank] = i


# ---- Reading the section --------------------------------------------------------------------
def choice_for(section: JointPrioritiesSection, principle_id: str) -> PrincipleChoice | None:
    return next((c for c in section.choices if c.principle == principle_id), None)


def wording(principle: Entry, choice: PrincipleChoice | None) -> str:
    """The words the agreement uses: the team's own when adapting, otherwise the starter text."""
    if choice is not None and choice.decision == "adapt" and choice.local_wording:
        return choice.local_wording
    return principle.text


def decision_counts(section: JointPrioritiesSection) -> dict[str | None, int]:
    """How many principles are adopted, adapted, set aside and not decided yet."""
    counts: dict[str | None, int] = {d: 0 for d in (*DECISIONS, None)}
    for principle in principles():
        choice = choice_for(section, principle.id)
        counts[choice.decision if choice else None] += 1
    return counts


def agreed(section: JointPrioritiesSection) -> list[tuple[Entry, PrincipleChoice]]:
    """Adopted and adapted principles in priority order: ranked ones by rank, then unranked in content order."""
    kept = [(p, c) for p in principles() if (c := choice_for(section, p.id)) and c.decision in INCLUDED]
    order = {p.id: i for i, p in enumerate(principles())}
    return sorted(kept, key=lambda pc: (pc[1].rank is None, pc[1].rank or 0, order[pc[0].id]))


def set_aside(section: JointPrioritiesSection) -> list[tuple[Entry, PrincipleChoice]]:
    return [(p, c) for p in principles() if (c := choice_for(section, p.id)) and c.decision == "set aside"]


def _counts_text(section: JointPrioritiesSection) -> str:
    counts = decision_counts(section)
    return (f"{counts['adopt']} adopted, {counts['adapt']} adapted, {counts['set aside']} set aside, "
            f"{counts[None]} not decided yet")


def _example_places(principle: Entry) -> str:
    examples = practice_examples()
    return "; ".join(f"{examples[e].get('place')}: {examples[e].get('title')}" for e in principle.get("examples", []))


def _full_citation(entry: Entry) -> list[tuple[str, str]]:
    """(citation, address) for each source of an entry: publisher (year), 'title'."""
    c = content()
    cited = []
    for key in entry.source_keys:
        src = c.sources[key]
        year = f" ({src.year})" if src.year else ""
        cited.append((f"{src.publisher}{year}, \"{src.title}\"", src.url or src.archived_url or ""))
    return cited


# ---- Reference content ----------------------------------------------------------------------
def reconstruction_notice() -> display.Html:
    return display.notice(RECONSTRUCTION, "warning")


def principles_table() -> display.Html:
    """The starter principles with why they matter, how things stand today and the examples under each."""
    c = content()
    rows = [{"Principle": p.get("title"), "Starter wording": p.text, "Why it matters": p.get("why"),
             "Today (family hubs, ICBs)": p.get("today"), "Practice examples": _example_places(p),
             "Source": c.cite(p)} for p in principles()]
    return display.join([reconstruction_notice(),
                         display.table(rows, f"{len(rows)} starter principles for joint working (a reconstruction)")])


def practice_examples_table() -> display.Html:
    """The cited examples of effective practice and the principles each one illustrates."""
    c = content()
    used_by: dict[str, list[str]] = {}
    for p in principles():
        for e in p.get("examples", []):
            used_by.setdefault(e, []).append(p.get("title"))
    rows = [{"Place": e.get("place"), "Year": e.get("year") or "not stated", "Example": e.get("title"),
             "What happened": e.text, "Illustrates": "; ".join(used_by.get(e.id, [])), "Source": c.cite(e)}
            for e in practice_examples().values()]
    return display.table(rows, "Examples of effective practice, with their sources")


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return content().sources_table()


# ---- Outputs from the plan -----------------------------------------------------------------
def decisions_table(plan: Plan) -> display.Html:
    """Every starter principle with the team's decision, rank, wording and commitment (or reason)."""
    section: JointPrioritiesSection = plan.section(SLUG)
    if not section.choices:
        return display.notice("No decisions yet: adopt, adapt or set aside the starter principles above "
                              "and they appear here.")
    rows = []
    for p in principles():
        choice = choice_for(section, p.id)
        decision = choice.decision if choice else None
        if decision == "adapt":
            used = wording(p, choice) if wording(p, choice) != p.text else "starter wording (not yet reworded)"
        else:
            used = "starter wording" if decision == "adopt" else ""
        note = ""
        if choice and decision in INCLUDED:
            note = choice.commitment or "no commitment recorded yet"
        elif choice and decision == "set aside":
            note = f"Reason: {choice.reason}" if choice.reason else "no reason recorded"
        rows.append({"Principle": p.get("title"), "Decision": DECISION_LABEL[decision],
                     "Rank": (choice.rank if choice and decision in INCLUDED and choice.rank else ""),
                     "Wording used": used, "Commitment (or reason set aside)": note})
    return display.table(rows, f"Decisions on the {len(rows)} starter principles: {_counts_text(section)}")


def default_title(area: "Area") -> str:
    return f"Joint working agreement for children's centres and family hubs in {area.name}"


def parties(area: "Area") -> list[str]:
    """The local authority and the ICB(s) the area sits in, from the area tables."""
    found = [f"{area.name} local authority ({area.code}), including its public health team"]
    for link in area.icbs:
        share = (f", covering about {link.lsoa_share:.0%} of the area"
                 if not area.single_icb and link.lsoa_share is not None else "")
        found.append(f"{link.name} (integrated care board, {link.code}{share})")
    return found


def _area(plan: Plan, area: "Area | None") -> "Area":
    if area is not None:
        return area
    from ..areas import find_area

    return find_area(plan.area_code)


def _numbered_examples(kept: Sequence[tuple[Entry, PrincipleChoice]]) -> dict[str, int]:
    """Example id -> reference number, in order of first use by the kept principles."""
    numbers: dict[str, int] = {}
    for principle, _choice in kept:
        for example in principle.get("examples", []):
            numbers.setdefault(example, len(numbers) + 1)
    return numbers


def _how_kept(principle: Entry, choice: PrincipleChoice) -> str:
    if choice.decision == "adopt":
        return "Starter principle adopted as it stands."
    if wording(principle, choice) == principle.text:
        return "To be adapted: the wording has not been changed from the starter principle yet."
    return "Adapted locally from the starter principle."


def _multiline(text: str) -> display.Html:
    return display.Html("<p>" + display.esc(text).replace("\n", "<br>") + "</p>", text)


def agreement(plan: Plan, area: "Area | None" = None) -> display.Html:
    """The draft joint working agreement as a readable HTML document (area defaults to the plan's)."""
    section: JointPrioritiesSection = plan.section(SLUG)
    if not section.choices:
        return display.notice("No agreement yet: adopt or adapt at least one starter principle and the draft "
                              "joint working agreement appears here.")
    area = _area(plan, area)
    kept = agreed(section)
    numbers = _numbered_examples(kept)
    examples = practice_examples()
    blocks = [display.notice(DRAFT_LABEL, "warning")]
    if plan.illustrative:
        blocks.append(display.notice(ILLUSTRATIVE, "warning"))
    blocks += [display.heading(section.agreement_title or default_title(area), 3),
               display.paragraph(f"Area: {area.name} ({area.code}), {area.region}."),
               display.heading("Parties", 4), display.bullet_list(parties(area)),
               display.Html(f'<p style="font-size:smaller">{display.esc(THEN_AND_NOW)}</p>', THEN_AND_NOW),
               display.heading("What we agree", 4)]
    if kept:
        blocks.append(display.paragraph(PURPOSE))
        ranked = [pc for pc in kept if pc[1].rank is not None]
        unranked = [pc for pc in kept if pc[1].rank is None]
        for position, (principle, choice) in enumerate(ranked, start=1):
            blocks += _principle_blocks(f"{position}. {principle.get('title')}", principle, choice, numbers, examples)
        if unranked:
            blocks.append(display.heading("Also agreed, not yet ranked", 5))
            for principle, choice in unranked:
                blocks += _principle_blocks(principle.get("title"), principle, choice, numbers, examples)
        blocks.append(display.heading("Examples of practice this agreement draws on", 4))
        items = []
        for example_id, number in numbers.items():
            example = examples[example_id]
            year = f" ({example.get('year')})" if example.get("year") else ""
            cited = "; ".join(display.esc(text) + (f' <a href="{display.esc(url)}">{display.esc(url)}</a>'
                                                   if url else "") for text, url in _full_citation(example))
            items.append(f"<li>[{number}] <strong>{display.esc(example.get('place'))}{display.esc(year)}</strong>: "
                         f"{display.esc(example.get('title'))}. Source: {cited}</li>")
        blocks.append(display.Html(f"<ul style=\"list-style:none;padding-left:0\">{''.join(items)}</ul>"))
    else:
        blocks.append(display.notice("No principles adopted or adapted yet: only principles set aside are recorded."))
    blocks.append(display.heading("Signatories", 4))
    rows = [{"Role": role, "Name": "", "Signature": "", "Date": ""} for role in section.signatories]
    blocks.append(display.table(rows, "To be signed, when agreed, by", empty="no signatories named yet."))
    blocks.append(display.heading("Principles set aside", 4))
    aside = set_aside(section)
    blocks.append(display.bullet_list([p.get("title") + (f": {c.reason}" if c.reason else "") for p, c in aside])
                  if aside else display.paragraph("None."))
    blocks.append(display.Html(f'<p style="font-size:smaller">{display.esc(RECONSTRUCTION)}</p>', RECONSTRUCTION))
    body = display.join(blocks)
    markup = (f'<article class="jw-agreement" style="border:1px solid #b1b4b6;padding:8px 16px;max-width:860px">'
              f"{body.markup}</article>")
    return display.Html(markup, agreement_markdown(plan, area))


def _principle_blocks(heading: str, principle: Entry, choice: PrincipleChoice, numbers: dict[str, int],
                      examples: dict[str, Entry]) -> list[display.Html]:
    refs = "; ".join(f"{examples[e].get('place')} [{numbers[e]}]" for e in principle.get("examples", []))
    commitment = choice.commitment or "not yet agreed"
    return [display.heading(heading, 5), _multiline(wording(principle, choice)),
            display.Html(f"<p><strong>Our commitment:</strong> {display.esc(commitment).replace(chr(10), '<br>')}</p>",
                         f"Our commitment: {commitment}"),
            display.Html(f'<p style="font-size:smaller">{display.esc(_how_kept(principle, choice))} '
                         f"Draws on: {display.esc(refs)}.</p>", f"{_how_kept(principle, choice)} Draws on: {refs}.")]


# ---- Markdown export ------------------------------------------------------------------------
_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_<|"})
_MD_LINE_START = re.compile(r"^(\s*\d*)([#>+=.)-])")


def _md(text: str) -> str:
    """A line of the team's text with what Markdown would read as markup escaped."""
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text.translate(_MD_SPECIAL))


def _md_inline(text: str) -> str:
    """Text for one line of Markdown: line breaks become spaces."""
    return _md(" ".join(text.split()))


def _md_block(text: str) -> str:
    """The team's text as Markdown paragraphs, one for each line they wrote."""
    return "\n\n".join(_md(line.strip()) for line in text.splitlines() if line.strip())


def agreement_markdown(plan: Plan, area: "Area | None" = None) -> str:
    """The draft joint working agreement as Markdown text, for teams to paste into a document."""
    section: JointPrioritiesSection = plan.section(SLUG)
    area = _area(plan, area)
    kept = agreed(section)
    numbers = _numbered_examples(kept)
    examples = practice_examples()
    lines = [f"# {_md_inline(section.agreement_title or default_title(area))}", "", f"**{DRAFT_LABEL}**", ""]
    if plan.illustrative:
        lines += [f"> {ILLUSTRATIVE}", ""]
    lines += [f"**Area:** {_md_inline(area.name)} ({area.code}), {_md_inline(area.region)}.", "", "## Parties", ""]
    lines += [f"- {_md_inline(p)}" for p in parties(area)]
    lines += ["", f"*{THEN_AND_NOW}*", "", "## What we agree", ""]
    if kept:
        lines += [PURPOSE, ""]
        ranked = [pc for pc in kept if pc[1].rank is not None]
        unranked = [pc for pc in kept if pc[1].rank is None]
        for position, (principle, choice) in enumerate(ranked, start=1):
            lines += _principle_markdown(f"{position}. {_md_inline(principle.get('title'))}", principle, choice,
                                         numbers, examples)
        if unranked:
            lines += ["### Also agreed, not yet ranked", ""]
            for principle, choice in unranked:
                lines += _principle_markdown(_md_inline(principle.get("title")), principle, choice, numbers, examples,
                                             level=4)
        lines += ["## Examples of practice this agreement draws on", ""]
        for example_id, number in numbers.items():
            example = examples[example_id]
            year = f" ({example.get('year')})" if example.get("year") else ""
            cited = "; ".join(_md_inline(text) + (f" <{url}>" if url else "") for text, url in _full_citation(example))
            lines.append(f"{number}. **{_md_inline(example.get('place'))}{year}**: {_md_inline(example.get('title'))}. "
                         f"Source: {cited}")
        lines.append("")
    else:
        lines += ["No principles adopted or adapted yet: only principles set aside are recorded.", ""]
    lines += ["## Signatories", ""]
    if section.signatories:
        lines += ["| Role | Name | Signature | Date |", "| --- | --- | --- | --- |"]
        lines += [f"| {_md_inline(role)} |  |  |  |" for role in section.signatories]
    else:
        lines.append("No signatories named yet.")
    lines += ["", "## Principles set aside", ""]
    aside = set_aside(section)
    lines += [f"- {_md_inline(p.get('title'))}" + (f": {_md_inline(c.reason)}" if c.reason else "") for p, c in aside]
    if not aside:
        lines.append("None.")
    lines += ["", "---", "", f"*{RECONSTRUCTION}*", ""]
    return "\n".join(lines)


def _principle_markdown(heading: str, principle: Entry, choice: PrincipleChoice, numbers: dict[str, int],
                        examples: dict[str, Entry], level: int = 3) -> list[str]:
    refs = "; ".join(f"{_md_inline(examples[e].get('place'))} [{numbers[e]}]" for e in principle.get("examples", []))
    commitment = _md_block(choice.commitment) if choice.commitment else "not yet agreed"
    commitment = f"**Our commitment:**{chr(10) * 2 if chr(10) in commitment else ' '}{commitment}"
    return [f"{'#' * level} {heading}", "", _md_block(wording(principle, choice)), "", commitment, "",
            f"*{_how_kept(principle, choice)} Draws on: {refs}.*", ""]


def export_filename(plan: Plan) -> str:
    return f"{plan.area_code}-joint-working-agreement-draft.md"


def agreement_export(plan: Plan) -> display.Html:
    """A download link for the agreement as Markdown, and the text itself to copy."""
    if not plan.section(SLUG).choices:
        return display.notice("Nothing to export yet: the Markdown version appears with the draft agreement.")
    text = agreement_markdown(plan)
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    name = export_filename(plan)
    markup = (f'<p><a download="{display.esc(name)}" href="data:text/markdown;charset=utf-8;base64,{encoded}">'
              f"Download the draft agreement as Markdown ({display.esc(name)})</a></p>"
              "<details><summary>Show the Markdown text to copy</summary>"
              f'<pre style="white-space:pre-wrap;max-width:860px">{display.esc(text)}</pre></details>')
    return display.Html(markup, text)


# ---- Plan edits (used by the widgets, the app and tests) --------------------------------------
def _known(principle_id: str) -> Entry:
    for principle in principles():
        if principle.id == principle_id:
            return principle
    raise ValueError(f"there is no starter principle with the id {principle_id!r}")


def _editable(plan: Plan, principle_id: str) -> tuple[Entry, PrincipleChoice]:
    """The principle and its choice, created (undecided) if the team has not touched it yet."""
    principle = _known(principle_id)
    section: JointPrioritiesSection = plan.section(SLUG)
    choice = choice_for(section, principle_id)
    if choice is None:
        choice = PrincipleChoice(principle=principle_id)
        section.choices.append(choice)
    return principle, choice


def _tidy(plan: Plan) -> None:
    """Drop choices that hold nothing (an undecided principle with no text), keeping the file short."""
    section: JointPrioritiesSection = plan.section(SLUG)
    section.choices = [c for c in section.choices if c != PrincipleChoice(principle=c.principle)]


def _check_length(text: str, what: str, limit: int = 5000) -> str:
    text = text.strip()
    if len(text) > limit:
        raise ValueError(f"{what} is {len(text)} characters long; the most it can hold is {limit}")
    return text


def set_decision(plan: Plan, principle_id: str, decision: str | None) -> None:
    """Adopt, adapt or set aside a principle (``None`` or "" = not decided yet).

    Adapting starts from the starter wording when the team has none yet; a principle that is set aside or
    undecided loses its rank, so ranks stay unique among the principles kept.
    """
    decision = decision or None
    if decision is not None and decision not in DECISIONS:
        raise ValueError(f"a decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    principle, choice = _editable(plan, principle_id)
    choice.decision = decision
    if decision == "adapt" and not choice.local_wording:
        choice.local_wording = principle.text
    taken = {c.rank for c in plan.section(SLUG).choices if c is not choice and c.decision in INCLUDED}
    if decision not in INCLUDED or choice.rank in taken:  # a stale rank from a hand-edited file
        choice.rank = None
    _tidy(plan)


def set_local_wording(plan: Plan, principle_id: str, text: str) -> None:
    """The team's own wording for a principle it is adapting."""
    principle, choice = _editable(plan, principle_id)
    if choice.decision != "adapt":
        raise ValueError(f"choose Adapt for '{principle.get('title')}' before rewording it")
    text = _check_length(text, "the local wording")
    if not text:
        raise ValueError(f"the local wording of '{principle.get('title')}' cannot be blank; "
                         "choose Adopt to use the starter wording as it stands")
    choice.local_wording = text


def set_rank(plan: Plan, principle_id: str, rank: int | None) -> None:
    """A principle's priority (1 = highest) among the adopted and adapted ones; ``None`` or 0 clears it."""
    principle, choice = _editable(plan, principle_id)
    rank = rank or None
    if rank is not None:
        if choice.decision not in INCLUDED:
            raise ValueError(f"only adopted or adapted principles are ranked; '{principle.get('title')}' is "
                             f"{DECISION_LABEL[choice.decision]}")
        if not 1 <= rank <= MAX_RANK:
            raise ValueError(f"a rank is a whole number from 1 to {MAX_RANK}, got {rank}")
        for other in plan.section(SLUG).choices:
            if other is not choice and other.decision in INCLUDED and other.rank == rank:
                raise ValueError(f"rank {rank} is already given to '{principle_titles()[other.principle]}'; "
                                 "choose another rank or clear that one first")
    choice.rank = rank
    _tidy(plan)


def renumber_ranks(plan: Plan) -> None:
    """Rank the kept principles 1, 2, 3... in their current order (unranked ones go last, in content order)."""
    for position, (_principle, choice) in enumerate(agreed(plan.section(SLUG)), start=1):
        choice.rank = position


def set_commitment(plan: Plan, principle_id: str, text: str) -> None:
    """What the partners commit to do under a principle."""
    _principle, choice = _editable(plan, principle_id)
    choice.commitment = _check_length(text, "the commitment")
    _tidy(plan)


def set_reason(plan: Plan, principle_id: str, text: str) -> None:
    """Why a principle was set aside (optional)."""
    _principle, choice = _editable(plan, principle_id)
    choice.reason = _check_length(text, "the reason")
    _tidy(plan)


def set_agreement_title(plan: Plan, title: str) -> None:
    plan.section(SLUG).agreement_title = _check_length(title, "the title", MAX_SHORT)


def set_signatories(plan: Plan, roles: str | Sequence[str]) -> None:
    """The roles that will sign the agreement: a list, or text with one role per line."""
    lines = roles.splitlines() if isinstance(roles, str) else list(roles)
    cleaned: list[str] = []
    for line in lines:
        role = _check_length(line, "a signatory's role", MAX_SHORT)
        if not role:
            continue
        if role in cleaned:
            raise ValueError(f"the signatory {role!r} is listed twice")
        cleaned.append(role)
    plan.section(SLUG).signatories = cleaned


# ---- Workshop ------------------------------------------------------------------------------
def exercise(wb: "Workbook") -> Any:
    """Decide on each principle: widgets in a workshop, a summary of what is saved in a batch run."""
    if not wb.interactive:
        section: JointPrioritiesSection = wb.plan.section(SLUG)
        if not section.choices:
            return display.paragraph("No decisions recorded yet.")
        return display.paragraph(f"Decisions recorded on the {len(principles())} starter principles: "
                                 f"{_counts_text(section)}. See the table below.")
    return _principle_widgets(wb)


def agreement_exercise(wb: "Workbook") -> Any:
    """The agreement's title and signatories: a form in a workshop, what is saved in a batch run."""
    if not wb.interactive:
        section: JointPrioritiesSection = wb.plan.section(SLUG)
        title = section.agreement_title or f"not set (the default is \"{default_title(wb.area)}\")"
        return display.join([display.paragraph(f"Agreement title: {title}."),
                             display.paragraph("Signatories: " + ("; ".join(section.signatories) or "none named yet")
                                               + ".")])
    return _agreement_widgets(wb)


DECISION_OPTIONS = [("Not decided", ""), ("Adopt", "adopt"), ("Adapt", "adapt"), ("Set aside", "set aside")]
DECISION_TIPS = ["No decision yet", "Keep the starter wording as it stands",
                 "Keep the principle, reworded for local use", "Leave this principle out of the agreement"]


def _principle_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    loading = {"now": False}
    examples = practice_examples()
    controls: dict[str, dict[str, Any]] = {}
    boxes = []
    for principle in principles():
        decision = w.ToggleButtons(options=DECISION_OPTIONS, value="", tooltips=DECISION_TIPS)
        labelled(decision, "Decision")
        local = w.Textarea(continuous_update=False, layout=w.Layout(width="100%", height="90px"))
        labelled(local, "Our wording")
        rank = w.Dropdown(layout=w.Layout(width="220px"))
        labelled(rank, "Rank")
        commitment = w.Textarea(placeholder="What will the partners do, by when, and who leads?",
                                continuous_update=False, layout=w.Layout(width="100%"))
        labelled(commitment, "Our commitment")
        reason = w.Textarea(placeholder="Why is this principle set aside? (optional)", continuous_update=False,
                            layout=w.Layout(width="100%"))
        labelled(reason, "Why set aside")
        wording_box = w.VBox([help_text("Reword the principle for local use. It starts from the starter wording."),
                              local])
        kept_box = w.VBox([rank, commitment])
        controls[principle.id] = {"decision": decision, "local": local, "rank": rank, "commitment": commitment,
                                  "reason": reason, "wording_box": wording_box, "kept_box": kept_box}
        example_text = "; ".join(f"{examples[e].get('place')} ({examples[e].get('title')})"
                                 for e in principle.get("examples", []))
        intro = w.HTML(f"<p><strong>{display.esc(principle.get('title'))}</strong> "
                       f"<em>[starter principle, unverified reconstruction]</em></p>"
                       f"<p>{display.esc(principle.text)}</p>"
                       f"<p><strong>Why it matters:</strong> {display.esc(principle.get('why'))}</p>"
                       f"<p><strong>Today:</strong> {display.esc(principle.get('today'))}</p>"
                       f"<p><strong>Practice examples:</strong> {display.esc(example_text)}</p>")
        boxes.append(w.VBox([intro, decision, wording_box, kept_box, reason],
                            layout=w.Layout(border="1px solid #ccc", padding="6px")))
    accordion = w.Accordion(children=boxes)

    def rank_options() -> list[tuple[str, int]]:
        highest = max([len(principles())] + [c.rank or 0 for c in wb.plan.section(SLUG).choices])
        return [("Not ranked", 0)] + [(str(n), n) for n in range(1, highest + 1)]

    def show(principle_id: str) -> None:
        """Set one principle's controls from the saved plan."""
        loading["now"] = True
        try:
            parts = controls[principle_id]
            choice = choice_for(wb.plan.section(SLUG), principle_id)
            decided = choice.decision if choice else None
            parts["decision"].value = decided or ""
            parts["local"].value = choice.local_wording if choice else ""
            parts["rank"].options = rank_options()
            parts["rank"].value = (choice.rank or 0) if choice else 0
            parts["commitment"].value = choice.commitment if choice else ""
            parts["reason"].value = choice.reason if choice else ""
            parts["wording_box"].layout.display = None if decided == "adapt" else "none"
            parts["kept_box"].layout.display = None if decided in INCLUDED else "none"
            parts["reason"].layout.display = None if decided == "set aside" else "none"
            index = list(controls).index(principle_id)
            ranked = f", rank {choice.rank}" if choice and decided in INCLUDED and choice.rank else ""
            accordion.set_title(index, f"{principle_titles()[principle_id]} ({DECISION_LABEL[decided]}{ranked})")
        finally:
            loading["now"] = False

    def show_all() -> None:
        for principle_id in controls:
            show(principle_id)

    def change(principle_id: str, edit: Any, value: Any, what: str) -> None:
        if loading["now"]:
            return
        wb.edit(lambda plan: edit(plan, principle_id, value), f"{what} for '{principle_titles()[principle_id]}'")
        show(principle_id)  # shows what is saved, also after a refused change

    edits = {"decision": (set_decision, "the decision"), "local": (set_local_wording, "the local wording"),
             "rank": (set_rank, "the rank"), "commitment": (set_commitment, "the commitment"),
             "reason": (set_reason, "the reason")}
    for principle_id, parts in controls.items():
        for name, (edit, what) in edits.items():
            parts[name].observe(lambda c, p=principle_id, e=edit, x=what: change(p, e, c["new"], x), names="value")

    renumber = w.Button(description="Renumber ranks 1, 2, 3...", tooltip="Give the adopted and adapted principles "
                        "ranks 1, 2, 3... in their current order; unranked ones go last")

    def on_renumber(_button: Any) -> None:
        if wb.edit(renumber_ranks, "the ranks, renumbered"):
            show_all()

    renumber.on_click(on_renumber)
    show_all()
    return w.VBox([help_text("Open each starter principle, read it with its examples, and choose Adopt (keep it as "
                             "it stands), Adapt (keep it in your own words) or Set aside. Give the principles you "
                             "keep a rank, 1 for the most important, and write what the partners commit to. "
                             "Everything is saved as soon as you choose or leave a box."),
                   wb.status, accordion, renumber])


def _agreement_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, text_box

    section: JointPrioritiesSection = wb.plan.section(SLUG)
    title = text_box(section.agreement_title, "Agreement title", placeholder=default_title(wb.area))
    signatories = text_box("\n".join(section.signatories), "Signatories (one role per line)",
                           placeholder="e.g. Director of Children's Services\nICB Director of Nursing", long=True)
    loading = {"now": False}

    def reset() -> None:
        loading["now"] = True
        saved: JointPrioritiesSection = wb.plan.section(SLUG)
        title.value = saved.agreement_title
        signatories.value = "\n".join(saved.signatories)
        loading["now"] = False

    def on_title(change: dict[str, Any]) -> None:
        if not loading["now"]:
            wb.edit(lambda plan: set_agreement_title(plan, change["new"]), "the agreement title")
            reset()

    def on_signatories(change: dict[str, Any]) -> None:
        if not loading["now"]:
            wb.edit(lambda plan: set_signatories(plan, change["new"]), "the signatories")
            reset()

    title.observe(on_title, names="value")
    signatories.observe(on_signatories, names="value")
    return w.VBox([help_text("Give the agreement a title (or keep the one suggested) and list the roles that will "
                             "sign it once the partners agree it, one per line: for example the director of children's "
                             "services, the director of public health and the ICB's lead for children."),
                   title, signatories, wb.status])
