from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "deskpemilu.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from deskpemilu.api import routes  # noqa: F401  registers the route check
