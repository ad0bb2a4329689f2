from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "deskpemilu.stages"
    label = "stages"
