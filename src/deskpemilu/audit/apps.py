from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "deskpemilu.audit"
    label = "audit"
    verbose_name = "Audit"
