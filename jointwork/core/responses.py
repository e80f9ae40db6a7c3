"""Each partner's own answers: rounds and responses, stored apart from the plan.

Layout, under the workspace::

    responses/<AREA>/rounds.json                       the area's rounds, per product
    responses/<AREA>/<product slug>/<round id>/<response id>.json   one file per response

A response is one respondent's answers to one product's questionnaire in one round. Each is its own
file, written atomically (a temporary file in the same folder, fsync, rename), so saving one response
never rewrites another and two people saving at once never lose each other's answers. Rounds are
named and dated; the facilitator opens and closes them, and a closed round cannot be changed.
Changes to an area's rounds, and saves into them, hold the area's lock, so a save never lands in a
round that was closed a moment before.

A respondent has a sector and either a name or an anonymous label ("Respondent 4"), which the store
assigns: an anonymous response holds no name and no typed identity.

The store knows questionnaires only through what it is handed (:class:`Questionnaire`): it validates
answers with them and never imports a product.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .errors import InputError, PlanBusy
from .paths import resolve_workspace
from .plan import GSS_CODE, Sector
from .questionnaire import Questionnaire

FORMAT = 1
ROUND_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESPONSE_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_NAME = 200
SOURCES = ("workbook", "form", "survey", "device", "plan")
ANONYMOUS_LABEL = re.compile(r"Respondent \d+", re.I)


class ResponseError(InputError):
    """A response or a round that cannot be saved as asked (the message says why, in words)."""


@dataclass(frozen=True)
class Round:
    """A named, dated collection of responses to one product's questionnaire for one area."""

    id: str
    product: str
    name: str
    opened_on: date
    closed_at: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "product": self.product,
            "name": self.name,
            "opened_on": self.opened_on.isoformat(),
            "closed_at": self.closed_at,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Round:
        return cls(
            str(data["id"]),
            str(data["product"]),
            str(data["name"]),
            date.fromisoformat(data["opened_on"]),
            data.get("closed_at"),
        )


@dataclass(frozen=True)
class Response:
    """One respondent's answers in one round. ``name`` is ``None`` for an anonymous response."""

    id: str
    round_id: str
    product: str
    sector: Sector
    label: str
    answers: Mapping[str, Mapping[str, Any]]
    name: str | None = None
    source: str = "workbook"
    source_key: str | None = None
    saved_at: str = ""
    secret_hash: str | None = field(default=None, repr=False)
    position: int = 0  # the order responses were first saved in their round (set by the store)

    @property
    def anonymous(self) -> bool:
        return self.name is None

    def value(self, question_id: str) -> Any:
        return (self.answers.get(question_id) or {}).get("value")

    def note(self, question_id: str) -> str:
        return (self.answers.get(question_id) or {}).get("note", "")

    def to_json(self) -> dict[str, Any]:
        data = {
            "format": FORMAT,
            "id": self.id,
            "round": self.round_id,
            "product": self.product,
            "sector": self.sector.value,
            "label": self.label,
            "name": self.name,
            "answers": self.answers,
            "source": self.source,
            "source_key": self.source_key,
            "saved_at": self.saved_at,
            "position": self.position,
        }
        if self.secret_hash:
            data["secret_hash"] = self.secret_hash
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Response:
        return cls(
            str(data["id"]),
            str(data["round"]),
            str(data["product"]),
            Sector(data["sector"]),
            str(data["label"]),
            dict(data.get("answers") or {}),
            data.get("name"),
            str(data.get("source", "workbook")),
            data.get("source_key"),
            str(data.get("saved_at", "")),
            data.get("secret_hash"),
            int(data.get("position") or 0),
        )


def _hidden_characters(text: str) -> bool:
    """Whether ``text`` holds control or direction-changing characters, or only invisible ones."""
    if any(unicodedata.category(ch) == "Cc" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in text):
        return True
    visible = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cf", "Zs"} and not ch.isspace())
    return bool(text.strip()) and not visible


