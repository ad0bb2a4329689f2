from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "deskpemilu.health"
    label = "health"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav
        from deskpemilu.health.access import can_read_health

        nav.register("health_home", _("Kesehatan"), 50, can_read_health)
