from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deskpemilu.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from deskpemilu.accounts import signals  # noqa: F401  (login auditing)
