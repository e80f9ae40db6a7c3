"""The illustrative sample plans and their responses, copied into a workspace for a demo or a test."""

from __future__ import annotations

import os
import shutil

from .paths import data_dir, resolve_workspace


def copy_samples(workspace: str | os.PathLike[str] | None = None) -> list[str]:
    """Copy the sample plans, and each one's responses (rounds and answers), into a workspace; returns the
    sample areas' codes. A plan, or an area's responses, already in the workspace is never replaced."""
    root = resolve_workspace(workspace)
    samples = data_dir() / "samples"
    (root / "plans").mkdir(parents=True, exist_ok=True)
    codes = []
    for sample in sorted((samples / "plans").glob("*.yaml")):
        codes.append(sample.stem)
        target = root / "plans" / sample.name
        if not target.exists():
            shutil.copyfile(sample, target)
        answers = samples / "responses" / sample.stem
        if answers.is_dir() and not (root / "responses" / sample.stem).exists():
            shutil.copytree(answers, root / "responses" / sample.stem, ignore=shutil.ignore_patterns(".lock"))
    return codes
