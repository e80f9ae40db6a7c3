"""The respondent service's web server (tornado, in the app's process, on its own address and port).

Routes (everything else is a plain 404, so no Jupyter, Voila or kernel path answers here):

- ``/``: how to join, with a box for the workshop code;
- ``/join?code=...``: the box's target, sent on to the join address;
- ``/j/<code>``: the first screen, "about you" (sector, and a name or none to stay anonymous);
- ``/j/<code>/s/<n>``: screen n of the questions (one question group per screen);
- ``/j/<code>/done``: what has been saved, with links back to change it;
- ``/respond.css``: the pages' only other file.

Every form carries an anti-forgery token (tornado's ``_xsrf``, checked against its cookie and the
``Origin`` header). Request bodies over :data:`BODY_LIMIT` get 413; each device may post
:data:`DEVICE_POSTS` times in a burst (then one every :data:`DEVICE_REFILL_S` seconds), and each
network address may start :data:`NEW_DEVICES` devices in a burst. A device is a random secret in a
cookie scoped to its join address; the response it writes has an id made from that secret, so the
same phone finds and changes its own answers until the round closes (also when the round is shared
again under a new code), and no one else can.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import tornado.httpserver
import tornado.httputil
import tornado.web
from markupsafe import Markup

from ...core.areas import find_area
from ...core.errors import JointworkError, PlanBusy
from ...core.plan import Sector
from ...core.product import Product
from ...core.questionnaire import MAX_NOTE
from ...core.responses import MAX_NAME, Response, ResponseError, ResponseStore, Round
from ...products import PRODUCTS, get_product
from ..handlers import from_elsewhere
from .codes import CODE_LENGTH, SharedRound, WorkshopCodes, normalise
from .questions import (
    NOTE_FIELD,
    Screen,
    field_problems,
    merged,
    read_screen,
    screens,
    typed_from_answers,
    typed_on_screen,
)

BODY_LIMIT = 64 * 1024  # a request body over this gets 413
BODY_TIMEOUT_S = 15.0  # a body sent slower than this is dropped
CONNECTIONS_PER_ADDRESS = 64  # a phone's browser opens a few; the load test's 30 phones share 127.0.0.1
READ_LIMIT = 1024 * 1024  # bodies up to this are read (and dropped) so that the 413 reaches the phone
DEVICE_COOKIE = "jw_device_"  # + a hash of the round: one secret per round, whichever code it was shared under
DEVICE_SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
DEVICE_DAYS = 7  # a phone keeps its secret this long, also when its browser is closed
DEVICE_POSTS = 30
DEVICE_REFILL_S = 2.0
NEW_DEVICES = 120
NEW_DEVICE_REFILL_S = 0.5
TEMPLATES = Path(__file__).resolve().parent / "templates"
CODE = f"[A-Za-z0-9]{{{CODE_LENGTH}}}"

GONE = (
    "This address is not open for answers. Check the address shown on the screen in the room, or ask "
    "the facilitator: the round may have closed, and then answers can no longer be sent or changed."
)
MESSAGES = {
    400: "This page could not be read. Go back and try again.",
    403: (
        "This form could not be accepted: it was not sent from this page of the workshop, or it has "
        "expired. Go back, reload the page and send it again."
    ),
    404: GONE,
    405: "This address only shows a page; go back and use the buttons on it.",
    413: "What was sent is too long (more than 64 KB). Shorten the longest answer and send it again.",
    429: "Too many sends from this device in a short time. Wait a few seconds, then send again.",
    503: "The laptop is busy saving others' answers. Wait a moment, then send again.",
    500: "Something went wrong on the facilitator's laptop. Your answers saved before this are kept; try again.",
}


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )


class RateLimit:
    """A token bucket per key: ``burst`` at once, then one more every ``refill_s`` seconds."""

    def __init__(self, burst: int, refill_s: float) -> None:
        self.burst, self.refill_s = burst, refill_s
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, since = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - since) / self.refill_s)
            if len(self._buckets) > 10_000:  # forget buckets that are full again
                full = [k for k, (t, s) in self._buckets.items() if t + (now - s) / self.refill_s >= self.burst]
                for k in full:
                    del self._buckets[k]
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True


@dataclass
class Service:
    """What the respondent pages need: the codes, the response store, the rate limits, the address
    phones use (``host``: requests naming any other host are refused) and the key that signs device
    cookies (kept in the workspace, so phones keep their answers when the app is restarted)."""

    codes: WorkshopCodes
    store: ResponseStore
    host: str | None = None
    device_posts: RateLimit = field(default_factory=lambda: RateLimit(DEVICE_POSTS, DEVICE_REFILL_S))
    new_devices: RateLimit = field(default_factory=lambda: RateLimit(NEW_DEVICES, NEW_DEVICE_REFILL_S))
    cookie_secret: bytes = b""

    def __post_init__(self) -> None:
        if not self.cookie_secret:
            self.cookie_secret = cookie_key(self.store.root)


def cookie_key(folder: Path) -> bytes:
    """The key that signs device cookies: ``<workspace>/responses/.device-key``, made once, readable
    by its owner only, and put in place whole (a second app starting at once reads the same key)."""
    path = folder / ".device-key"
    folder.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".device-key.")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_hex(32).encode())
            os.chmod(temporary, 0o600)
            os.link(temporary, path)  # fails if another process made the key first: then that one is read
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    key = path.read_bytes().strip()
    if len(key) < 32:
        raise JointworkError(f"{path}: expected a key of at least 32 characters; delete the file to make a new one")
    return key


@dataclass(frozen=True)
class Visit:
    """A request's round: the shared round, its product, its area's name and the round itself."""

    code: str
    shared: SharedRound
    product: Product
    area_name: str
    round: Round

    @property
    def screens(self) -> list[Screen]:
        return screens(self.product.questionnaire)

    def url(self, part: str = "") -> str:
        return f"/j/{self.code}{part}"


def device_response_id(secret: str) -> str:
    """The id of the response a device writes (from its secret; the secret cannot be worked back)."""
    return hashlib.sha256(b"jointwork device response\0" + secret.encode()).hexdigest()[:32]


def device_cookie(shared: SharedRound) -> str:
    """The name of a device's cookie for a round: the same when the round is shared again under a new
    code, so a phone that answered before still finds its answers."""
    key = f"{shared.area}/{shared.product}/{shared.round_id}".encode()
    return DEVICE_COOKIE + hashlib.sha256(key).hexdigest()[:16]


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class RespondentHandler(tornado.web.RequestHandler):
    """Headers, error pages and the shared round of every respondent page."""

    service: Service

    def initialize(self, service: Service) -> None:
        self.service = service

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'",
        )
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")  # "no-referrer" would make forms send "Origin: null"
        self.set_header("X-Frame-Options", "DENY")

    def prepare(self) -> None:
        """Refuse a request that names another host (404: a page reached by DNS rebinding finds
        nothing) or whose body is over the limit (413), on every route."""
        if self.service.host is not None and self.request.host_name != self.service.host:
            raise tornado.web.HTTPError(404)
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > BODY_LIMIT and not isinstance(self, FormHandler):
            raise tornado.web.HTTPError(413)

    def render_page(self, template: str, **values: Any) -> None:
        self.finish(_templates().get_template(template).render(**values))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.render_page(
            "message.html.j2",
            title="Not open" if status_code == 404 else "Not sent",
            message=MESSAGES.get(status_code, MESSAGES[500]),
            typed=getattr(self, "typed_when_refused", []),
        )

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, tornado.web.HTTPError):  # a 404 for a wrong code is not worth a line
            super().log_exception(typ, value, tb)

    # ---- the round and the device -------------------------------------------------------------
    def visit(self, code: str) -> Visit:
        """The open round behind ``code``, or a 404 that says nothing about which codes exist."""
        shared = self.service.codes.find(code)
        if shared is None:
            raise tornado.web.HTTPError(404)
        try:
            product = get_product(shared.product)
            found = self.service.store.round(shared.area, product.slug, shared.round_id)
            area_name = find_area(shared.area).name
        except JointworkError:
            self.service.codes.end(shared)
            raise tornado.web.HTTPError(404) from None
        if not found.is_open or product.questionnaire is None:
            self.service.codes.end(shared)  # the round was closed elsewhere (the product page)
            raise tornado.web.HTTPError(404)
        return Visit(code, shared, product, area_name, found)

    def device(self, visit: Visit, make: bool = False) -> str | None:
        """The device's secret for this round (a new one in a cookie if ``make``)."""
        cookie = device_cookie(visit.shared)
        signed = self.get_signed_cookie(cookie, max_age_days=DEVICE_DAYS)  # only secrets this service gave
        secret = signed.decode("ascii", "replace") if signed else ""
        if DEVICE_SECRET.fullmatch(secret):
            return secret
        if not make:
            return None
        if not self.service.new_devices.allow(self.request.remote_ip or "?"):
            raise tornado.web.HTTPError(429)
        secret = secrets.token_urlsafe(32)
        self.set_signed_cookie(cookie, secret, expires_days=DEVICE_DAYS, path="/j/", httponly=True, samesite="Strict")
        return secret

    def own_response(self, visit: Visit, secret: str | None) -> Response | None:
        if secret is None:
            return None
        found = self.service.store.get(
            visit.shared.area, visit.product.slug, visit.round.id, device_response_id(secret)
        )
        if found is None or not hmac.compare_digest(found.secret_hash or "", secret_hash(secret)):
            return None
        return found

    def page_values(self, visit: Visit, **values: Any) -> dict[str, Any]:
        return {
            "area": visit.area_name,
            "product": visit.product.title,
            "round": visit.round.name,
            "questionnaire": visit.product.questionnaire.title,
            "screens": visit.screens,
            "url": visit.url,
            "xsrf": Markup(self.xsrf_form_html()),
            **values,
        }


