"""Product 6's document: the draft joint working agreement.

:func:`agreement_document` gathers what the agreement says as plain data (the parties, the kept
principles in priority order with their commitments, the examples they draw on, the signatories and
the principles set aside). The HTML view (:func:`agreement`) and the Markdown text
(:func:`agreement_markdown`) are both drawn from it, and other formats can be too.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...core.content import Entry
from ...core.paths import DOWNLOAD_PATH
from ...core.plan import PlanBase as Plan
from ...render import display
from ...render import document as doc
from .calculations import agreed, set_aside, wording
from .content import RECONSTRUCTION, content, practice_examples
from .edits import section
from .model import PrincipleChoice

if TYPE_CHECKING:
    from ...core.areas import Area

DRAFT_LABEL = "DRAFT, for discussion: not yet agreed or signed by any party."
ILLUSTRATIVE = (
    "ILLUSTRATIVE: this agreement comes from a sample plan made up to show how the workbook works. "
    "It is not the view of anyone in this area."
)
PURPOSE = (
    "The parties agree to work together on children's centres and family hubs by the principles below, "
    "in the order of priority they have agreed, and to do what each principle commits them to."
)
THEN_AND_NOW = (
    "Then and now: in 2007-08 the NHS party would have been the primary care trust (PCT). PCTs were "
    "abolished in 2013; integrated care boards (ICBs) have held NHS commissioning for the area since "
    "July 2022, and the council's public health team commissions health visiting and school nursing."
)
NOT_YET_AGREED = "not yet agreed"
ONLY_SET_ASIDE = "No principles adopted or adapted yet: only principles set aside are recorded."


# ---- what the agreement says, as plain data -----------------------------------------------------
@dataclass(frozen=True)
class Citation:
    """One source of an example: "publisher (year), "title"" and its web address ("" if none)."""

    text: str
    url: str


@dataclass(frozen=True)
class AgreedPrinciple:
    """A principle the parties keep: its place in the order (``None`` if not ranked yet), its words,
    what the partners commit to ("" if nothing yet), how it was kept, and the examples it draws on as
    (place, reference number)."""

    position: int | None
    title: str
    wording: str
    commitment: str
    how_kept: str
    draws_on: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ExampleReference:
    """An example of practice the agreement draws on, with its reference number and sources."""

    number: int
    place: str
    year: str
    title: str
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class SetAsidePrinciple:
    """A principle the parties left out, and why ("" if no reason was given)."""

    title: str
    reason: str


@dataclass(frozen=True)
class AgreementDocument:
    """Everything the draft agreement says, in order. ``started`` is false while the team has recorded
    nothing on the principles (the views then show a notice instead)."""

    started: bool
    illustrative: bool
    title: str
    area_name: str
    area_code: str
    region: str
    parties: tuple[str, ...]
    ranked: tuple[AgreedPrinciple, ...]
    unranked: tuple[AgreedPrinciple, ...]
    examples: tuple[ExampleReference, ...]
    signatories: tuple[str, ...]
    set_aside: tuple[SetAsidePrinciple, ...]

    @property
    def principles(self) -> tuple[AgreedPrinciple, ...]:
        """The kept principles: the ranked ones in order, then the unranked ones."""
        return self.ranked + self.unranked


def default_title(area: Area) -> str:
    """The agreement's title when the team has not given one."""
    return f"Joint working agreement for children's centres and family hubs in {area.name}"


def parties(area: Area) -> list[str]:
    """The local authority and the ICB(s) the area sits in from 1 April 2026, from the area tables."""
    found = [f"{area.name} local authority ({area.code}), including its public health team"]
    for link in area.icbs:
        share = (
            f", covering about {link.lsoa_share:.0%} of the area"
            if not area.single_icb and link.lsoa_share is not None
            else ""
        )
        if link.sliver:
            share += ", covering only a small sliver of the area"
        elif link.confidence in ("likely", "uncertain"):
            share += f"; the link is {link.confidence}, not confirmed"
        found.append(f"{link.name} (integrated care board, {link.code}{share})")
    return found


def plan_area(plan: Plan, area: Area | None = None) -> Area:
    """``area`` if given, otherwise the plan's own area."""
    if area is not None:
        return area
    from ...core.areas import find_area

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


def _citations(entry: Entry) -> tuple[Citation, ...]:
    """Each source of an entry: publisher (year), "title", with its address."""
    c = content()
    cited = []
    for key in entry.source_keys:
        src = c.sources[key]
        year = f" ({src.year})" if src.year else ""
        cited.append(Citation(f'{src.publisher}{year}, "{src.title}"', src.url or src.archived_url or ""))
    return tuple(cited)


