from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "deskpemilu.incidents"
    label = "incidents"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav
        from deskpemilu.incidents.escalation import incidents_escalate
        from deskpemilu.notify.rounds import every_round

        nav.register("incident_board", _("Kejadian"), 40)
        # Overdue incidents are escalated by the notification worker, each round.
        every_round("escalated", incidents_escalate)
