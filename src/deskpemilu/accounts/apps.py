from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deskpemilu.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.accounts import signals  # noqa: F401  (login auditing)
        from deskpemilu.accounts.models import FIELD_ROLES
        from deskpemilu.core import nav

        # The menu shows each page to whom its own rule admits (admin here).
        nav.register("account_list", _("Akun"), 80)
        # Tokens are for the desk's integrations; field accounts reach theirs from the profile.
        nav.register("my_tokens", _("Token API"), 90, lambda u: u.role not in FIELD_ROLES)