def agreement_document(plan: Plan, area: Area | None = None) -> AgreementDocument:
    """What the draft agreement says for ``plan`` (``area`` defaults to the plan's), as plain data."""
    saved = section(plan)
    area = plan_area(plan, area)
    kept = agreed(saved)
    numbers = _numbered_examples(kept)
    examples = practice_examples()

    def principle(position: int | None, entry: Entry, choice: PrincipleChoice) -> AgreedPrinciple:
        return AgreedPrinciple(
            position,
            entry.get("title"),
            wording(entry, choice),
            choice.commitment,
            _how_kept(entry, choice),
            tuple((examples[e].get("place"), numbers[e]) for e in entry.get("examples", [])),
        )

    ranked = [pc for pc in kept if pc[1].rank is not None]
    unranked = [pc for pc in kept if pc[1].rank is None]
    return AgreementDocument(
        started=bool(saved.choices),
        illustrative=plan.illustrative,
        title=saved.agreement_title or default_title(area),
        area_name=area.name,
        area_code=area.code,
        region=area.region,
        parties=tuple(parties(area)),
        ranked=tuple(principle(n, p, c) for n, (p, c) in enumerate(ranked, start=1)),
        unranked=tuple(principle(None, p, c) for p, c in unranked),
        examples=tuple(
            ExampleReference(
                number,
                examples[e].get("place"),
                str(examples[e].get("year")) if examples[e].get("year") else "",
                examples[e].get("title"),
                _citations(examples[e]),
            )
            for e, number in numbers.items()
        ),
        signatories=tuple(saved.signatories),
        set_aside=tuple(SetAsidePrinciple(p.get("title"), c.reason) for p, c in set_aside(saved)),
    )


# ---- HTML --------------------------------------------------------------------------------------
def _small(text: str) -> display.Html:
    return display.Html(f'<p style="font-size:smaller">{display.esc(text)}</p>', text, (doc.Paragraph(text),))


def _multiline(text: str) -> display.Html:
    return display.Html("<p>" + display.esc(text).replace("\n", "<br>") + "</p>", text, (doc.Paragraph(text),))


def _principle_html(principle: AgreedPrinciple) -> list[display.Html]:
    heading = principle.title if principle.position is None else f"{principle.position}. {principle.title}"
    refs = "; ".join(f"{place} [{number}]" for place, number in principle.draws_on)
    commitment = principle.commitment or NOT_YET_AGREED
    return [
        display.heading(heading, 5),
        _multiline(principle.wording),
        display.Html(
            f"<p><strong>Our commitment:</strong> {display.esc(commitment).replace(chr(10), '<br>')}</p>",
            f"Our commitment: {commitment}",
            (doc.Paragraph(f"Our commitment: {commitment}"),),
        ),
        _small(f"{principle.how_kept} Draws on: {refs}."),
    ]


def _example_html(example: ExampleReference) -> str:
    year = f" ({example.year})" if example.year else ""
    cited = "; ".join(
        display.esc(c.text) + (f' <a href="{display.esc(c.url)}">{display.esc(c.url)}</a>' if c.url else "")
        for c in example.sources
    )
    return (
        f"<li>[{example.number}] <strong>{display.esc(example.place)}{display.esc(year)}</strong>: "
        f"{display.esc(example.title)}. Source: {cited}</li>"
    )


def _example_text(example: ExampleReference) -> str:
    year = f" ({example.year})" if example.year else ""
    cited = "; ".join(c.text + (f" {c.url}" if c.url else "") for c in example.sources)
    return f"[{example.number}] {example.place}{year}: {example.title}. Source: {cited}"


def agreement_html(document: AgreementDocument) -> str:
    """The agreement's markup: an ``<article>`` in the house style."""
    return (
        f'<article class="jw-agreement" style="border:1px solid #b1b4b6;padding:8px 16px;max-width:860px">'
        f"{display.join(agreement_blocks(document)).markup}</article>"
    )


