from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "deskpemilu.team"
    label = "team"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav

        nav.register("team_home", _("Tim"), 60)
