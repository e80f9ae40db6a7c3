"""Where the respondent service listens: the laptop's address on the room's network."""

from __future__ import annotations

import ipaddress
import socket

from ...core.errors import InputError, JointworkError

DEFAULT_SHARE_PORT = 8867


def default_route_address() -> str:
    """The address this machine uses for its default route (a UDP "connect" sends no packet)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never a real host
            address = probe.getsockname()[0]
    except OSError:
        address = ""
    if not address or address.startswith("0."):
        raise JointworkError(
            "this laptop has no network address to share the respondent pages on: connect it to the "
            "room's network (Wi-Fi), or give the address with --share-host"
        )
    return address


def share_host(given: str | None) -> str:
    """The address to listen on for respondents: ``given`` (checked), else the default route's."""
    if not given:
        return default_route_address()
    try:
        address = ipaddress.ip_address(given.strip())
    except ValueError:
        raise InputError(
            "argument", "--share-host", "an IP address of this laptop, such as 192.168.1.20", got=given
        ) from None
    if address.is_unspecified or address.is_multicast:
        raise InputError(
            "argument",
            "--share-host",
            "one address of this laptop on the room's network, such as 192.168.1.20 (not every address at once)",
            got=given,
        )
    return str(address)


def share_address(host: str, port: int) -> str:
    """The join addresses' start, as a phone types it: ``http://192.168.1.20:8867``."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{int(port)}"
