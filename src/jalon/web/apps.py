from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jalon.web"
    label = "web"
