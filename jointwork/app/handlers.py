"""The base of the handlers of the app's own pages (start, session, presenter, room, downloads):
they answer only requests addressed to this machine by name (``127.0.0.1`` or ``localhost``), so a
web page elsewhere that points its own host name at 127.0.0.1 (DNS rebinding) cannot read them."""

from __future__ import annotations

import tornado.web

LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})


class LocalPage(tornado.web.RequestHandler):
    """A page of the app itself: refused (403) when the request names another host."""

    def prepare(self) -> None:
        if self.request.host_name not in LOCAL_NAMES:
            raise tornado.web.HTTPError(403, "requests for the app must be addressed to 127.0.0.1")