def _folded(text: str) -> str:
    """``text`` as compared with the anonymous labels: NFKC-folded, invisible characters dropped, spaces collapsed."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    return " ".join(folded.split())


def round_id_for(name: str) -> str:
    """A round's id from its name: "Baseline, February 2026" -> ``baseline-february-2026``; a name
    without a Latin letter or digit ("日本語") gets ``round-`` and a short hash of the name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:63].strip("-")
    if not slug:
        if not any(ch.isalnum() for ch in name):
            raise ResponseError("argument", "round", "a round name with at least one letter or digit", got=name)
        import hashlib

        slug = "round-" + hashlib.sha256(" ".join(name.split()).encode()).hexdigest()[:10]
    return slug


def new_response_id() -> str:
    """A random response id (128 bits, as 32 hexadecimal characters)."""
    return secrets.token_hex(16)


def source_id(round_id: str, source_key: str) -> str:
    """The response id of an imported response: the same form or survey row always gets the same id,
    so importing it again updates that response instead of adding another."""
    import hashlib

    return hashlib.sha256(f"{round_id}\n{source_key}".encode()).hexdigest()[:32]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, sort_keys=True, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ResponseError(path, "(file)", f"a response file of jointwork (JSON text) ({exc})") from None


_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: str) -> threading.Lock:
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(path, threading.Lock())


@dataclass
class _AreaLock:
    """An area's lock as held by this process: its threads' lock and the file lock."""

    in_process: threading.Lock
    file_lock: FileLock

    def release(self) -> None:
        try:
            self.file_lock.release()
        finally:
            self.in_process.release()


