from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "deskpemilu.regions"
    label = "regions"
    verbose_name = "Wilayah"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav

        nav.register("tps_import", _("Impor TPS"), 81)