def typed_text(fields: Mapping[str, str]) -> list[tuple[str, str]]:
    """The name and notes typed on a form, each with what it answers, for a page that refuses it."""
    titles = {q.id: q.title for p in PRODUCTS if p.questionnaire for q in p.questionnaire.questions()}
    found = [("Your name", fields["name"])] if fields.get("name", "").strip() else []
    for name, text in fields.items():
        if name.startswith(NOTE_FIELD) and text.strip():
            found.append((titles.get(name.removeprefix(NOTE_FIELD), "Note"), text))
    return found


@tornado.web.stream_request_body
class FormHandler(RespondentHandler):
    """A page with a form: the body is read up to READ_LIMIT, and refused with 413 over BODY_LIMIT."""

    def prepare(self) -> None:
        super().prepare()
        self._body = bytearray()
        self.request.connection.set_max_body_size(READ_LIMIT)
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > READ_LIMIT:
            raise tornado.web.HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        if len(self._body) + len(chunk) <= READ_LIMIT:
            self._body.extend(chunk)

    def form(self) -> dict[str, str]:
        """The posted fields: 400 for a body that cannot be read, 413 over the size limit (with what
        was typed kept for the page that says so)."""
        self.request.body = bytes(self._body)
        try:
            tornado.httputil.parse_body_arguments(
                self.request.headers.get("Content-Type", ""),
                self.request.body,
                self.request.body_arguments,
                self.request.files,
                self.request.headers,
            )
            fields = {
                k: v[-1].decode("utf-8").replace("\r\n", "\n")
                for k, v in self.request.body_arguments.items()
                if k != "_xsrf"
            }
        except Exception:  # noqa: BLE001 - any body tornado or UTF-8 cannot read is the sender's problem
            raise tornado.web.HTTPError(400) from None
        for name, values in self.request.body_arguments.items():
            self.request.arguments.setdefault(name, []).extend(values)
        self.typed_when_refused = typed_text(fields)
        if len(self._body) > BODY_LIMIT:
            raise tornado.web.HTTPError(413)
        return fields

    def not_forged(self) -> None:
        """Refuse (403) a form posted from another site or without this page's token."""
        if from_elsewhere(self.request):
            raise tornado.web.HTTPError(403)
        self.check_xsrf_cookie()

    def posted(self, code: str) -> tuple[Visit, dict[str, str]]:
        """The round and the posted fields, checked in this order: size (413), what was typed is kept
        for any refusal page, the code (404), forgery (403)."""
        form = self.form()
        visit = self.visit(code)
        self.not_forged()
        return visit, form

    def allowed(self, secret: str | None) -> None:
        if not self.service.device_posts.allow(secret or f"address {self.request.remote_ip}"):
            raise tornado.web.HTTPError(429)


