from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "jalon.plans"
    label = "plans"
