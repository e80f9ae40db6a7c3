"""Workshop codes: which round of which area and product a code lets phones answer.

A code is 26 characters of Crockford's base 32 (130 random bits, from :mod:`secrets`), shown to the
room as a join address, a QR code and the code itself in groups of four. The alphabet has no I, L, O
or U, and a typed code is read leniently (:func:`normalise`: case, spaces and dashes do not matter,
O is read as 0 and I or L as 1), so a code copied from the projector by hand still works.

The registry keeps only each code's hash, so a code can be looked up but not listed back out of
it, and it lives in the app's process: stopping sharing, closing the round or stopping the app ends
the code at once (a new code is made when the round is shared again).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CODE_LENGTH = 26
CODE_BITS = CODE_LENGTH * 5  # 130: at least 128
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class SharedRound:
    """A round open to the room: the area, the product (by slug) and the round id."""

    area: str
    product: str
    round_id: str


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(typed: str) -> str:
    """A code as typed ("7k3m-9qxz ...") as it is stored ("7K3M9QXZ...")."""
    return "".join(ch for ch in typed.upper() if ch.isalnum()).translate(_READ_AS)[: CODE_LENGTH + 1]


def grouped(code: str) -> str:
    """A code in groups of four, for reading aloud or typing: "7K3M 9QXZ ..."."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "replace")).hexdigest()


class WorkshopCodes:
    """The codes of the rounds shared with the room (thread-safe; one per app process)."""

    def __init__(self) -> None:
        self._by_digest: dict[str, SharedRound] = {}
        self._codes: dict[SharedRound, str] = {}
        self._lock = threading.Lock()

    def share(self, shared: SharedRound) -> str:
        """The code of ``shared``: the one it already has, or a new one."""
        with self._lock:
            code = self._codes.get(shared)
            if code is None:
                code = new_code()
                self._codes[shared] = code
                self._by_digest[_digest(code)] = shared
            return code

    def code_of(self, shared: SharedRound) -> str | None:
        """The code a shared round has now, if any (for the facilitator's room page)."""
        with self._lock:
            return self._codes.get(shared)

    def find(self, code: str) -> SharedRound | None:
        """The round a code opens, or ``None`` for a wrong or ended code."""
        code = normalise(code) if isinstance(code, str) else ""
        if len(code) != CODE_LENGTH:
            return None
        with self._lock:
            return self._by_digest.get(_digest(code))

    def end(self, shared: SharedRound) -> None:
        """End the round's code at once (the round itself stays as it is)."""
        with self._lock:
            code = self._codes.pop(shared, None)
            if code is not None:
                self._by_digest.pop(_digest(code), None)

    def shared(self) -> list[SharedRound]:
        """The rounds shared now."""
        with self._lock:
            return list(self._codes)
