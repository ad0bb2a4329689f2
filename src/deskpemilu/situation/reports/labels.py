"""Labels the reports share, in the reader's language: looked up when a report is built, not at
import."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from deskpemilu.core.pdf import tanggal
from deskpemilu.incidents.models import Severity

SEVERITY_LABEL = {s.value: s.label for s in Severity}
CONDITION_LABEL = {
    "sakit_ringan": gettext_lazy("Sakit ringan"),
    "dirawat": gettext_lazy("Dirawat"),
    "dirujuk_rs": gettext_lazy("Dirujuk ke RS"),
    "meninggal": gettext_lazy("Meninggal"),
}


def when(iso: str) -> str:
    """An ISO moment as the reports print it: date without the day, local time."""
    moment = timezone.localtime(datetime.fromisoformat(iso))
    return f"{tanggal(moment.date(), with_day=False)} {moment:%H.%M}"
