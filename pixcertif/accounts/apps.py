from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pixcertif.accounts"
    label = "accounts"
    verbose_name = "Comptes et centres"
