"""The plan model: one section per product, strict fields, GSS area codes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jointwork.core.plan import Sector, check_gss_code
from jointwork.products import PRODUCTS, Plan


class TestPlan:
    def test_a_blank_plan_has_started_nothing(self) -> None:
        plan = Plan(area_code="E06000045")
        assert not any(plan.is_started(p.slug) for p in PRODUCTS)
        with pytest.raises(KeyError, match="no section 'area_code'"):
            plan.section("area_code")

    @pytest.mark.parametrize("code", ["../x", "E0600004", "e06000045", "E06000045/", "", "X06000045"])
    def test_area_code_must_be_gss(self, code: str) -> None:
        with pytest.raises(ValueError):
            check_gss_code(code)
        with pytest.raises(ValidationError):
            Plan(area_code=code)

    def test_unknown_field_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="extra"):
            Plan.model_validate({"area_code": "E06000045", "introductoin": {}})

    def test_rating_out_of_range_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="less than or equal to 4"):
            Plan.version_1.model_validate(
                {
                    "schema_version": 1,
                    "area_code": "E06000045",
                    "successful_joint_working": {
                        "respondents": [{"name": "A", "sector": "health", "ratings": {"x": {"score": 5}}}]
                    },
                }
            )

    def test_assignment_is_validated(self) -> None:
        plan = Plan(area_code="E06000045")
        with pytest.raises(ValidationError):
            plan.area_code = "nope"

    def test_started_after_an_entry(self) -> None:
        plan = Plan(area_code="E06000045")
        plan.who_to_engage.stakeholders.append(
            __import__("jointwork.products.who_to_engage", fromlist=["Stakeholder"]).Stakeholder(
                role="Head of midwifery", sector=Sector.HEALTH
            )
        )
        assert plan.is_started("who_to_engage")
        assert not plan.is_started("introduction")

    def test_section_rejects_unknown_slug(self) -> None:
        with pytest.raises(KeyError):
            Plan(area_code="E06000045").section("area_code")
