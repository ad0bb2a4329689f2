from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "deskpemilu.notify"
    label = "notify"
