"""The client's address: the socket's peer, or what a trusted reverse proxy says it was.

Behind nginx every request comes from 127.0.0.1; keyed on that, five wrong passwords from anyone
locked an account for everyone. `X-Forwarded-For` is read only when the peer is one of
DESKPEMILU_TRUSTED_PROXIES (addresses or CIDR networks), walking it from the right past the
trusted proxies: the first address not among them is the client. Anything a client writes
further left is its own claim and ignored; without trusted proxies the header is never read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(value: str) -> tuple[Network, ...]:
    """'127.0.0.1, 10.0.0.0/8' → networks; a bad entry is a configuration error, raised."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in value.split(",")
        if part.strip()
    )


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    peer = str(request.META.get("REMOTE_ADDR", ""))
    networks = parse_networks(str(getattr(settings, "DESKPEMILU_TRUSTED_PROXIES", "")))
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage a client put there: the last trusted hop is all we know
        if not _trusted(hop, networks):
            return hop
        peer = hop
    return peer
