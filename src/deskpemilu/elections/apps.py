from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def is_desk(user: Any) -> bool:
    return getattr(user, "role", "") == "admin"


class ElectionsConfig(AppConfig):
    name = "deskpemilu.elections"
    label = "elections"
    verbose_name = "Pemilihan"

    def ready(self) -> None:
        from deskpemilu.core import nav

        nav.register("elections", _("Pemilihan"), 80, is_desk)
