from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "deskpemilu.dashboard"
    label = "dashboard"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav

        nav.register("recap_home", _("Rekap"), 20)
