"""Real local servers for the notification tests: SMTP (aiosmtpd) and an HTTP webhook receiver.

The worker talks to them exactly as to production ones: over sockets, with SMTP and HTTP."""

from __future__ import annotations

import http.server
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class WebhookServer:
    url: str
    received: list[Received] = field(default_factory=list)
    # Status codes to answer, in order; 200 once they run out.
    answers: list[int] = field(default_factory=list)


def start_webhook_server() -> tuple[WebhookServer, http.server.ThreadingHTTPServer]:
    state = WebhookServer(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.received.append(Received(self.path, headers, body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
