"""How the project's own browser tests and benchmarks keep a headless Chromium on this machine.

The app promises that nothing a page loads comes from outside 127.0.0.1. The browser tests prove it,
and the app benchmarks measure it, with a Chromium that cannot reach anything else: these are its
flags, and :data:`DIRECT` is the opener they use to ask the app's server, never through a proxy.
"""

from __future__ import annotations

import urllib.request

#: Flags for a headless Chromium that can reach 127.0.0.1 only: other names do not resolve and other
#: addresses go to a closed port (blocking with Playwright's routing instead would turn the cache off).
LOCAL_ONLY_CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
]

#: Requests to the app's own server, never via a proxy.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