class ResponseStore:
    """The rounds and responses of one workspace (``<workspace>/responses/``)."""

    def __init__(self, workspace: str | os.PathLike[str] | None = None, *, lock_timeout: float = 15.0) -> None:
        self.root = resolve_workspace(workspace) / "responses"
        self.lock_timeout = lock_timeout

    # ---- paths and locks -----------------------------------------------------------------------
    def area_dir(self, area: str) -> Path:
        if not isinstance(area, str) or not GSS_CODE.fullmatch(area):
            raise ResponseError("argument", "area_code", "a nine-character GSS code such as E06000045", got=area)
        return self.root / area

    def _round_dir(self, area: str, product: str, round_id: str) -> Path:
        if not ROUND_ID.fullmatch(round_id):
            raise ResponseError("argument", "round", "a round id such as baseline-february-2026", got=round_id)
        if not re.fullmatch(r"[a-z0-9_]+", product):
            raise ResponseError("argument", "product", "a product slug", got=product)
        return self.area_dir(area) / product / round_id

    def _lock(self, area: str) -> FileLock:
        folder = self.area_dir(area)
        folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(folder / ".lock"), timeout=self.lock_timeout)

    def _locked(self, area: str) -> _AreaLock:
        """The area's lock, held: first this process's own (threads queue on it and wake at once),
        then the file lock that other programs honour (which waits by polling)."""
        in_process = _process_lock(self._lock(area).lock_file)
        busy = PlanBusy(f"the responses of {area} are being saved by another program; try again in a moment")
        if not in_process.acquire(timeout=self.lock_timeout):
            raise busy
        lock = self._lock(area)
        try:
            lock.acquire()
        except Timeout:
            in_process.release()
            raise busy from None
        return _AreaLock(in_process, lock)

    # ---- rounds --------------------------------------------------------------------------------
    def rounds(self, area: str, product: str | None = None) -> list[Round]:
        """The area's rounds (of one product if given), oldest first."""
        path = self.area_dir(area) / "rounds.json"
        if not path.is_file():
            return []
        data = _read_json(path)
        found = [Round.from_json(r) for r in data.get("rounds", [])]
        order = {(r.product, r.id): i for i, r in enumerate(found)}  # rounds opened the same day: as opened
        found = [r for r in found if product is None or r.product == product]
        return sorted(found, key=lambda r: (r.opened_on, order[(r.product, r.id)]))

    def round(self, area: str, product: str, round_id: str) -> Round:
        for item in self.rounds(area, product):
            if item.id == round_id:
                return item
        names = ", ".join(f"{r.name!r}" for r in self.rounds(area, product)) or "none yet"
        raise ResponseError(
            f"responses of {area}", "round", f"one of the rounds of this product ({names})", got=round_id
        )

    def find_round(self, area: str, product: str, name_or_id: str) -> Round | None:
        """The round with this name or id, if there is one."""
        key = name_or_id.strip()
        for item in self.rounds(area, product):
            if key in (item.id, item.name) or key.casefold() == item.name.casefold():
                return item
        return None

    def open_round(self, area: str, product: str, name: str, opened_on: date | None = None) -> Round:
        """Open a new round (names are unique per product and area)."""
        name = " ".join(str(name or "").split())
        if not name or len(name) > 100:
            raise ResponseError(
                "argument", "round name", "a name of 1 to 100 characters, e.g. 'Baseline, February 2026'", got=name
            )
        made = Round(round_id_for(name), product, name, opened_on or date.today())
        lock = self._locked(area)
        try:
            existing = self.rounds(area)
            if any(r.product == product and r.id == made.id for r in existing):
                raise ResponseError(
                    f"responses of {area}",
                    "round name",
                    f"a name not already used for this product ({name!r} is)",
                    got=name,
                )
            self._write_rounds(area, [*existing, made])
        finally:
            lock.release()
        return made

    def close_round(self, area: str, product: str, round_id: str) -> Round:
        """Close a round: from now on its responses cannot be changed."""
        lock = self._locked(area)
        try:
            existing = self.rounds(area)
            target = self.round(area, product, round_id)
            closed = replace(target, closed_at=target.closed_at or _now())
            self._write_rounds(area, [closed if (r.product, r.id) == (product, round_id) else r for r in existing])
        finally:
            lock.release()
        return closed

    def _write_rounds(self, area: str, rounds: Sequence[Round]) -> None:
        _write_json(self.area_dir(area) / "rounds.json", {"format": FORMAT, "rounds": [r.to_json() for r in rounds]})

    # ---- responses -----------------------------------------------------------------------------
    def responses(self, area: str, product: str, round_id: str) -> list[Response]:
        """A round's responses, in the order they were first saved."""
        folder = self._round_dir(area, product, round_id)
        if not folder.is_dir():
            return []
        found = [Response.from_json(_read_json(p)) for p in folder.glob("*.json")]
        return sorted(found, key=_label_order)

    def get(self, area: str, product: str, round_id: str, response_id: str) -> Response | None:
        if not RESPONSE_ID.fullmatch(response_id):
            return None
        path = self._round_dir(area, product, round_id) / f"{response_id}.json"
        return Response.from_json(_read_json(path)) if path.is_file() else None

    def save(self, area: str, questionnaire: Questionnaire, response: Response) -> Response:
        """Validate and save one response (new or changed) into its open round; returns it as saved.

        A new anonymous response gets the next free label ("Respondent N"); a named one is labelled by
        its name. A response with a ``source_key`` already in the round (the same form imported again)
        replaces that response instead of adding another.
        """
        return self.save_many(area, questionnaire, [response])[0]

    def save_many(
        self, area: str, questionnaire: Questionnaire, responses: Sequence[Response], source: str = "argument"
    ) -> list[Response]:
        """Validate every response first; save them all only if none has a problem."""
        problems = [
            f"{r.label or r.name or 'a response'}: {p}" for r in responses for p in self.problems(questionnaire, r)
        ]
        if problems:
            raise ResponseError(source, "responses", "answers that fit the questionnaire: " + "; ".join(problems))
        lock = self._locked(area)
        try:
            saved = []
            for response in responses:
                saved.append(self._save_locked(area, response))
            return saved
        finally:
            lock.release()

    def problems(self, questionnaire: Questionnaire, response: Response) -> list[str]:
        """What is wrong with a response, in words (empty when it can be saved)."""
        found = [f"question {q!r}: expected {expected}" for q, expected in questionnaire.problems(response.answers)]
        if response.name is not None and _hidden_characters(response.name):
            found.append(
                "the name: expected letters, digits, spaces and punctuation only "
                "(no control, direction-changing or invisible characters)"
            )
        elif response.name is not None and (not response.name.strip() or len(response.name) > MAX_NAME):
            found.append(f"the name: expected 1 to {MAX_NAME} characters, or none for an anonymous response")
        elif response.name is not None and ANONYMOUS_LABEL.fullmatch(_folded(response.name)):
            found.append(
                "the name: expected a name, not an anonymous label such as 'Respondent 3' "
                "(leave the name empty to answer anonymously)"
            )
        if response.source not in SOURCES:
            found.append(f"the source: expected one of {', '.join(SOURCES)}")
        return found

    def change(
        self,
        area: str,
        questionnaire: Questionnaire,
        key: tuple[str, str, str],
        change: Callable[[Response | None], Response],
    ) -> Response:
        """Read the response ``key`` = (product, round id, response id), change it and save it, all while
        holding the area's lock, so that two changes sent at once (the same phone sending two screens)
        both land. ``change`` gets the saved response, or ``None`` if there is none yet."""
        product, round_id, response_id = key
        lock = self._locked(area)
        try:
            response = change(self.get(area, product, round_id, response_id))
            problems = self.problems(questionnaire, response)
            if problems:
                raise ResponseError(
                    "argument", "responses", "answers that fit the questionnaire: " + "; ".join(problems)
                )
            return self._save_locked(area, response)
        finally:
            lock.release()

    def _save_locked(self, area: str, response: Response) -> Response:
        target_round = self.round(area, response.product, response.round_id)
        if not target_round.is_open:
            raise ResponseError(
                f"responses of {area}",
                "round",
                f"an open round: '{target_round.name}' was closed on {target_round.closed_at[:10]}, "
                "so its responses can no longer be changed",
                got=target_round.name,
            )
        folder = self._round_dir(area, response.product, response.round_id)
        response_id = response.id or (
            source_id(response.round_id, response.source_key) if response.source_key else new_response_id()
        )
        if not RESPONSE_ID.fullmatch(response_id):
            raise ResponseError("argument", "response id", "32 hexadecimal characters", got=response_id)
        path = folder / f"{response_id}.json"
        previous = Response.from_json(_read_json(path)) if path.is_file() else None
        if response.name is not None:
            label = " ".join(response.name.split())
        elif previous is not None and previous.anonymous:
            label = previous.label
        elif response.source == "plan" and ANONYMOUS_LABEL.fullmatch(response.label or ""):
            label = self._keep_label(folder, response.label)  # a schema 1 plan's own anonymous label
        else:
            label = f"Respondent {self._next_number(folder)}"
        saved = replace(
            response,
            id=response_id,
            label=label,
            name=label if response.name is not None else None,
            # an anonymous response keeps no trace of where it came from (a file name, a survey's e-mail
            # column): its id, derived from the source key, is enough to find it again
            source_key=response.source_key if response.name is not None else None,
            saved_at=_now(),
            secret_hash=response.secret_hash or (previous.secret_hash if previous else None),
            position=previous.position if previous is not None else self._next_position(folder),
        )
        _write_json(path, saved.to_json())
        return saved

    def _next_number(self, folder: Path) -> int:
        """The next anonymous label's number in a round (a counter: labels are never reused)."""
        counter = folder / ".next-label"
        number = int(counter.read_text(encoding="ascii")) if counter.is_file() else 1
        _write_json(counter, number + 1)
        return number

    def _next_position(self, folder: Path) -> int:
        counter = folder / ".next-position"
        number = int(counter.read_text(encoding="ascii")) if counter.is_file() else 1
        _write_json(counter, number + 1)
        return number

    def _keep_label(self, folder: Path, label: str) -> str:
        """``label`` ("Respondent 4") if the round's counter has not given it yet; the counter moves past it."""
        counter = folder / ".next-label"
        number = int(counter.read_text(encoding="ascii")) if counter.is_file() else 1
        wanted = int(label.split()[-1])
        if wanted < number:
            return f"Respondent {self._next_number(folder)}"
        _write_json(counter, wanted + 1)
        return f"Respondent {wanted}"

    def receive_from_plan(
        self,
        area: str,
        product: str,
        questionnaire: Questionnaire,
        round_name: str,
        answers: Sequence[tuple[Sector, str | None, Mapping[str, Mapping[str, Any]]]],
        opened_on: date,
    ) -> Round:
        """Save the answers a schema 1 plan held (in its order) into the open round ``round_name``,
        opened on ``opened_on`` if there is none; source ``plan``. Saving the same answers again
        updates them. A name such as "Respondent 4" was the plan's anonymous label and stays one."""
        target = self.find_round(area, product, round_name)
        if target is not None and not target.is_open:
            number = 2
            while self.find_round(area, product, f"{round_name} ({number})") is not None:
                number += 1
            target = None
            round_name = f"{round_name} ({number})"
        if target is None:
            target = self.open_round(area, product, round_name, opened_on)
        responses = []
        for position, (sector, name, given) in enumerate(answers, start=1):
            anonymous = name is None or bool(ANONYMOUS_LABEL.fullmatch(" ".join(name.split())))
            responses.append(
                Response(
                    "",
                    target.id,
                    product,
                    Sector(sector),
                    " ".join(name.split()) if name else "",
                    {k: dict(v) for k, v in given.items()},
                    None if anonymous else name,
                    "plan",
                    f"plan, respondent {position}: {name or ''}",
                )
            )
        self.save_many(area, questionnaire, responses, source=f"plan of {area}")
        return target

    def area(self, area: str) -> AreaResponses:
        """Every round of the area, each with its responses, by product."""
        by_product: dict[str, list[RoundResponses]] = {}
        for item in self.rounds(area):
            by_product.setdefault(item.product, []).append(
                RoundResponses(item, tuple(self.responses(area, item.product, item.id)))
            )
        return AreaResponses(area, {k: tuple(v) for k, v in by_product.items()})

    def digest(self, area: str) -> str:
        """A hash of everything stored for the area's responses (changes whenever a round or answer does)."""
        import hashlib

        folder = self.area_dir(area)
        found = hashlib.sha256()
        if folder.is_dir():
            for path in sorted(folder.rglob("*.json")):
                found.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
        return found.hexdigest()[:16]

    def remove(self, area: str, product: str, round_id: str, response_id: str) -> None:
        """Delete a response from an open round."""
        lock = self._locked(area)
        try:
            target_round = self.round(area, product, round_id)
            if not target_round.is_open:
                raise ResponseError(
                    f"responses of {area}", "round", "an open round (this one is closed)", got=target_round.name
                )
            path = self._round_dir(area, product, round_id) / f"{response_id}.json"
            if RESPONSE_ID.fullmatch(response_id):
                path.unlink(missing_ok=True)
        finally:
            lock.release()

    def all_responses(self, area: str, product: str) -> dict[str, list[Response]]:
        """Every round's responses for a product, by round id, oldest round first."""
        return {r.id: self.responses(area, product, r.id) for r in self.rounds(area, product)}


