from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "deskpemilu.readiness"
    label = "readiness"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import demo, nav
        from deskpemilu.readiness.demo import seed_kerawanan_demo

        nav.register("readiness_home", _("Kesiapan"), 30)
        nav.register("readiness_kerawanan", _("Kerawanan TPS"), 31)
        demo.register("readiness.kerawanan", seed_kerawanan_demo)
