from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "deskpemilu.offline"
    label = "offline"
