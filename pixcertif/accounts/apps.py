from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pixcertif.accounts"
    label = "accounts"
    verbose_name = _("Comptes et centres")

    def ready(self) -> None:
        from pixcertif.accounts import language  # noqa: F401  (connects the login receiver)
