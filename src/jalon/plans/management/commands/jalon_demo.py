"""jalon demo: migrate, load the five seed plans and a demo account, then serve (with the
background worker beside the server)."""

import contextlib
import subprocess
import sys

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
            with background_worker():
                call_command("runserver", opts["addrport"], use_reloader=False)


@contextlib.contextmanager
def background_worker():
    """``jalon worker`` in a child process for as long as the server runs (Ctrl-C reaches
    both: they share the terminal's process group; the child is stopped here in any case)."""
    worker = subprocess.Popen([sys.executable, "-m", "jalon.cli", "worker"])
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
