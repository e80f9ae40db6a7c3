"""Batch runs over many areas: selection, failure isolation, skipping what is up to date, packs,
the cross-area summary, and outputs identical to papermill with a fresh kernel per notebook."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from jointwork import batch, cli
from jointwork.areas import all_areas, areas_in_region, find_area
from jointwork.batch import (area_summary, notebooks_differ, parse_areas, parse_products, plan_row, run_batch,
                             write_summary)
from jointwork.display import ATTRIBUTION
from jointwork.errors import AreaNotFound, InputError
from jointwork.execute import notebook_parameters
from jointwork.pack import offline_problems, page, render_notebook
from jointwork.paths import notebooks_dir
from jointwork.plan import Plan
from jointwork.products import PRODUCTS, Product, available_products, get_product

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOUTHAMPTON, PLYMOUTH, BIRMINGHAM = "E06000045", "E06000026", "E08000025"  # two sample plans, one area without
BAD_FIELD = "successful_joint_working.respondents[0].ratings.health_on_board.score"
REMOTE = re.compile(r"<(script|link|img)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


def break_plan(workspace: Path, code: str = PLYMOUTH) -> Path:
    path = workspace / "plans" / f"{code}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "health_on_board:\n        score: 3" in text
    path.write_text(text.replace("health_on_board:\n        score: 3", "health_on_board:\n        score: 7", 1),
                    encoding="utf-8")
    return path


# ---- choosing areas and products ------------------------------------------------------------
def test_parse_products() -> None:
    assert parse_products("1-8") == list(range(1, 9))
    assert parse_products("3") == [3]
    assert parse_products("1,3,5") == [1, 3, 5]
    assert parse_products("5,1-3") == [1, 2, 3, 5]
    assert parse_products([3, "4"]) == [3, 4]
    for bad in ("9", "0-2", "3-1", "a", "", "1;2"):
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


# ---- failure isolation ----------------------------------------------------------------------
@pytest.mark.notebook
def test_broken_plan_fails_only_its_area(sample_workspace: Path, tmp_path: Path, capsys) -> None:
    broken = break_plan(sample_workspace)
    out = tmp_path / "out"
    result = run_batch([SOUTHAMPTON, PLYMOUTH, BIRMINGHAM], "3", out=out, workspace=sample_workspace, jobs=2,
                       progress=False)
    assert not result.ok
    assert [f.area for f in result.failures] == [PLYMOUTH]
    message = str(result.failures[0])
    assert str(broken) in message and BAD_FIELD in message and "less than or equal to 4" in message
    assert {r.area for r in result.runs if r.status == "ran"} == {SOUTHAMPTON, BIRMINGHAM}
    assert set(result.packs) == {SOUTHAMPTON, BIRMINGHAM}
    # the summary lists the broken area with its error instead of crashing
    rows = {r["code"]: r for r in csv.DictReader((out / "summary.csv").open(encoding="utf-8"))}
    assert rows[PLYMOUTH]["plan"] == "error" and BAD_FIELD in rows[PLYMOUTH]["error"]
    assert rows[SOUTHAMPTON]["plan"] == "saved" and rows[SOUTHAMPTON]["score_all"]
    # the command line says the same and exits non-zero
    code = cli.main(["batch", "--areas", f"{SOUTHAMPTON},{PLYMOUTH}", "--products", "3", "--out", str(out),
                     "--workspace", str(sample_workspace), "--quiet", "--jobs", "1"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "1 failure(s)" in printed and BAD_FIELD in printed and "Plymouth" in printed


@pytest.mark.notebook
def test_failing_notebook_reports_area_product_and_cell(sample_workspace: Path, tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(str(FIXTURES / "failing_cell.ipynb"), as_version=4)
    nb.cells[3].source = f"if area_code == {PLYMOUTH!r}:\n    raise ValueError('deliberate failure')"
    nbformat.write(nb, str(notebooks / get_product(3).notebook))
    out = tmp_path / "out"
    result = run_batch([SOUTHAMPTON, PLYMOUTH], "3", out=out, workspace=sample_workspace, jobs=2,
                       progress=False, notebooks=notebooks)
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert (failure.area, failure.product, failure.cell_index) == (PLYMOUTH, 3, 4)
    assert failure.cell_source == f"if area_code == {PLYMOUTH!r}:"
    assert failure.error == "ValueError: deliberate failure"
    assert "cell 4" in str(failure) and "Plymouth" in str(failure)
    assert [r.status for r in result.runs] == ["ran", "failed"]
    assert "did not run to the end" in (out / PLYMOUTH / "index.html").read_text(encoding="utf-8")
    # a failed notebook is never "up to date": the next run tries it again
    again = run_batch([SOUTHAMPTON, PLYMOUTH], "3", out=out, workspace=sample_workspace, jobs=1,
                      progress=False, notebooks=notebooks)
    assert [(r.area, r.status) for r in again.runs] == [(SOUTHAMPTON, "up to date"), (PLYMOUTH, "failed")]


# ---- skipping what is up to date ------------------------------------------------------------
@pytest.mark.notebook
def test_skip_up_to_date_and_force(sample_workspace: Path, tmp_path: Path, monkeypatch) -> None:
    # Freeze the library's hashes for this test: in a shared checkout someone may be editing the
    # library while it runs, which (rightly) makes every output out of date.
    frozen = batch.library_key()
    monkeypatch.setattr(batch, "library_key", lambda: frozen)
    out = tmp_path / "out"

    def statuses(**options) -> dict[str, str]:
        result = run_batch([SOUTHAMPTON, BIRMINGHAM], "3", out=out, workspace=sample_workspace, jobs=2,
                           progress=False, **options)
        assert result.ok, result.report()
        return {r.area: r.status for r in result.runs}

    assert statuses() == {SOUTHAMPTON: "ran", BIRMINGHAM: "ran"}
    pack = out / SOUTHAMPTON / "index.html"
    built = pack.stat().st_mtime_ns
    assert statuses() == {SOUTHAMPTON: "up to date", BIRMINGHAM: "up to date"}
    assert pack.stat().st_mtime_ns == built
    manifest = json.loads((out / BIRMINGHAM / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"][get_product(3).notebook]["key"]["plan"] == "no plan"
    plan = sample_workspace / "plans" / f"{SOUTHAMPTON}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert statuses() == {SOUTHAMPTON: "ran", BIRMINGHAM: "up to date"}
    (out / BIRMINGHAM / "index.html").unlink()  # a missing pack is rebuilt without re-running
    assert statuses() == {SOUTHAMPTON: "up to date", BIRMINGHAM: "up to date"}
    assert (out / BIRMINGHAM / "index.html").is_file()
    assert statuses(force=True) == {SOUTHAMPTON: "ran", BIRMINGHAM: "ran"}


def test_library_key_follows_content_and_code(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "content", data / "content")
    monkeypatch.setenv("JOINTWORK_DATA", str(data))
    before = batch.library_key()
    assert before == batch.library_key()
    content = next((data / "content").glob("*.yaml"))
    content.write_text(content.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = batch.library_key()
    assert after["content"] != before["content"] and after["code"] == before["code"]
    assert set(before) >= {"jointwork", "code", "content", "areas"}


# ---- regions and starter packs --------------------------------------------------------------
@pytest.mark.notebook
def test_region_gives_starter_packs_for_areas_without_plans(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch("region:North East", "3", out=out, workspace=workspace, progress=False)
    region = areas_in_region("North East")
    assert result.ok, result.report()
    assert result.areas == [a.code for a in region]
    assert set(result.packs) == {a.code for a in region}
    for area in region:
        text = (out / area.code / "index.html").read_text(encoding="utf-8")
        assert area.name in text and "no saved plan yet" in text
    assert not list((workspace / "plans").glob("*.yaml")), "a batch run must not write plans"
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [r["code"] for r in rows] == [a.code for a in region]
    assert {r["plan"] for r in rows} == {"none"} and {r["products_started"] for r in rows} == {"0"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{a.code}/index.html"' in index for a in region)


# ---- the HTML pack ------------------------------------------------------------------------
@pytest.mark.notebook
def test_pack_is_offline_with_contents_and_attribution(sample_workspace: Path, tmp_path: Path, monkeypatch) -> None:
    # Whatever products exist by now, pretend only product 3 does: the others are noted, not failed.
    monkeypatch.setattr(Product, "available", property(lambda self: self.number == 3))
    out = tmp_path / "out"
    result = run_batch(SOUTHAMPTON, "1-8", out=out, workspace=sample_workspace, jobs=1, progress=False)
    assert result.ok and result.products == [3]
    assert len(result.notes) == 7 and all("not available" in n for n in result.notes)
    pack = (out / SOUTHAMPTON / "index.html").read_text(encoding="utf-8")
    assert offline_problems(pack) == []
    assert not REMOTE.search(pack) and "<script" not in pack.lower()
    nav = pack[pack.index("<nav"):pack.index("</nav>")]
    for product in PRODUCTS.values():
        assert product.title.replace("'", "&#x27;") in nav
    assert '<a href="#product-3">' in nav and 'id="product-3"' in pack
    assert ATTRIBUTION in pack
    assert "Southampton" in pack and "ILLUSTRATIVE" in pack
    assert "open_workbook(" not in pack and "from jointwork" not in pack, "code must be hidden"
    for page_name in ("index.html", "summary.html"):
        assert offline_problems((out / page_name).read_text(encoding="utf-8")) == []


def test_remote_resources_never_reach_a_pack() -> None:
    remote = ('<script src="https://cdn.example.org/x.js"></script><link rel="stylesheet" '
              'href="https://cdn.example.org/x.css"><img src="http://example.org/a.png"><p>kept</p>')
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


# ---- the cross-area summary ----------------------------------------------------------------
def test_summary_row_from_a_plan() -> None:
    from jointwork.products.successful_joint_working import factors, scores

    ids = [f.id for f in factors()]
    plan = Plan.model_validate({
        "area_code": SOUTHAMPTON,
        "successful_joint_working": {"respondents": [
            {"name": "A", "sector": "local authority", "ratings": {ids[0]: {"score": 4}, ids[1]: {"score": 2}}},
            {"name": "B", "sector": "health", "ratings": {ids[0]: {"score": 1}}},
        ]},
        "health_priorities": {"priorities": [{"objective": "second", "rank": 2}, {"objective": "first", "rank": 1}]},
        "who_to_engage": {"stakeholders": [{"role": "Head of early years", "sector": "local authority"},
                                           {"role": "Health visiting lead", "sector": "health"},
                                           {"role": "ICB place director", "sector": "health"}]},
    })
    row = plan_row(plan)
    assert row["respondents"] == 2
    assert row["score_local_authority"] == 3.0  # factor means 4 and 2
    assert row["score_health"] == 1.0 and row["score_other"] is None
    expected_all = scores(plan.successful_joint_working)["mean"].dropna().mean()
    assert row["score_all"] == round(expected_all, 2)
    assert row["priorities"] == "first; second"
    assert (row["stakeholders_local_authority"], row["stakeholders_health"], row["stakeholders_other"]) == (1, 2, 0)
    assert row["started"] == "2,3,4" and row["products_started"] == 3


def test_summary_lists_a_broken_plan_with_its_error(sample_workspace: Path, tmp_path: Path) -> None:
    break_plan(sample_workspace)
    rows = [area_summary(find_area(code), sample_workspace) for code in (SOUTHAMPTON, PLYMOUTH, BIRMINGHAM)]
    assert [r["plan"] for r in rows] == ["saved", "error", "none"]
    assert BAD_FIELD in rows[1]["error"] and rows[1]["score_all"] is None
    assert rows[0]["illustrative"] == "yes" and rows[0]["score_health"] is not None
    csv_path, html_path = write_summary(tmp_path, rows)
    written = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert [r["code"] for r in written] == [SOUTHAMPTON, PLYMOUTH, BIRMINGHAM]
    assert written[0]["coterminous"] in {"yes", "no"} and written[2]["products_started"] == "0"
    assert "Plymouth" in html_path.read_text(encoding="utf-8")


# ---- the same outputs as papermill with a fresh kernel per notebook ---------------------------
@pytest.mark.notebook
def test_outputs_identical_to_fresh_kernel_papermill(sample_workspace: Path, tmp_path: Path) -> None:
    codes = [SOUTHAMPTON, BIRMINGHAM]
    products = [p.number for p in available_products()]
    warm = tmp_path / "warm"
    result = run_batch(codes, products, out=warm, workspace=sample_workspace, jobs=2, progress=False)
    assert result.ok, result.report()
    fresh = tmp_path / "fresh"
    compared = 0
    for code in codes:
        for number in products:
            product = get_product(number)
            target = fresh / code / product.notebook
            target.parent.mkdir(parents=True, exist_ok=True)
            papermill.execute_notebook(str(notebooks_dir() / product.notebook), str(target),
                                       parameters=notebook_parameters(code, sample_workspace),
                                       cwd=str(notebooks_dir()), progress_bar=False, kernel_name="python3")
            replace = {str(warm): "<OUT>", str(fresh): "<OUT>"}
            assert notebooks_differ(target, warm / code / product.notebook, replace) == [], (code, number)
            compared += 1
    assert compared == len(codes) * len(products) >= 2
    # ...and the comparison does see a real difference
    changed = json.loads(target.read_text(encoding="utf-8"))
    cell = next(c for c in changed["cells"] if c.get("outputs"))
    cell["outputs"][0].setdefault("data", {})["text/plain"] = "something else"
    altered = tmp_path / "altered.ipynb"
    altered.write_text(json.dumps(changed), encoding="utf-8")
    assert notebooks_differ(altered, warm / code / product.notebook, {str(warm): "<OUT>", str(fresh): "<OUT>"})


@pytest.mark.notebook
def test_demo_runs_the_batch_over_the_samples(tmp_path: Path, capsys) -> None:
    workspace = tmp_path / "ws"
    code = cli.main(["demo", "--out", str(tmp_path / "out"), "--workspace", str(workspace), "--quiet"])
    printed = capsys.readouterr().out
    samples = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "data" / "samples" / "plans").glob("*.yaml"))
    assert code == 0, printed
    assert sorted(p.stem for p in (workspace / "plans").glob("*.yaml")) == samples
    for sample in samples:
        assert (tmp_path / "out" / sample / "index.html").is_file()
    assert str(tmp_path / "out" / "index.html") in printed

