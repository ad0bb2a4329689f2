from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "deskpemilu.stages"
    label = "stages"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav

        nav.register("stages", _("Tahapan"), 70)