class Home(RespondentHandler):
    def get(self) -> None:
        self.render_page("home.html.j2", title="Join a workshop")


class Join(RespondentHandler):
    """The home page's code box: the code as typed (any case, spaces, dashes) sent on to its address."""

    def get(self) -> None:
        code = normalise(self.get_argument("code", "")[:100])
        self.visit(code)  # 404 for a wrong or ended code
        self.redirect(f"/j/{code}", status=303)


class About(FormHandler):
    """The first screen: the respondent's sector, and a name or none."""

    def _show(self, visit: Visit, sector: str, name: str, problems: Mapping[str, str], returning: bool) -> None:
        self.render_page(
            "about.html.j2",
            **self.page_values(
                visit,
                title=f"{visit.product.title} - about you",
                sectors=[(s.value, s.label) for s in Sector],
                sector=sector,
                name=name,
                problems=problems,
                returning=returning,
            ),
        )

    def get(self, code: str) -> None:
        visit = self.visit(code)
        mine = self.own_response(visit, self.device(visit, make=True))
        self._show(visit, mine.sector.value if mine else "", (mine.name or "") if mine else "", {}, mine is not None)

    async def post(self, code: str) -> None:
        visit, form = self.posted(code)
        secret = self.device(visit)
        self.allowed(secret)
        if secret is None:
            raise tornado.web.HTTPError(403)
        sector_value, name = form.get("sector", ""), " ".join(form.get("name", "").split())
        problems: dict[str, str] = {}
        if sector_value not in {s.value for s in Sector}:
            problems["sector"] = "Your sector: expected one of " + ", ".join(s.label for s in Sector) + "."
        if len(name) > MAX_NAME:
            problems["name"] = f"Your name: expected at most {MAX_NAME} characters (or none)."
        if not problems:
            response = Response(
                device_response_id(secret),
                visit.round.id,
                visit.product.slug,
                Sector(sector_value),
                "",
                {},
                name or None,
                source="device",
                secret_hash=secret_hash(secret),
            )
            for problem in self.service.store.problems(visit.product.questionnaire, response):
                problems.setdefault("name", "Your " + problem.removeprefix("the ") + ".")
        if not problems:

            def keep_answers(saved: Response | None) -> Response:  # the answers already saved are kept
                return replace(response, answers=dict(saved.answers) if saved else {})

            problem = await save(self.service.store, visit, response.id, keep_answers)
            if problem is None:
                self.redirect(visit.url("/s/1"), status=303)
                return
            problems["name"] = problem
        self.set_status(400)
        self._show(visit, sector_value, form.get("name", ""), problems, returning=False)


