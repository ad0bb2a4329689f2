from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from deskpemilu.notify.tests.servers import (
    SmtpServer,
    WebhookServer,
    free_port,
    start_webhook_server,
)


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A real SMTP server on a free local port; the settings point the worker at it."""
    state = SmtpServer("127.0.0.1", free_port())
    controller = Controller(state, hostname=state.host, port=state.port)
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = state.host, state.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DESKPEMILU_NOTIFY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    try:
        yield state
    finally:
        controller.stop()


@pytest.fixture
def webhook_server(settings) -> Iterator[WebhookServer]:
    # The test receiver listens on 127.0.0.1, which webhooks may call only when allowed.
    settings.DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = True
    state, server = start_webhook_server()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
