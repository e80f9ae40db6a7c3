"""Every product's content file validates, cites its sources and is in the project's own words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jointwork.content import PRODUCT_SLUGS, ProductContent, content_path, load_content, parse_content
from jointwork.errors import InputError, PlanError

from conftest import REPO

PRESENT = [n for n in PRODUCT_SLUGS if content_path(n).exists()]


@pytest.mark.parametrize("product", PRESENT)
def test_content_file_validates(product: int) -> None:
    content = load_content(product)
    assert isinstance(content, ProductContent) and content.product == product
    entries = [e for group in content.entries.values() for e in group]
    assert entries, "a content file needs entries"
    for entry in entries:
        assert entry.verified or entry.note, entry.id
        for key in entry.source_keys:
            assert content.sources[key].publisher


def test_product_three_content_exists() -> None:
    assert 3 in PRESENT


class TestSchema:
    def write(self, tmp_path: Path, data: dict) -> Path:
        path = tmp_path / "successful_joint_working.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    def base(self) -> dict:
        return {"product": 3, "slug": "successful_joint_working", "title": "t", "purpose": "p", "who": "w",
                "minutes": 60, "sources": {"s": {"publisher": "P", "title": "T"}},
                "entries": {"factors": [{"id": "a", "text": "x", "source": "s", "verified": True}]}}

    def test_valid(self, tmp_path: Path) -> None:
        assert parse_content(self.write(tmp_path, self.base())).entry("a").text == "x"

    @pytest.mark.parametrize("change, field", [
        (lambda d: d["entries"]["factors"][0].update(verified=False), "entries.factors[0]"),
        (lambda d: d["entries"]["factors"][0].update(source="missing"), "(file)"),
        (lambda d: d["entries"]["factors"][0].pop("text"), "entries.factors[0].text"),
        (lambda d: d.update(slug="other"), "(file)"),
        (lambda d: d["entries"]["factors"].append(dict(d["entries"]["factors"][0])), "(file)"),
        (lambda d: d["entries"]["factors"][0].update(id="Bad Id"), "entries.factors[0].id"),
    ])
    def test_invalid_names_file_and_field(self, tmp_path: Path, change, field: str) -> None:
        data = self.base()
        change(data)
        path = self.write(tmp_path, data)
        with pytest.raises(PlanError) as caught:
            parse_content(path)
        assert str(path) in str(caught.value) and f"'{field}'" in str(caught.value)

    def test_malformed_yaml(self, tmp_path: Path) -> None:
        path = tmp_path / "x.yaml"
        path.write_text("product: [1\n", encoding="utf-8")
        with pytest.raises(InputError, match="valid YAML"):
            parse_content(path)


def test_project_is_in_its_own_words() -> None:
    tool = REPO.parent / "shared" / "tools" / "own_words.py"
    if not tool.exists():
        pytest.skip(f"the own-words checker is not at {tool}")
    result = subprocess.run([sys.executable, str(tool), str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
