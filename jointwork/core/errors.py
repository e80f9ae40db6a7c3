"""Error types. Every message says which file, which field and what was expected."""

from __future__ import annotations

from pathlib import Path


class JointworkError(Exception):
    """Base class for every error the library raises on purpose."""


class InputError(JointworkError, ValueError):
    """Bad input: a file, a field or a value that is not what was expected.

    The message always names the source (a file or "argument"), the field, and what was expected.
    """

    def __init__(
        self, source: str | Path, field: str, expected: str, *, line: int | None = None, got: object = None
    ) -> None:
        self.source = str(source)
        self.field = field
        self.expected = expected
        self.line = line
        self.got = got
        where = f"{self.source}" + (f", line {line}" if line else "")
        got_text = "" if got is None else f" (got {got!r})"
        super().__init__(f"{where}: field '{field}': expected {expected}{got_text}")


class PlanError(InputError):
    """A plan file (or a change to a plan) that does not validate.

    ``problems`` lists every (field, line, expected) found; the message shows them all.
    """

    def __init__(self, source: str | Path, problems: list[tuple[str, int | None, str]]) -> None:
        first_field, first_line, first_expected = problems[0]
        super().__init__(source, first_field, first_expected, line=first_line)
        self.problems = problems
        if len(problems) > 1:
            lines = [f"{self.source}: {len(problems)} problems:"]
            for field, line, expected in problems:
                at = f" (line {line})" if line else ""
                lines.append(f"  - field '{field}'{at}: expected {expected}")
            self.args = ("\n".join(lines),)


class AreaNotFound(InputError):
    """An area code, alias or name that matches no English upper-tier local authority."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        hint = "; closest matches: " + ", ".join(suggestions) if suggestions else ""
        super().__init__(
            "argument",
            "area",
            "a GSS code, DfE code or name of an English upper-tier "
            "local authority (try `jointwork areas --search TEXT`)" + hint,
            got=query,
        )
        self.query = query
        self.suggestions = suggestions


class PlanBusy(JointworkError):
    """Another process held the plan's lock for longer than the timeout."""
