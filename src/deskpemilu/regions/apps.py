from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "deskpemilu.regions"
    label = "regions"
    verbose_name = "Wilayah"
