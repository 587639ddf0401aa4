from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jalon.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from . import views  # noqa: F401  (the sign-in signal receiver)
