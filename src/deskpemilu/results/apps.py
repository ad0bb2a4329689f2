from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "deskpemilu.results"
    label = "results"
    verbose_name = "Hasil"