async def save(
    store: ResponseStore, visit: Visit, response_id: str, change: Callable[[Response | None], Response]
) -> str | None:
    """Change and save a device's response under the area's lock, off the server's loop; the problem
    in words, or ``None`` once saved. A round closed meanwhile gives the 404 of an ended code; a store
    too busy to save, a 503."""
    key = (visit.product.slug, visit.round.id, response_id)
    try:
        await asyncio.to_thread(store.change, visit.shared.area, visit.product.questionnaire, key, change)
    except PlanBusy:
        raise tornado.web.HTTPError(503) from None
    except ResponseError as exc:
        if not store.round(visit.shared.area, visit.product.slug, visit.round.id).is_open:
            raise tornado.web.HTTPError(404) from None
        return f"Not saved: expected {exc.expected}."
    return None


class Questions(FormHandler):
    """Screen n of the questions."""

    def _screen(self, visit: Visit, number: str) -> Screen:
        found = visit.screens
        index = int(number) - 1
        if not 0 <= index < len(found):
            raise tornado.web.HTTPError(404)
        return found[index]

    def _show(
        self, visit: Visit, screen: Screen, typed: Mapping[str, str], problems: Mapping[str, str], saved: bool = False
    ) -> None:
        questionnaire = visit.product.questionnaire
        self.render_page(
            "screen.html.j2",
            **self.page_values(
                visit,
                title=f"{screen.title} - {visit.product.title}",
                screen=screen,
                last=screen.number == len(visit.screens),
                kind=questionnaire.kind,
                points=list(questionnaire.points()),
                options=list(questionnaire.options),
                ranks=list(range(1, len(questionnaire.question_ids()) + 1)),
                notes=questionnaire.notes,
                note_label=questionnaire.note_label,
                max_note=MAX_NOTE,
                typed=typed,
                problems=problems,
                saved=saved,
            ),
        )

    def get(self, code: str, number: str) -> None:
        visit = self.visit(code)
        screen = self._screen(visit, number)
        mine = self.own_response(visit, self.device(visit))
        if mine is None:
            self.redirect(visit.url(), status=303)
            return
        self._show(visit, screen, typed_from_answers(screen, mine.answers), {})

    async def post(self, code: str, number: str) -> None:
        visit, form = self.posted(code)
        screen = self._screen(visit, number)
        secret = self.device(visit)
        self.allowed(secret)
        mine = self.own_response(visit, secret)
        if mine is None:  # no cookie, or the "about you" screen was never sent
            raise tornado.web.HTTPError(403)
        questionnaire = visit.product.questionnaire
        posted = read_screen(questionnaire, screen, form)
        problems = field_problems(questionnaire, merged(mine.answers, screen, posted))
        if not problems:

            def with_screen(saved: Response | None) -> Response:  # merged with the answers saved by then
                latest = saved or mine
                return replace(latest, answers=merged(latest.answers, screen, posted))

            problem = await save(self.service.store, visit, mine.id, with_screen)
            if problem is None:
                go_back = form.get("go") == "back"
                if go_back and screen.number > 1:
                    self.redirect(visit.url(f"/s/{screen.number - 1}"), status=303)
                elif go_back:
                    self.redirect(visit.url(), status=303)
                elif screen.number < len(visit.screens):
                    self.redirect(visit.url(f"/s/{screen.number + 1}"), status=303)
                else:
                    self.redirect(visit.url("/done"), status=303)
                return
            problems = {"(answers)": problem}
        self.set_status(400)
        self._show(visit, screen, typed_on_screen(screen, form), problems)


