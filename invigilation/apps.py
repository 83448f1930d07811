from django.apps import AppConfig


class InvigilationConfig(AppConfig):
    name = "invigilation"
    verbose_name = "Espace surveillant"
