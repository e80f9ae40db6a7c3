"""What a batch run's outputs are made from, so that a re-run skips what is up to date.

Each area's output folder holds ``manifest.json``: for every executed notebook the key it was made
from (hashes of the plan file or "no plan", the notebook, the library's code and the content and
area data) and a hash of the output, and the key of the area's pack. An output is up to date when
its key is unchanged and the file on disk is the one the manifest recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


def digest(data: bytes) -> str:
    """A short SHA-256 of some bytes (20 hex digits: plenty to tell versions of a file apart)."""
    return hashlib.sha256(data).hexdigest()[:20]


def file_digest(path: Path) -> str:
    """The :func:`digest` of a file's bytes."""
    return digest(path.read_bytes())


def tree_digest(files: Iterable[Path], root: Path) -> str:
    """One digest over several files: their paths (relative to ``root``) and their bytes, in path order."""
    combined = hashlib.sha256()
    for path in sorted(files):
        combined.update(str(path.relative_to(root)).encode())
        combined.update(path.read_bytes())
    return combined.hexdigest()[:20]


def library_key() -> dict[str, str]:
    """Hashes of what every output depends on besides the plan and the notebook.

    The library's code (every ``.py`` file and the pack's stylesheet), its version, and the
    content, area and indicator tables.
    """
    from ..core.paths import PACKAGE_DIR, data_dir
    from ..core.version import __version__

    data = data_dir()
    code = [*PACKAGE_DIR.rglob("*.py"), *(PACKAGE_DIR / "render" / "static").glob("*")]

    def tables(folder: str, pattern: str) -> str:
        """The digest of a data folder's tables, or "none" when it is missing."""
        return tree_digest((data / folder).glob(pattern), data) if (data / folder).is_dir() else "none"

    return {
        "jointwork": __version__,
        "code": tree_digest((p for p in code if p.is_file()), PACKAGE_DIR),
        "content": tables("content", "*.yaml"),
        "areas": tables("areas", "*.csv"),
        "indicators": tables("indicators", "*.csv"),
    }


def read_manifest(area_dir: Path) -> dict[str, Any]:
    """An area folder's manifest, or an empty one when it is missing, unreadable or of another format."""
    try:
        manifest = json.loads((area_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("format") == MANIFEST_FORMAT else {}


def write_manifest(area_dir: Path, code: str, workspace: str, notebooks: Mapping[str, Any], pack: Any) -> None:
    """Write an area folder's manifest atomically (a reader never sees half a file)."""
    area_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": MANIFEST_FORMAT,
        "area": code,
        "workspace": workspace,
        "notebooks": dict(notebooks),
        "pack": pack,
    }
    partial = area_dir / f".{MANIFEST}.tmp"
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, area_dir / MANIFEST)


def output_is_current(entry: Mapping[str, Any] | None, key: Mapping[str, Any], output: Path) -> bool:
    """Whether a notebook's manifest entry says it ran from ``key`` and ``output`` is the file it wrote."""
    if not entry or entry.get("status") != "ok" or entry.get("key") != key or not output.is_file():
        return False
    return entry.get("output") == file_digest(output)


def pack_key(products: Sequence[int], outputs: Mapping[int, str | None], library: Mapping[str, str]) -> dict[str, Any]:
    """What an area's pack is made from: the pack's format, the products and their notebooks' hashes."""
    from ..render.pack import PACK_FORMAT

    return {
        "format": PACK_FORMAT,
        "products": list(products),
        "outputs": {str(n): outputs.get(n) for n in products},
        "library": dict(library),
    }
