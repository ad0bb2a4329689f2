from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "deskpemilu.api"
    label = "api"
    verbose_name = "API"
