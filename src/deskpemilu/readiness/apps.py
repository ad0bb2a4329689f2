from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "deskpemilu.readiness"
    label = "readiness"
