from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "deskpemilu.readiness"
    label = "readiness"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav

        nav.register("readiness_home", _("Kesiapan"), 30)
        nav.register("readiness_kerawanan", _("Kerawanan TPS"), 31)
