"""jalon serve: migrate if needed, then serve (Django's server; use a WSGI server in production)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Servir Jalon."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("runserver", opts["addrport"], use_reloader=False)
