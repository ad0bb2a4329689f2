from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "deskpemilu.health"
    label = "health"
