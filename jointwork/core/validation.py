"""Turn pydantic validation errors into (field, line, expected) triples a person can act on."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError


def field_path(loc: tuple[Any, ...]) -> str:
    """``('respondents', 0, 'ratings')`` -> ``respondents[0].ratings``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


def yaml_line(text: str | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest YAML node that ``loc`` reaches, or None."""
    if not text:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    line, node = key_node.start_mark.line + 1, value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _expected(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "no such field (it is not part of the schema; check the spelling)"
    if kind == "missing":
        return "a value (this field is required)"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return f"a number that is {error['msg'].removeprefix('Input should be ')}, got {error.get('input')!r}"
    message = error["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
    got = error.get("input")
    if (
        kind.endswith("_type")
        or kind.endswith("_parsing")
        or kind in {"literal_error", "enum", "string_pattern_mismatch"}
    ):
        if kind == "string_pattern_mismatch" and ctx.get("pattern"):
            message = f"text matching {ctx['pattern']}"
        return f"{message}, got {got!r}" if not isinstance(got, (dict, list)) else message
    return message


def problems_from_validation(
    exc: ValidationError, text: str | None = None, prefix: tuple[Any, ...] = ()
) -> list[tuple[str, int | None, str]]:
    """Every error of ``exc`` as (field path, YAML line or None, what was expected)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append((field_path(loc), yaml_line(text, loc), _expected(error)))
    return problems