@dataclass(frozen=True)
class RoundResponses:
    """A round and its responses."""

    round: Round
    responses: tuple[Response, ...] = ()

    def with_saved(self, saved: Response) -> RoundResponses:
        """This round with ``saved`` added or put in place of the response it changes."""
        others = [r for r in self.responses if r.id != saved.id]
        return replace(self, responses=tuple(sorted([*others, saved], key=_label_order)))

    def without(self, response_id: str) -> RoundResponses:
        return replace(self, responses=tuple(r for r in self.responses if r.id != response_id))


@dataclass(frozen=True)
class AreaResponses:
    """An area's rounds with their responses, by product slug (oldest round first), and which round of
    each product is being looked at (``chosen``: product slug -> round id).

    Views that show individual answers take this as their ``responses`` argument. Without a choice,
    a product's current round is its newest open round, or its newest round if all are closed.
    """

    area: str
    by_product: Mapping[str, tuple[RoundResponses, ...]] = field(default_factory=dict)
    chosen: Mapping[str, str] = field(default_factory=dict)

    def rounds(self, product: str) -> tuple[RoundResponses, ...]:
        return tuple(self.by_product.get(product, ()))

    def current(self, product: str) -> RoundResponses | None:
        """The round being looked at: the chosen one, else the newest open one, else the newest."""
        rounds = self.rounds(product)
        wanted = self.chosen.get(product)
        for item in rounds:
            if item.round.id == wanted:
                return item
        open_rounds = [r for r in rounds if r.round.is_open]
        return (open_rounds or rounds or (None,))[-1]

    def previous(self, product: str) -> RoundResponses | None:
        """The round before the current one (by date opened), if there is one."""
        rounds, now = self.rounds(product), self.current(product)
        if now is None:
            return None
        index = [r.round.id for r in rounds].index(now.round.id)
        return rounds[index - 1] if index > 0 else None

    def answers(self, product: str) -> tuple[Response, ...]:
        """The responses of the current round (none if the product has no round)."""
        now = self.current(product)
        return now.responses if now else ()

    def choose(self, product: str, round_id: str) -> AreaResponses:
        return replace(self, chosen={**self.chosen, product: round_id})

    def with_round(self, product: str, item: RoundResponses) -> AreaResponses:
        """These responses with ``item`` added, or put in place of the round of the same id."""
        rounds = list(self.rounds(product))
        ids = [r.round.id for r in rounds]
        if item.round.id in ids:
            rounds[ids.index(item.round.id)] = item
        else:
            rounds.append(item)
        return replace(self, by_product={**self.by_product, product: tuple(rounds)})


