"""The registry is the only list of products, and each entry declares what the house needs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from jointwork.core.content import load_content
from jointwork.core.paths import notebooks_dir
from jointwork.products import PRODUCTS, Plan, get_product

PACKAGE = Path(__file__).resolve().parents[2] / "jointwork"
REGISTRY = PACKAGE / "products" / "__init__.py"
#: The suite, pinned: a product that disappears from the registry fails here, not silently.
EXPECTED = [
    "introduction",
    "health_priorities",
    "successful_joint_working",
    "who_to_engage",
    "when_to_engage",
    "joint_priorities",
    "hearing_from_others",
    "find_out_more",
]


def test_the_registry_lists_the_suite_in_order() -> None:
    assert [p.slug for p in PRODUCTS] == EXPECTED
    assert [p.number for p in PRODUCTS] == list(range(1, len(EXPECTED) + 1))


def test_the_plan_has_one_section_per_product_in_registry_order() -> None:
    assert list(Plan.model_fields)[:4] == ["schema_version", "area_code", "illustrative", "session"]
    assert list(Plan.model_fields)[4:] == EXPECTED and Plan.products == PRODUCTS


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_each_entry_is_complete(product) -> None:
    assert (notebooks_dir() / product.notebook).is_file()
    content = load_content(product.slug)
    assert content.product == product.number, "the content file's number matches the registry"
    assert list(product.content_checks()) == [], "the content's cross-references resolve"
    assert list(product.check(product.section())) == [], "a blank section names no missing content"
    assert product.report, "a short report shows something of every product"
    keys = [c.key for p in PRODUCTS for c in p.summary]
    assert len(keys) == len(set(keys)), "summary columns are unique across products"


def test_lookup_by_number_text_or_slug() -> None:
    assert get_product(3) is get_product("3") is get_product("successful_joint_working")
    with pytest.raises(ValueError, match="product number"):
        get_product(len(PRODUCTS) + 1)


def _python_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py")]


def test_no_module_outside_the_registry_lists_products() -> None:
    """Outside the products' own packages no code names a product (by slug, notebook or content
    file) or counts them; only the registry imports the product packages (tests/unit/test_layers.py
    checks that products never import each other)."""
    problems = []
    names = re.compile(rf"(\d\d_)?({'|'.join(EXPECTED)})(\.ipynb|\.yaml)?")
    for path in _python_files():
        rel = path.relative_to(PACKAGE)
        if path == REGISTRY or rel.parts[0] == "products":
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and names.fullmatch(node.value):
                problems.append(f"{rel}:{node.lineno} names the product {node.value!r}")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(names.search(m) for m in modules):
                    problems.append(f"{rel}:{node.lineno} imports a product package")
    for path in _python_files():
        rel = path.relative_to(PACKAGE)
        for pattern in (r"range\(1,\s*9\)", r"\"1-8\"", r"le=8\b", r"\beight products\b"):
            for match in re.finditer(pattern, path.read_text(encoding="utf-8")):
                problems.append(f"{rel}: {match.group(0)!r} counts the products")
    assert not problems, "\n".join(problems)


def test_a_new_product_needs_only_its_package_and_a_registry_entry(tmp_path: Path) -> None:
    """A ninth product, declared the way every product is, is stored and checked with the others."""
    from pydantic import Field

    from jointwork.core.plan import Model, ShortText, plan_model
    from jointwork.core.product import Product
    from jointwork.core.store import PlanStore

    class LogicModel(Model):
        outcomes: list[ShortText] = Field(default_factory=list)

    def check(section: LogicModel):
        for i, outcome in enumerate(section.outcomes):
            if outcome == "unknown":
                yield ("outcomes", i), "an outcome named in the content"

    # A slug no real product will take, so the test still holds once docs/extending.md's example is added.
    extra = Product(max(p.number for p in PRODUCTS) + 1, "test_extra_product", "Logic model", LogicModel, check=check)
    model = plan_model((*PRODUCTS, extra))
    store = PlanStore(tmp_path, model)
    store.update("E06000045", lambda plan: plan.test_extra_product.outcomes.append("school readiness"))
    assert store.load("E06000045").test_extra_product.outcomes == ["school readiness"]
    assert "test_extra_product:" in store.path_for("E06000045").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="test_extra_product.outcomes"):
        store.update("E06000045", lambda plan: plan.test_extra_product.outcomes.append("unknown"))


@pytest.mark.parametrize("attribute", ["number", "slug"])
def test_two_products_with_the_same_number_or_slug_are_refused(attribute: str) -> None:
    import dataclasses

    from jointwork.core.plan import plan_model

    first = PRODUCTS[0]
    twin = dataclasses.replace(
        PRODUCTS[1], **{attribute: getattr(first, attribute)}, title="A second product with the same " + attribute
    )
    with pytest.raises(ValueError, match=f"each product needs its own {attribute}"):
        plan_model((first, twin))


def test_a_product_slug_cannot_shadow_a_field_every_plan_has() -> None:
    import dataclasses

    from jointwork.core.plan import plan_model

    with pytest.raises(ValueError, match="area_code"):
        plan_model((dataclasses.replace(PRODUCTS[0], slug="area_code"),))
