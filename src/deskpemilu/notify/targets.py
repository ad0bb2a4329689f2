"""Where a webhook may call: public addresses only, unless the installation says otherwise.

A webhook names a URL typed by an admin; without this, the desk's server could be made to POST
to itself or to machines on its own network (127.0.0.1, 10.x, 169.254.169.254…). The check is
made on the addresses the name resolves to, and the connection goes to the address that was
checked, so a name that resolves differently a second later (DNS rebinding) gains nothing.
A LAN-only installation whose receiver sits on a private address sets
DESKPEMILU_WEBHOOK_ALLOW_PRIVATE=1.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from typing import Any

from django.conf import settings


class TargetRefused(OSError):
    """The host resolves to an address webhooks may not call."""


def private_allowed() -> bool:
    return bool(getattr(settings, "DESKPEMILU_WEBHOOK_ALLOW_PRIVATE", False))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[tuple[Any, ...]]:
    """The addresses of `host` webhooks may call; TargetRefused if any is not public."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not private_allowed():
        for info in infos:
            if not is_public(str(info[4][0])):
                raise TargetRefused(f"{host} is not a public address")
    return infos


def host_refused(host: str) -> bool:
    """For the save form: True when `host` resolves to a refused address. A name that does not
    resolve now is let through: the send checks again."""
    try:
        resolve(host, 443)
    except TargetRefused:
        return True
    except (OSError, UnicodeError, ValueError):
        return False
    return False


def _connect(host: str, port: int, timeout: float | None) -> socket.socket:
    error: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _name, address in resolve(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            sock.connect(address)
        except OSError as exc:
            sock.close()
            error = exc
            continue
        return sock
    raise error


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _connect(self.host, self.port, self.timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _connect(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_HTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A webhook that redirects is misconfigured; following it would resend the body elsewhere.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No proxy from the environment: the address checked must be the address called.
opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _NoRedirect
)