def answers_of(responses: AreaResponses | None, product: str) -> tuple[Response, ...]:
    """The current round's responses to ``product`` (none when there are no responses at all)."""
    return responses.answers(product) if responses is not None else ()


def _label_order(response: Response) -> tuple[int, str]:
    """Responses in the order they were first saved (their position), then by label."""
    return (response.position, response.label.casefold())


def has_answered(questionnaire: Questionnaire, response: Response) -> bool:
    """Whether a response answers at least one question (a rating or a rank): an entry that was only
    added, or holds only notes, has not answered yet."""
    return questionnaire.answered(response.answers) > 0


def answered_by_sector(responses: Sequence[Response], questionnaire: Questionnaire) -> dict[Sector, int]:
    """How many respondents of each sector have answered at least one question (never who)."""
    counts = dict.fromkeys(Sector, 0)
    for response in responses:
        if has_answered(questionnaire, response):
            counts[response.sector] += 1
    return counts


def answered_summary(questionnaire: Questionnaire, current: RoundResponses | None) -> str:
    """How many have answered in the round, by sector only (never who): "3 have answered in round
    'Baseline': Local authority 2, Health 1." ("" without a round)."""
    if current is None:
        return ""
    counts = answered_by_sector(current.responses, questionnaire)
    answered = sum(counts.values())
    waiting = len(current.responses) - answered
    name = f"round '{current.round.name}'"
    if not answered:
        text = f"Nobody has answered in {name} yet."
    else:
        by_sector = ", ".join(f"{s.label} {n}" for s, n in counts.items() if n)
        text = f"{answered} {'has' if answered == 1 else 'have'} answered in {name}: {by_sector}."
    if waiting:
        text += f" {waiting} more {'entry has' if waiting == 1 else 'entries have'} no answer yet."
    return text
