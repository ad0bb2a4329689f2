from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "deskpemilu.situation"
    label = "situation"
