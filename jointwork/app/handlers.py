"""The base of the handlers of the app's own pages (start, session, presenter, room, downloads):
they answer only requests addressed to this machine by name (``127.0.0.1`` or ``localhost``), so a
web page elsewhere that points its own host name at 127.0.0.1 (DNS rebinding) cannot read them."""

from __future__ import annotations

import tornado.httputil
import tornado.web

LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})


def from_elsewhere(request: tornado.httputil.HTTPServerRequest) -> bool:
    """Whether a request says it was sent by a page of another site (its ``Origin`` is not this server)."""
    origin = request.headers.get("Origin")
    return bool(origin) and origin != f"{request.protocol}://{request.host}"


class LocalPage(tornado.web.RequestHandler):
    """A page of the app itself: refused (403) when the request names another host."""

    def prepare(self) -> None:
        if self.request.host_name not in LOCAL_NAMES:
            raise tornado.web.HTTPError(403, "requests for the app must be addressed to 127.0.0.1")

    def refuse_other_origins(self) -> None:
        """403 for a request sent by a page of another site."""
        if from_elsewhere(self.request):
            raise tornado.web.HTTPError(403)
