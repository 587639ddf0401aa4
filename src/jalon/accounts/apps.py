from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jalon.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"
