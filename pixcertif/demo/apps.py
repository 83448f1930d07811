from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pixcertif.demo"
    label = "demo"
    verbose_name = "Démonstration"
