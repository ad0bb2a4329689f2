from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "deskpemilu.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.core import nav

        nav.register("audit_log", _("Audit"), 84)
