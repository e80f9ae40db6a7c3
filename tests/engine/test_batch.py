"""Batch runs over many areas: selection, failure isolation, skipping what is up to date, packs,
the cross-area summary, and outputs identical to papermill with a fresh kernel per notebook."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import openpyxl
import pytest

from jointwork import cli
from jointwork.core.areas import all_areas, areas_in_region
from jointwork.core.errors import AreaNotFound, InputError
from jointwork.core.licence import ATTRIBUTION
from jointwork.products import PRODUCTS, Plan, get_product, plan_store
from jointwork.render.pack import offline_problems, offline_problems_in, page, render_notebook
from jointwork.run import manifest, planning
from jointwork.run.batch import run_batch
from jointwork.run.compare import notebooks_differ
from jointwork.run.execute import run_product
from jointwork.run.planning import AreaWork, read_plan
from jointwork.run.selection import parse_areas, parse_products
from jointwork.run.summary import (
    AREA_COLUMNS,
    BATCH_COLUMNS,
    NO_PLAN_CSV,
    PROGRESS_COLUMNS,
    area_row,
    indicator_columns,
    plan_columns,
    summary_columns,
    summary_headings,
    write_summary,
)

from conftest import REPO, SAMPLES

H = summary_headings()  # the summary's plain-English headings, by column key
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOUTHAMPTON, PLYMOUTH, BIRMINGHAM = "E06000045", "E06000026", "E08000025"  # two sample plans, one area without
BAD_FIELD = "successful_joint_working.respondents[0].ratings.health_on_board.score"
REMOTE = re.compile(r"<(script|link|img)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)
#: Text a team might type that looks like markup, a URL scheme or a spreadsheet formula.
TYPED = ["<img src=x onerror=alert(1) />", "<script>alert(1)</script>", "javascript:alert(1)", "=1+1"]
#: The summary's columns before the registry declared them (every one of them must still be there).
OLD_PRODUCT_COLUMNS = [
    "respondents",
    "score_local_authority",
    "score_health",
    "score_other",
    "score_all",
    "priorities",
    "stakeholders_local_authority",
    "stakeholders_health",
    "stakeholders_other",
]


def break_plan(workspace: Path, code: str = PLYMOUTH) -> Path:
    """Put the area's schema 1 plan (ratings inside it) in the workspace, with a score out of range."""
    from conftest import SCHEMA1_SAMPLES

    path = workspace / "plans" / f"{code}.yaml"
    text = (SCHEMA1_SAMPLES / f"{code}.yaml").read_text(encoding="utf-8")
    assert "health_on_board:\n        score: 3" in text
    path.write_text(
        text.replace("health_on_board:\n        score: 3", "health_on_board:\n        score: 7", 1), encoding="utf-8"
    )
    return path


def type_markup(workspace: Path, code: str = SOUTHAMPTON) -> None:
    """Put :data:`TYPED` into the area as respondents' names (product 3's responses) and stakeholders'
    roles (product 4's plan section)."""
    from dataclasses import replace

    from jointwork.core.responses import ResponseStore
    from jointwork.products import successful_joint_working as p3

    path = workspace / "plans" / f"{code}.yaml"
    text = path.read_text(encoding="utf-8")
    roles = [
        "Director of Children's Services (sample)",
        "Early years and family hubs lead (sample)",
        "Head of midwifery (sample)",
        "Health visiting service lead (sample)",
    ]
    for typed, role in zip(TYPED, roles, strict=True):
        assert f"- role: {role}\n" in text
        text = text.replace(f"- role: {role}\n", f"- role: {json.dumps(typed)}\n", 1)
    path.write_text(text, encoding="utf-8")
    store = ResponseStore(workspace)
    [round_] = store.rounds(code, p3.SLUG)
    for typed, response in zip(TYPED, store.responses(code, p3.SLUG, round_.id), strict=False):
        store.save(code, p3.QUESTIONNAIRE, replace(response, name=typed))
    area = store.area(code)
    assert [r.name for r in area.answers(p3.SLUG)][:4] == TYPED


