from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "deskpemilu.incidents"
    label = "incidents"
