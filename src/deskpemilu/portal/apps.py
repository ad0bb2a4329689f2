from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "deskpemilu.portal"
    label = "portal"
