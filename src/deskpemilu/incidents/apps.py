from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "deskpemilu.incidents"
    label = "incidents"

    def ready(self) -> None:
        from deskpemilu.incidents.escalation import incidents_escalate
        from deskpemilu.notify.rounds import every_round

        # Overdue incidents are escalated by the notification worker, each round.
        every_round("escalated", incidents_escalate)
