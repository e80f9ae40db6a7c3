"""Simulated phones for the load test and the tests: each is its own HTTP client with its own cookies,
and answers a round through the same pages and forms a person would (no shortcut into the store)."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from ...core.questionnaire import Questionnaire
from .questions import NOTE_FIELD, VALUE_FIELD, screens

_XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


class Phone:
    """One respondent's device on the respondent service at ``base`` (``http://127.0.0.1:8867``)."""

    def __init__(self, base: str, timeout: float = 30.0) -> None:
        self.client = httpx.Client(
            base_url=base, follow_redirects=False, timeout=timeout, trust_env=False
        )  # never a proxy
        self.code = ""
        self.last: httpx.Response | None = None

    def close(self) -> None:
        self.client.close()

    def get(self, path: str) -> httpx.Response:
        self.last = self.client.get(path)
        return self.last

    def join(self, code: str) -> httpx.Response:
        """Open the join address (the phone gets its device cookie here)."""
        self.code = code
        return self.get(f"/j/{code}")

    def token(self, path: str) -> str:
        """The anti-forgery token of the form on ``path``."""
        found = _XSRF.search(self.get(path).text)
        if not found:
            raise AssertionError(f"no form on {path} (status {self.last.status_code if self.last else '?'})")
        return found.group(1)

    def post(self, path: str, form: Mapping[str, str], token: str | None = None) -> httpx.Response:
        """Post ``form`` from the page at ``path`` (with that page's token unless ``token`` is given)."""
        data = {"_xsrf": token if token is not None else self.token(path), **form}
        self.last = self.client.post(path, data=data)
        return self.last

    def about(self, sector: str, name: str = "") -> httpx.Response:
        return self.post(f"/j/{self.code}", {"sector": sector, "name": name})

    def screen(self, number: int, form: Mapping[str, str]) -> httpx.Response:
        return self.post(f"/j/{self.code}/s/{number}", form)

    def answer_all(
        self, questionnaire: Questionnaire, values: Mapping[str, Any], notes: Mapping[str, str] | None = None
    ) -> list[httpx.Response]:
        """Send every screen of ``questionnaire`` with these values (and notes), in order."""
        return [self.screen(number, form) for number, form in screen_forms(questionnaire, values, notes)]


def screen_forms(
    questionnaire: Questionnaire, values: Mapping[str, Any], notes: Mapping[str, str] | None = None
) -> list[tuple[int, dict[str, str]]]:
    """Each screen's number and the form fields that answer it with these values (and notes)."""
    forms = []
    for screen in screens(questionnaire):
        form = {}
        for question in screen.questions:
            if question.id in values:
                form[VALUE_FIELD + question.id] = str(values[question.id])
            if notes and question.id in notes:
                form[NOTE_FIELD + question.id] = notes[question.id]
        forms.append((screen.number, form))
    return forms


@contextlib.contextmanager
def service_in_thread(service: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run the respondent service on its own event loop in a thread; yields its base address."""
    import asyncio

    from .service import start_service

    ready = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = start_service(service, host, port)
        box["loop"], box["server"] = loop, server
        box["port"] = next(iter(server._sockets.values())).getsockname()[1]
        ready.set()
        loop.run_forever()
        server.stop()
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://{host}:{box['port']}"
    finally:
        box["loop"].call_soon_threadsafe(box["loop"].stop)
        thread.join(10)
