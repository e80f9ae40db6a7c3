"""Workshop codes: which round of which area and product a code lets phones answer.

A code is 144 random bits (:func:`secrets.token_urlsafe`), shown to the room as a join address and a
QR code. The registry keeps only each code's hash, so a code can be looked up but not listed back
out of it, and it lives in the app's process: stopping sharing, closing the round or stopping the
app ends the code at once (a new code is made when the round is shared again).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass

CODE_BYTES = 18  # 144 bits; the issue asks for at least 128
CODE_LENGTH = 24  # characters of token_urlsafe(CODE_BYTES)


@dataclass(frozen=True)
class SharedRound:
    """A round open to the room: the area, the product (by slug) and the round id."""

    area: str
    product: str
    round_id: str


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
                code = secrets.token_urlsafe(CODE_BYTES)
                self._codes[shared] = code
                self._by_digest[_digest(code)] = shared
            return code

    def code_of(self, shared: SharedRound) -> str | None:
        """The code a shared round has now, if any (for the facilitator's room page)."""
        with self._lock:
            return self._codes.get(shared)

    def find(self, code: str) -> SharedRound | None:
        """The round a code opens, or ``None`` for a wrong or ended code."""
        if not isinstance(code, str) or len(code) != CODE_LENGTH:
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