def agreement_blocks(document: AgreementDocument, signatories: bool = True) -> list[display.Html]:
    """The agreement's blocks, in order: each carries its parts for the Word and print outputs.
    Without ``signatories``, the table of who signs is left out (for a document with signature blocks)."""
    blocks = [display.notice(DRAFT_LABEL, "warning")]
    if document.illustrative:
        blocks.append(display.notice(ILLUSTRATIVE, "warning"))
    blocks += [
        display.heading(document.title, 3),
        display.paragraph(f"Area: {document.area_name} ({document.area_code}), {document.region}."),
        display.heading("Parties", 4),
        display.bullet_list(list(document.parties)),
        _small(THEN_AND_NOW),
        display.heading("What we agree", 4),
    ]
    if document.principles:
        blocks.append(display.paragraph(PURPOSE))
        for principle in document.ranked:
            blocks += _principle_html(principle)
        if document.unranked:
            blocks.append(display.heading("Also agreed, not yet ranked", 5))
            for principle in document.unranked:
                blocks += _principle_html(principle)
        blocks.append(display.heading("Examples of practice this agreement draws on", 4))
        items = "".join(_example_html(example) for example in document.examples)
        texts = tuple(_example_text(example) for example in document.examples)
        markup = f'<ul style="list-style:none;padding-left:0">{items}</ul>'
        blocks.append(display.Html(markup, "\n".join(texts), (doc.Bullets(texts),)))
    else:
        blocks.append(display.notice(ONLY_SET_ASIDE))
    if signatories:
        blocks.append(display.heading("Signatories", 4))
        rows = [{"Role": role, "Name": "", "Signature": "", "Date": ""} for role in document.signatories]
        blocks.append(display.table(rows, "To be signed, when agreed, by", empty="no signatories named yet."))
    blocks.append(display.heading("Principles set aside", 4))
    blocks.append(
        display.bullet_list([p.title + (f": {p.reason}" if p.reason else "") for p in document.set_aside])
        if document.set_aside
        else display.paragraph("None.")
    )
    blocks.append(_small(RECONSTRUCTION))
    return blocks


def agreement(plan: Plan, area: Area | None = None) -> display.Html:
    """The draft joint working agreement as a readable HTML document (area defaults to the plan's)."""
    if not section(plan).choices:
        return display.notice(
            "No agreement yet: adopt or adapt at least one starter principle and the draft "
            "joint working agreement appears here."
        )
    document = agreement_document(plan, area)
    parts = display.join(agreement_blocks(document)).parts
    return display.Html(agreement_html(document), markdown_text(document), parts)


def agreement_title(plan: Plan, area: Area | None = None) -> str:
    """The agreement's title: the team's, or the default for the area."""
    return section(plan).agreement_title or default_title(plan_area(plan, area))


def signatories(plan: Plan) -> tuple[str, ...]:
    """The roles that will sign the agreement, as the team named them."""
    return tuple(section(plan).signatories)


def agreement_to_sign(plan: Plan, area: Area | None = None) -> display.Html:
    """The agreement's text for a document with signature blocks: everything but the table of who signs
    (its title first); with no principle kept yet, a notice that says so and the parties."""
    if not section(plan).choices:
        area = plan_area(plan, area)
        return display.join(
            [
                display.heading(agreement_title(plan, area), 3),
                display.notice(
                    "No agreement yet: the team has not adopted or adapted any starter principle, so there is "
                    "nothing to sign. The draft appears here once it does.",
                    "warning",
                ),
                display.heading("Parties", 4),
                display.bullet_list(parties(area)),
            ]
        )
    document = agreement_document(plan, area)
    blocks = agreement_blocks(document, signatories=False)
    title = next(i for i, b in enumerate(blocks) if b.parts == (doc.Heading(document.title, 3),))
    return display.join([blocks[title], *blocks[:title], *blocks[title + 1 :]])


# ---- Markdown ----------------------------------------------------------------------------------
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


def _principle_markdown(principle: AgreedPrinciple) -> list[str]:
    if principle.position is None:
        heading = f"#### {_md_inline(principle.title)}"
    else:
        heading = f"### {principle.position}. {_md_inline(principle.title)}"
    refs = "; ".join(f"{_md_inline(place)} [{number}]" for place, number in principle.draws_on)
    commitment = _md_block(principle.commitment) if principle.commitment else NOT_YET_AGREED
    commitment = f"**Our commitment:**{chr(10) * 2 if chr(10) in commitment else ' '}{commitment}"
    return [
        heading,
        "",
        _md_block(principle.wording),
        "",
        commitment,
        "",
        f"*{principle.how_kept} Draws on: {refs}.*",
        "",
    ]


