"""What a batch run did: failures, notebook runs, each area's outcome and the whole :class:`BatchResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Failure:
    """Something that did not work: an area's plan, or one product notebook (with its cell)."""

    area: str
    area_name: str
    error: str
    product: int | None = None
    notebook: str | None = None
    cell_index: int | None = None
    cell_source: str | None = None

    def __str__(self) -> str:
        where = f"{self.area} {self.area_name}"
        if self.product is not None:
            where += f", product {self.product}"
        if self.notebook:
            where += f" ({self.notebook})"
        if self.cell_index is not None:
            where += f", cell {self.cell_index}"
            if self.cell_source:
                where += f" `{self.cell_source}`"
        return f"{where}: {self.error}"


@dataclass
class NotebookRun:
    """One product notebook of one area in a batch: ``status`` is "ran", "up to date" or "failed"."""

    area: str
    product: int
    status: str
    path: str
    seconds: float = 0.0


@dataclass
class AreaOutcome:
    """What a worker did for one area (sent back to the main process)."""

    area: str
    runs: list[NotebookRun] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    pack: str | None = None
    pack_built: bool = False
    seconds: float = 0.0


@dataclass
class BatchResult:
    """The outcome of :func:`~jointwork.run.batch.run_batch`: what ran, what failed, where the outputs are."""

    out_dir: Path
    areas: list[str]
    products: list[int]
    engine: str
    runs: list[NotebookRun] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    packs: dict[str, Path] = field(default_factory=dict)
    index: Path | None = None
    summary_csv: Path | None = None
    summary_html: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether nothing failed."""
        return not self.failures

    def count(self, status: str) -> int:
        """How many notebook runs have ``status`` ("ran", "up to date" or "failed")."""
        return sum(1 for r in self.runs if r.status == status)

    def report(self) -> str:
        """A few lines of plain English: counts, failures and where the outputs are."""
        lines = [
            f"{len(self.areas)} area(s), products {','.join(map(str, self.products)) or 'none'}: "
            f"{self.count('ran')} notebook(s) run, {self.count('up to date')} up to date (skipped), "
            f"{self.count('failed')} failed, in {self.seconds:.1f} s"
        ]
        if self.failures:
            lines.append(f"{len(self.failures)} failure(s):")
            lines += [f"  - {f}" for f in self.failures]
        if self.index:
            lines.append(f"Packs: {self.index}")
        if self.summary_csv:
            lines.append(f"Summary: {self.summary_html}, {self.summary_csv} and summary.xlsx")
        return "\n".join(lines)