class Page(HTMLParser):
    """A page read as a browser reads it: its visible text, and its tags with their attributes."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# ---- choosing areas and products ------------------------------------------------------------
def test_parse_products_from_the_registry() -> None:
    assert parse_products("all") == parse_products(None) == [p.number for p in PRODUCTS]
    assert parse_products("3") == [3]
    assert parse_products("1,3,5") == [1, 3, 5]
    assert parse_products("5,1-3") == [1, 2, 3, 5]
    assert parse_products([3, "4"]) == [3, 4]
    for bad in (str(len(PRODUCTS) + 1), "0-2", "3-1", "a", "", "1;2"):
        with pytest.raises(InputError, match="products"):
            parse_products(bad)


def test_parse_areas() -> None:
    assert len(parse_areas("all")) == len(all_areas()) == 153
    assert [a.code for a in parse_areas("region:North East")] == [a.code for a in areas_in_region("North East")]
    assert [a.code for a in parse_areas(f"{SOUTHAMPTON}, {PLYMOUTH},{SOUTHAMPTON}")] == [SOUTHAMPTON, PLYMOUTH]
    comma_name = next(a for a in all_areas() if "," in a.name)  # e.g. "Bristol, City of"
    assert [a.code for a in parse_areas(f"{comma_name.name},{SOUTHAMPTON}")] == [comma_name.code, SOUTHAMPTON]
    with pytest.raises(AreaNotFound):
        parse_areas("E06000045,Atlantis")
    with pytest.raises(InputError, match="region"):
        parse_areas("region:Atlantis")


def test_a_missing_notebook_is_refused_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=get_product(3).notebook):
        run_batch(SOUTHAMPTON, "3", out=tmp_path / "out", workspace=tmp_path, notebooks=tmp_path, progress=False)
    assert not (tmp_path / "out" / SOUTHAMPTON).exists()


# ---- one batch over a saved plan, a broken plan and an area without a plan -------------------
@pytest.fixture(scope="module")
def three_areas(tmp_path_factory: pytest.TempPathFactory):
    """Products 3 and 4 for Southampton (with markup-like text typed in), Plymouth (a broken plan)
    and Birmingham (no plan), run once for the tests below (with the library's hashes frozen)."""
    patch = pytest.MonkeyPatch()
    frozen = manifest.library_key()
    patch.setattr(planning, "library_key", lambda: frozen)
    root = tmp_path_factory.mktemp("three_areas")
    workspace = root / "workspace"
    (workspace / "plans").mkdir(parents=True)
    from jointwork.core.samples import copy_samples

    copy_samples(workspace)
    type_markup(workspace)
    broken = break_plan(workspace)
    out = root / "out"
    result = run_batch([SOUTHAMPTON, PLYMOUTH, BIRMINGHAM], "3,4", out=out, workspace=workspace, jobs=2, progress=False)
    yield result, out, workspace, broken
    patch.undo()


@pytest.mark.notebook
def test_broken_plan_fails_only_its_area(three_areas) -> None:
    result, out, _, broken = three_areas
    assert not result.ok
    assert [f.area for f in result.failures] == [PLYMOUTH]
    message = str(result.failures[0])
    assert str(broken) in message and BAD_FIELD in message and "less than or equal to 4" in message
    assert {(r.area, r.status) for r in result.runs} == {(code, "ran") for code in (SOUTHAMPTON, BIRMINGHAM)}
    assert set(result.packs) == {SOUTHAMPTON, BIRMINGHAM}
    # the summary lists the broken area with its error instead of crashing
    rows = {r[H["code"]]: r for r in read_csv(out / "summary.csv")}
    assert rows[PLYMOUTH][H["plan"]] == "error" and BAD_FIELD in rows[PLYMOUTH][H["error"]]
    assert rows[SOUTHAMPTON][H["plan"]] == "saved" and rows[SOUTHAMPTON][H["score_all"]]


@pytest.mark.notebook
def test_starter_pack_for_an_area_without_a_plan(three_areas) -> None:
    result, out, workspace, _ = three_areas
    text = (out / BIRMINGHAM / "index.html").read_text(encoding="utf-8")
    assert "Birmingham" in text and "no saved plan yet" in text
    assert not plan_store(workspace).exists(BIRMINGHAM), "a batch run must not write plans"
    assert BIRMINGHAM not in {r[H["code"]] for r in read_csv(out / "summary.csv")}, "listed apart"
    row = next(r for r in read_csv(out / NO_PLAN_CSV) if r[H["code"]] == BIRMINGHAM)
    assert row[H["name"]] == "Birmingham" and row[H["pack"]] == f"{BIRMINGHAM}/index.html"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{BIRMINGHAM}/index.html"' in index and f'href="{PLYMOUTH}/index.html"' not in index


@pytest.mark.notebook
def test_every_area_gets_its_papers_with_typed_text_as_text(three_areas) -> None:
    from openpyxl.utils.escape import unescape

    from jointwork.papers import PAPERS

    _, out, _, _ = three_areas
    for code in (SOUTHAMPTON, BIRMINGHAM):
        for paper in PAPERS:
            assert (out / code / paper.file_name).is_file(), f"{code}/{paper.file_name}"
            assert f'href="{paper.file_name}"' in (out / code / "index.html").read_text(encoding="utf-8")
    assert not (out / PLYMOUTH / "workbook.xlsx").exists(), "a plan that does not validate gets no papers"
    book = openpyxl.load_workbook(out / SOUTHAMPTON / "workbook.xlsx")
    typed = [c for s in book for row in s.iter_rows() for c in row if unescape(str(c.value)) in TYPED]
    assert {c.value for c in typed} == set(TYPED), "each typed text is in the workbook as typed"
    assert [c.data_type for c in typed] == ["s"] * len(typed) and [c for c in typed if c.value == "=1+1"][0].quotePrefix
    assert not [c for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]
    empty = openpyxl.load_workbook(out / BIRMINGHAM / "workbook.xlsx")
    assert empty.sheetnames == ["Cover", "Contents", "Notes", "Area", "Indicators"]
    import docx

    report = docx.Document(out / SOUTHAMPTON / "report.docx")
    assert report.paragraphs[0].style.name == "Title" and report.inline_shapes, "a Word report with its charts"
    words = "\n".join(p.text for p in report.paragraphs)
    assert "No plan has been saved" not in words
    assert "No plan has been saved for Birmingham" in "\n".join(
        p.text for p in docx.Document(out / BIRMINGHAM / "report.docx").paragraphs
    )
    agreement = docx.Document(out / SOUTHAMPTON / "agreement.docx")
    assert "Signatures" in [p.text for p in agreement.paragraphs if p.style.name == "Heading 1"]
    assert "<table" in (out / SOUTHAMPTON / "report.html").read_text(encoding="utf-8")


@pytest.mark.notebook
def test_pack_shows_typed_text_exactly_as_typed(three_areas) -> None:
    _, out, _, _ = three_areas
    markup = (out / SOUTHAMPTON / "index.html").read_text(encoding="utf-8")
    seen = Page(markup)
    visible = "".join(seen.text)
    for typed in TYPED:
        assert visible.count(typed) >= 2, f"{typed!r} (a respondent's name and a stakeholder's role) is shown"
        assert html.escape(typed) in markup
    assert not [(tag, attrs) for tag, attrs in seen.tags if tag == "img" and "onerror" in attrs]
    assert not [tag for tag, _ in seen.tags if tag == "script"]
    assert offline_problems(markup) == []


@pytest.mark.notebook
def test_pack_is_offline_with_contents_and_attribution(three_areas) -> None:
    _, out, _, _ = three_areas
    pack = (out / SOUTHAMPTON / "index.html").read_text(encoding="utf-8")
    assert offline_problems(pack) == []
    assert not REMOTE.search(pack) and "<script" not in pack.lower()
    nav = pack[pack.index("<nav") : pack.index("</nav>")]
    for number in (3, 4):
        assert html.escape(get_product(number).title) in nav
        assert f'<a href="#product-{number}">' in nav and f'id="product-{number}"' in pack
    assert ATTRIBUTION in pack
    assert "Southampton" in pack and "ILLUSTRATIVE" in pack
    assert "open_workbook(" not in pack and "from jointwork" not in pack, "code must be hidden"
    assert (Path(planning.__file__).parents[1] / "render" / "static" / "pack.css").read_text(encoding="utf-8") in pack
    for page_name in ("index.html", "summary.html"):
        assert offline_problems((out / page_name).read_text(encoding="utf-8")) == []


@pytest.mark.notebook
def test_command_line_reports_the_broken_plan(three_areas, capsys) -> None:
    _, out, workspace, _ = three_areas
    code = cli.main(
        [
            "batch",
            "--areas",
            f"{SOUTHAMPTON},{PLYMOUTH}",
            "--products",
            "3,4",
            "--out",
            str(out),
            "--workspace",
            str(workspace),
            "--quiet",
            "--jobs",
            "1",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 1
    assert "1 failure(s)" in printed and BAD_FIELD in printed and "Plymouth" in printed
    assert "2 up to date" in printed, "the area that ran before is up to date"


@pytest.fixture
def frozen_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library's hashes as they are now, for the whole test.

    In a shared checkout someone may be editing the library while a test runs, which (rightly)
    makes every output out of date between two runs of the batch.
    """
    frozen = manifest.library_key()
    monkeypatch.setattr(planning, "library_key", lambda: frozen)


# ---- a failing notebook ---------------------------------------------------------------------
@pytest.mark.notebook
@pytest.mark.usefixtures("frozen_library")
def test_failing_notebook_reports_area_product_and_cell(sample_workspace: Path, tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(str(FIXTURES / "failing_cell.ipynb"), as_version=4)
    nb.cells[3].source = f"if area_code == {PLYMOUTH!r}:\n    raise ValueError('deliberate failure')"
    nbformat.write(nb, str(notebooks / get_product(3).notebook))
    out = tmp_path / "out"
    result = run_batch(
        [SOUTHAMPTON, PLYMOUTH], "3", out=out, workspace=sample_workspace, jobs=0, progress=False, notebooks=notebooks
    )
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert (failure.area, failure.product, failure.cell_index) == (PLYMOUTH, 3, 4)
    assert failure.cell_source == f"if area_code == {PLYMOUTH!r}:"
    assert failure.error == "ValueError: deliberate failure"
    assert "cell 4" in str(failure) and "Plymouth" in str(failure)
    assert [r.status for r in result.runs] == ["ran", "failed"]
    assert "did not run to the end" in (out / PLYMOUTH / "index.html").read_text(encoding="utf-8")
    # a failed notebook is never "up to date": the next run tries it again
    again = run_batch(
        [SOUTHAMPTON, PLYMOUTH], "3", out=out, workspace=sample_workspace, jobs=0, progress=False, notebooks=notebooks
    )
    assert [(r.area, r.status) for r in again.runs] == [(SOUTHAMPTON, "up to date"), (PLYMOUTH, "failed")]


# ---- skipping what is up to date ------------------------------------------------------------
@pytest.mark.notebook
@pytest.mark.usefixtures("frozen_library")
def test_skip_up_to_date_and_force(sample_workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    def statuses(**options) -> dict[str, str]:
        result = run_batch(
            [SOUTHAMPTON, BIRMINGHAM], "3", out=out, workspace=sample_workspace, jobs=0, progress=False, **options
        )
        assert result.ok, result.report()
        return {r.area: r.status for r in result.runs}

    assert statuses() == {SOUTHAMPTON: "ran", BIRMINGHAM: "ran"}
    pack = out / SOUTHAMPTON / "index.html"
    built = pack.stat().st_mtime_ns
    assert statuses() == {SOUTHAMPTON: "up to date", BIRMINGHAM: "up to date"}
    assert pack.stat().st_mtime_ns == built
    saved = json.loads((out / BIRMINGHAM / "manifest.json").read_text(encoding="utf-8"))
    assert saved["notebooks"][get_product(3).notebook]["key"]["plan"] == "no plan"
    plan = sample_workspace / "plans" / f"{SOUTHAMPTON}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert statuses() == {SOUTHAMPTON: "ran", BIRMINGHAM: "up to date"}
    (out / BIRMINGHAM / "index.html").unlink()  # a missing pack is rebuilt without re-running
    assert statuses() == {SOUTHAMPTON: "up to date", BIRMINGHAM: "up to date"}
    assert (out / BIRMINGHAM / "index.html").is_file()
    assert statuses(force=True) == {SOUTHAMPTON: "ran", BIRMINGHAM: "ran"}


def test_library_key_follows_content_and_code(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "content", data / "content")
    monkeypatch.setenv("JOINTWORK_DATA", str(data))
    before = manifest.library_key()
    assert before == manifest.library_key()
    content = next((data / "content").glob("*.yaml"))
    content.write_text(content.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = manifest.library_key()
    assert after["content"] != before["content"] and after["code"] == before["code"]
    assert set(before) >= {"jointwork", "code", "content", "areas"}


def test_each_plan_is_read_once_per_batch(sample_workspace: Path, tmp_path: Path, monkeypatch) -> None:
    """The plan stage validates each plan once; the summary uses those plans (nothing runs here:
    every output is made up to date first by faking the manifest)."""
    from jointwork.core import store

    calls: list[str] = []
    parse = store.parse_plan_moving
    monkeypatch.setattr(
        store, "parse_plan_moving", lambda text, source, model: calls.append(str(source)) or parse(text, source, model)
    )
    monkeypatch.setattr(planning, "output_is_current", lambda entry, key, output: True)
    monkeypatch.setattr(planning, "pack_key", lambda *args: "same")
    for code in (SOUTHAMPTON, PLYMOUTH):
        (tmp_path / "out" / code).mkdir(parents=True)
        (tmp_path / "out" / code / "index.html").write_text("pack", encoding="utf-8")
        manifest.write_manifest(tmp_path / "out" / code, code, str(sample_workspace), {}, {"key": "same"})
    result = run_batch([SOUTHAMPTON, PLYMOUTH], "all", out=tmp_path / "out", workspace=sample_workspace, progress=False)
    assert result.ok and result.count("up to date") == 2 * len(PRODUCTS)
    assert sorted(Path(c).stem for c in calls) == [PLYMOUTH, SOUTHAMPTON]
    assert next(read_csv(tmp_path / "out" / "summary.csv"))[H["respondents"]] == "5"


# ---- the HTML pack ------------------------------------------------------------------------
def test_remote_resources_never_reach_a_pack() -> None:
    remote = (
        '<script src="https://cdn.example.org/x.js"></script><link rel="stylesheet" '
        'href="https://cdn.example.org/x.css"><img src="http://example.org/a.png"><p>kept</p>'
    )
    problems = " ".join(offline_problems(remote))
    assert all(f"<{tag} " in problems for tag in ("script", "link", "img"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("secret_code()")]
    nb.cells[1].outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": remote, "text/plain": "x"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)", "text/plain": "js"}),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "a chart"}),
    ]
    section = render_notebook(nb, 3, "Three")
    assert "kept" in section.body and "data:image/png;base64,iVBORw0KGgo=" in section.body
    assert offline_problems(section.body) == [] and "alert(1)" not in section.body
    assert "secret_code" not in section.body and "<h2>Title</h2>" in section.body
    with pytest.raises(ValueError, match="offline"):
        page("bad", remote)


@pytest.mark.parametrize(
    "pieces",
    [
        ("<p>a</p><scr", "ipt>alert(1)</script>"),  # a tag split between two pieces
        ('<img alt="x" src="http://example.org/', 'a.png">'),  # an attribute split
        ("<style>", "@import url(https://example.org/x.css);", "</style>"),  # a stylesheet over three pieces
        ("<p>safe</p>", '<a href="javascript:alert(1)">x</a>'),  # a settled piece, then an active one
        ("<!-- a comment that", " hides <p> and ends here -->", "<iframe></iframe>"),
    ],
)
def test_a_page_checked_piece_by_piece_finds_what_the_whole_markup_holds(pieces: tuple[str, ...]) -> None:
    whole = offline_problems("".join(pieces))
    assert whole, "every case holds something active"
    assert offline_problems_in(pieces) == whole
    with pytest.raises(ValueError, match="offline"):
        page("bad", pieces)


def test_only_an_active_fragment_is_cleaned() -> None:
    """Static outputs go into the pack byte for byte; an output with active content is cleaned
    (its script, handler and javascript: link go), and the outputs beside it stay as they are."""
    escaped = "".join(f"<p>{html.escape(t)}</p>" for t in TYPED)  # as the views show typed text
    static = (
        '<table class="jw-table"><caption>Scores</caption><tr><td style="text-align:right">3.3</td>'
        f"<td>{html.escape('<b>')}</td></tr></table>"
    )
    active = (
        '<div><img src="x" onerror="alert(1)"><a href="javascript:alert(2)">link</a>'
        '<script>alert(3)</script><svg viewBox="0 0 4 4" onload="alert(4)"><rect width="2"/></svg>'
        '<p style="color:#123">styled</p></div>'
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x")]
    nb.cells[0].outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": part, "text/plain": "x"})
        for part in (escaped, static, active)
    ]
    body = render_notebook(nb, 3, "Three").body
    first, second, third = body.split("\n")
    assert (first, second) == (escaped, static)
    assert offline_problems(third) == [] and "alert" not in third
    cleaned = Page(third)
    assert [t for t, _ in cleaned.tags] == ["div", "img", "a", "svg", "rect", "p"]
    assert dict(cleaned.tags)["img"] == {"src": "x"} and dict(cleaned.tags)["svg"] == {"viewbox": "0 0 4 4"}
    assert "viewBox=" in third, "SVG keeps its attributes' case"
    assert "".join(cleaned.text) == "linkstyled" and 'style="color:#123"' in third
    assert "".join(Page(first).text) == "".join(TYPED)


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a CSV the batch wrote (UTF-8 with a byte order mark, for Excel)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


# ---- the cross-area summary ----------------------------------------------------------------
def test_summary_columns_come_from_the_registry() -> None:
    columns = list(summary_columns())
    product_columns = [c.key for p in PRODUCTS for c in p.summary]
    assert columns == [*AREA_COLUMNS, *indicator_columns(), *product_columns, *PROGRESS_COLUMNS, *BATCH_COLUMNS]
    assert indicator_columns(), "the key indicators held sit beside the area's columns"
    headings = summary_headings()
    assert list(headings) == columns and len(set(headings.values())) == len(columns), "one heading each"
    assert headings["score_local_authority"] == "Self-assessment mean score (1 to 4), local authority respondents"
    assert not [h for h in headings.values() if "_" in h], "plain-English headings, no machine names"
    assert [c for c in product_columns if c in OLD_PRODUCT_COLUMNS] == [
        "priorities",
        "respondents",
        "score_local_authority",
        "score_health",
        "score_other",
        "score_all",
        "stakeholders_local_authority",
        "stakeholders_health",
        "stakeholders_other",
    ], "products in number order"


def test_summary_row_from_a_plan() -> None:
    from datetime import date

    from jointwork.core.plan import Sector
    from jointwork.core.responses import AreaResponses, Response, Round, RoundResponses
    from jointwork.products.successful_joint_working import factors, scores

    ids = [f.id for f in factors()]
    slug = "successful_joint_working"
    given = (
        Response("a" * 32, "r", slug, Sector.LOCAL_AUTHORITY, "A", {ids[0]: {"value": 4}, ids[1]: {"value": 2}}, "A"),
        Response("b" * 32, "r", slug, Sector.HEALTH, "B", {ids[0]: {"value": 1}}, "B"),
    )
    responses = AreaResponses(SOUTHAMPTON, {slug: (RoundResponses(Round("r", slug, "R", date(2026, 2, 1)), given),)})
    plan = Plan.model_validate(
        {
            "area_code": SOUTHAMPTON,
            "health_priorities": {
                "priorities": [{"objective": "second", "rank": 2}, {"objective": "first", "rank": 1}]
            },
            "who_to_engage": {
                "stakeholders": [
                    {"role": "Head of early years", "sector": "local authority"},
                    {"role": "Health visiting lead", "sector": "health"},
                    {"role": "ICB place director", "sector": "health"},
                ]
            },
        }
    )
    row, problems = plan_columns(plan, responses)
    assert problems == []
    assert row["respondents"] == 2
    assert row["score_local_authority"] == 3.0  # factor means 4 and 2
    assert row["score_health"] == 1.0 and row["score_other"] is None
    expected_all = scores(given)["mean"].dropna().mean()
    assert row["score_all"] == round(expected_all, 2)
    assert row["priorities"] == "first; second"
    assert (row["stakeholders_local_authority"], row["stakeholders_health"], row["stakeholders_other"]) == (1, 2, 0)
    assert row["started"] == "2,3,4" and row["products_started"] == 3


def test_summary_lists_a_broken_plan_with_its_error(sample_workspace: Path, tmp_path: Path) -> None:
    break_plan(sample_workspace)
    store = plan_store(sample_workspace)
    works = []
    from jointwork.core.responses import ResponseStore

    for code in (SOUTHAMPTON, PLYMOUTH, BIRMINGHAM):
        _, plan, state, error = read_plan(store, code)
        area = next(a for a in all_areas() if a.code == code)
        works.append(AreaWork(area, plan, state, error, responses=ResponseStore(sample_workspace).area(code)))
    rows = [area_row(work) for work in works]
    assert [r["plan"] for r in rows] == ["saved", "error", "none"]
    assert BAD_FIELD in rows[1]["error"] and rows[1]["score_all"] is None
    assert rows[0]["illustrative"] == "yes" and rows[0]["score_health"] is not None
    csv_path, html_path = write_summary(tmp_path, rows)
    written = list(read_csv(csv_path))
    assert [r[H["code"]] for r in written] == [SOUTHAMPTON, PLYMOUTH], "the area with no plan is listed apart"
    assert written[0][H["coterminous"]] in {"yes", "no"} and written[0][H["products_started"]] == "8"
    assert [r[H["code"]] for r in read_csv(tmp_path / NO_PLAN_CSV)] == [BIRMINGHAM]
    assert "hia21_" not in csv_path.read_text(encoding="utf-8") and "Supporting" in written[0][H["priorities"]]
    page = html_path.read_text(encoding="utf-8")
    shown = "".join(Page(page).text)
    assert "Plymouth" in shown and written[0][H["score_health"]] in shown, "the page shows the values the CSV holds"
    assert (
        "Areas with no plan yet (1)" in shown and page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    )
    assert offline_problems(page) == []
    book = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    assert book.sheetnames[:5] == ["Cover", "Contents", "Notes", "Areas with plans", "Areas without plans"]
    for sheet in book.worksheets[1:]:
        assert len(sheet.tables) == 1 and next(iter(sheet.tables.values())).ref.startswith("A")
        assert not sheet.merged_cells.ranges and sheet["A1"].value
    plans = book["Areas with plans"]
    header_row = next(iter(plans.tables.values())).ref.split(":")[0][1:]
    assert [c.value for c in plans[int(header_row)]][:2] == ["GSS code", "Area"]
    assert not [c for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]


# ---- the same outputs as papermill with a fresh kernel per notebook ---------------------------
@pytest.mark.notebook
def test_outputs_identical_to_fresh_kernel_papermill(sample_workspace: Path, tmp_path: Path) -> None:
    """Every product for two areas with plans, one after another on one warm kernel, against
    papermill's own engine (a fresh kernel for each notebook, two at a time) for the second area:
    any state left behind by the first area's notebooks, or by the second's earlier ones, shows."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    warm, fresh = tmp_path / "warm", tmp_path / "fresh"
    result = run_batch([PLYMOUTH, SOUTHAMPTON], "all", out=warm, workspace=sample_workspace, jobs=0, progress=False)
    assert result.ok, result.report()
    assert [r.area for r in result.runs] == [PLYMOUTH] * len(PRODUCTS) + [SOUTHAMPTON] * len(PRODUCTS)
    numbers = [p.number for p in PRODUCTS]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(
            pool.map(
                run_product,
                [SOUTHAMPTON] * len(numbers),
                [fresh] * len(numbers),
                numbers,
                [sample_workspace] * len(numbers),
            )
        )
    replace = {str(warm): "<OUT>", str(fresh): "<OUT>"}
    for product in PRODUCTS:
        target = fresh / SOUTHAMPTON / product.notebook
        assert notebooks_differ(target, warm / SOUTHAMPTON / product.notebook, replace) == [], product.number
    # ...and the comparison does see a real difference
    changed = json.loads(target.read_text(encoding="utf-8"))
    cell = next(c for c in changed["cells"] if c.get("outputs"))
    cell["outputs"][0].setdefault("data", {})["text/plain"] = "something else"
    altered = tmp_path / "altered.ipynb"
    altered.write_text(json.dumps(changed), encoding="utf-8")
    assert notebooks_differ(altered, warm / SOUTHAMPTON / product.notebook, replace)


def test_demo_copies_the_samples_and_runs_the_batch_over_them(tmp_path: Path, monkeypatch, capsys) -> None:
    from jointwork.run import batch

    calls = []

    def fake_run_batch(areas, products, **options):
        calls.append((areas, products, options))
        return batch.BatchResult(
            Path(options["out"]), areas.split(","), [1], "jointwork_warm", index=Path(options["out"]) / "index.html"
        )

    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    workspace = tmp_path / "ws"
    (workspace / "plans").mkdir(parents=True)
    (workspace / "plans" / f"{SOUTHAMPTON}.yaml").write_text("# the team's own plan\n", encoding="utf-8")
    code = cli.main(["demo", "--out", str(tmp_path / "out"), "--workspace", str(workspace), "--quiet"])
    printed = capsys.readouterr().out
    samples = sorted(p.stem for p in SAMPLES.glob("*.yaml"))
    assert code == 0, printed
    assert sorted(p.stem for p in (workspace / "plans").glob("*.yaml")) == samples
    assert (workspace / "plans" / f"{SOUTHAMPTON}.yaml").read_text(encoding="utf-8") == "# the team's own plan\n"
    [(areas, products, options)] = calls
    assert sorted(areas.split(",")) == samples and products == "all"
    assert options["workspace"] == str(workspace) and options["progress"] is False
    assert str(tmp_path / "out" / "index.html") in printed


@pytest.mark.parametrize("jobs", [-1, 1.5, True])
def test_a_wrong_number_of_workers_is_refused(jobs, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="jobs"):
        run_batch(SOUTHAMPTON, "3", out=tmp_path, jobs=jobs, progress=False)
