"""The client's address: X-Forwarded-For only from a trusted proxy, read from the right."""

import pytest
from django.test import RequestFactory

from deskpemilu.core.addresses import client_address


def address(peer: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_never_read(settings) -> None:
    settings.DESKPEMILU_TRUSTED_PROXIES = ""
    assert address("127.0.0.1", "203.0.113.5") == "127.0.0.1"


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("127.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the left one is the client's claim
        ("10.0.0.7", "203.0.113.5, 10.0.0.8", "203.0.113.5"),  # two proxies of ours
        ("198.51.100.1", "203.0.113.5", "198.51.100.1"),  # not a proxy of ours: header ignored
        ("127.0.0.1", "bukan-alamat", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_a_trusted_proxy_gives_the_client_address(settings, peer, forwarded, client) -> None:
    settings.DESKPEMILU_TRUSTED_PROXIES = "127.0.0.1, 10.0.0.0/8"
    assert address(peer, forwarded) == client
