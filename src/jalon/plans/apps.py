from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "jalon.plans"
    label = "plans"

    def ready(self):
        from . import changes

        changes.connect()
