from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "jalon.public"
    label = "public"
    verbose_name = _("Page publique et données ouvertes")
