"""jalon demo: migrate, load the five seed plans and a demo account, then serve."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jalon.demo.loader import DEMO_PASSWORD, DEMO_USER, load_demo


class Command(BaseCommand):
    help = "Créer ou mettre à jour la base de démonstration (SQLite sous ./var) et servir."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="charger sans servir")
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **opts):
        from django.conf import settings

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        load_demo(say=self.stdout.write)
        self.stdout.write(f"Compte de démonstration : {DEMO_USER} / {DEMO_PASSWORD}")
        if not opts["no_serve"]:
            self.stdout.write(f"Jalon : http://{opts['addrport']}/")
            call_command("runserver", opts["addrport"], use_reloader=False)