def _example_markdown(example: ExampleReference) -> str:
    year = f" ({example.year})" if example.year else ""
    cited = "; ".join(_md_inline(c.text) + (f" <{c.url}>" if c.url else "") for c in example.sources)
    return f"{example.number}. **{_md_inline(example.place)}{year}**: {_md_inline(example.title)}. Source: {cited}"


def markdown_text(document: AgreementDocument) -> str:
    """The agreement as Markdown text."""
    lines = [f"# {_md_inline(document.title)}", "", f"**{DRAFT_LABEL}**", ""]
    if document.illustrative:
        lines += [f"> {ILLUSTRATIVE}", ""]
    lines += [
        f"**Area:** {_md_inline(document.area_name)} ({document.area_code}), {_md_inline(document.region)}.",
        "",
        "## Parties",
        "",
    ]
    lines += [f"- {_md_inline(p)}" for p in document.parties]
    lines += ["", f"*{THEN_AND_NOW}*", "", "## What we agree", ""]
    if document.principles:
        lines += [PURPOSE, ""]
        for principle in document.ranked:
            lines += _principle_markdown(principle)
        if document.unranked:
            lines += ["### Also agreed, not yet ranked", ""]
            for principle in document.unranked:
                lines += _principle_markdown(principle)
        lines += ["## Examples of practice this agreement draws on", ""]
        lines += [_example_markdown(example) for example in document.examples]
        lines.append("")
    else:
        lines += [ONLY_SET_ASIDE, ""]
    lines += ["## Signatories", ""]
    if document.signatories:
        lines += ["| Role | Name | Signature | Date |", "| --- | --- | --- | --- |"]
        lines += [f"| {_md_inline(role)} |  |  |  |" for role in document.signatories]
    else:
        lines.append("No signatories named yet.")
    lines += ["", "## Principles set aside", ""]
    lines += [
        f"- {_md_inline(p.title)}" + (f": {_md_inline(p.reason)}" if p.reason else "") for p in document.set_aside
    ]
    if not document.set_aside:
        lines.append("None.")
    lines += ["", "---", "", f"*{RECONSTRUCTION}*", ""]
    return "\n".join(lines)


def agreement_markdown(plan: Plan, area: Area | None = None) -> str:
    """The draft joint working agreement as Markdown text, for teams to paste into a document."""
    return markdown_text(agreement_document(plan, area))


def export_filename(plan: Plan) -> str:
    """The file name the Markdown download is offered under."""
    return f"{plan.area_code}-joint-working-agreement-draft.md"


AGREEMENT_FILE = "agreement.docx"  # the Word agreement, as the registry entry declares it


def agreement_word(plan: Plan, surface: str = "pack") -> display.Html:
    """Where the agreement is as a Word document (with a signature block for each signatory role): a
    download from the app, the file beside a pack, or, in JupyterLab, how to make it."""
    if not section(plan).choices:
        return display.notice("Nothing to download yet: the Word version appears with the draft agreement.")
    name = f"{plan.area_code}_{AGREEMENT_FILE}"
    if surface == "lab":
        text = (
            f"The Word version ({AGREEMENT_FILE}, with a signature block for each signatory role) is written "
            "beside each area's pack by a batch run (jointwork batch), and the app's start page downloads it "
            "under 'Download for partners'."
        )
        return display.Html(f"<p>{display.esc(text)}</p>", text)
    href = f"../../{DOWNLOAD_PATH}/{plan.area_code}/{AGREEMENT_FILE}" if surface == "app" else AGREEMENT_FILE
    label = f"Download the agreement as a Word document ({name}), with a signature block for each signatory role"
    link = f'<a class="jw-download" download="{display.esc(name)}" href="{display.esc(href)}">{display.esc(label)}</a>'
    return display.Html(f"<p>{link}</p>", label)


def agreement_export(plan: Plan) -> display.Html:
    """A download link for the agreement as Markdown, and the text itself to copy."""
    if not section(plan).choices:
        return display.notice("Nothing to export yet: the Markdown version appears with the draft agreement.")
    text = agreement_markdown(plan)
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    name = export_filename(plan)
    markup = (
        f'<p><a download="{display.esc(name)}" href="data:text/markdown;charset=utf-8;base64,{encoded}">'
        f"Download the draft agreement as Markdown ({display.esc(name)})</a></p>"
        "<details><summary>Show the Markdown text to copy</summary>"
        f'<pre style="white-space:pre-wrap;max-width:860px">{display.esc(text)}</pre></details>'
    )
    return display.Html(markup, text)
