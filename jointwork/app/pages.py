"""The templates of the pages the app serves itself (no kernel): the start page, the session plan,
the presenter view, the room page and the page-cap notice, all files of the ``jointwork`` Voila
template (:data:`TEMPLATE_DIR`), each value escaped unless marked safe."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

#: The ``jointwork`` Voila template: the product pages, the app's own pages and their static files.
TEMPLATE_DIR = Path(__file__).resolve().parent / "share" / "jupyter" / "voila" / "templates" / "jointwork"


@cache
def page_template(name: str) -> jinja2.Template:
    """The page template ``name`` (such as ``start.html.j2``) of the ``jointwork`` template."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return env.get_template(name)
