from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "deskpemilu.team"
    label = "team"
