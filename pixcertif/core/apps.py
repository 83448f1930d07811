from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pixcertif.core"
    label = "core"
    verbose_name = "Journal des actions"