class Done(RespondentHandler):
    def get(self, code: str) -> None:
        visit = self.visit(code)
        mine = self.own_response(visit, self.device(visit))
        if mine is None:
            self.redirect(visit.url(), status=303)
            return
        questionnaire = visit.product.questionnaire
        self.render_page(
            "done.html.j2",
            **self.page_values(
                visit,
                title=f"Saved - {visit.product.title}",
                answered=questionnaire.answered(mine.answers),
                questions=len(questionnaire.question_ids()),
                named=mine.name,
                sector=mine.sector.label,
            ),
        )


class Stylesheet(tornado.web.RequestHandler):
    def get(self) -> None:
        self.clear_header("Server")
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "max-age=600")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish((TEMPLATES / "respond.css").read_bytes())


class NotHere(RespondentHandler):
    """Every other path (Jupyter's, Voila's, a file listing...): 404."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def respondent_app(service: Service) -> tornado.web.Application:
    """The respondent pages as a tornado application (device cookies signed with the service's key)."""
    given = {"service": service}
    return tornado.web.Application(
        [
            (r"/", Home, given),
            (r"/join", Join, given),
            (rf"/j/({CODE})", About, given),
            (rf"/j/({CODE})/s/(\d{{1,3}})", Questions, given),
            (rf"/j/({CODE})/done", Done, given),
            (r"/respond\.css", Stylesheet),
        ],
        default_handler_class=NotHere,
        default_handler_args=given,
        cookie_secret=service.cookie_secret,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Strict"},
        compress_response=True,
    )


class RespondentServer(tornado.httpserver.HTTPServer):
    """The respondent service's server: at most :data:`CONNECTIONS_PER_ADDRESS` open connections from
    one network address (more are closed at once), so one device cannot tie up the app's files."""

    def handle_stream(self, stream: Any, address: Any) -> None:
        here = address[0] if isinstance(address, tuple) and address else ""
        open_here = sum(1 for c in self._connections if getattr(c.context, "address", ("",))[0] == here)
        if open_here >= CONNECTIONS_PER_ADDRESS:
            stream.close()
            return
        super().handle_stream(stream, address)


def start_service(service: Service, host: str, port: int) -> tornado.httpserver.HTTPServer:
    """Listen on ``host:port`` for respondents (on the current event loop) and return the server."""
    if service.host is None:
        service.host = host
    server = RespondentServer(
        respondent_app(service),
        max_body_size=READ_LIMIT,
        xheaders=False,
        idle_connection_timeout=60,
        body_timeout=BODY_TIMEOUT_S,
    )
    server.listen(int(port), host)
    return server
