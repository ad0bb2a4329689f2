from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "deskpemilu.dashboard"
    label = "dashboard"
