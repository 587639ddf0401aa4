"""jalon worker: run the background tasks (council documents, large plan imports, e-mail
digests) as they come.

A thin front to django-tasks-db's ``db_worker``: every queue, no autoreload, a one-second poll.
Run one (or more, on several servers) beside the web server; Ctrl-C or SIGTERM stops it after
the task in hand.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Exécuter les tâches de fond (documents, imports volumineux, récapitulatifs par e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="secondes entre deux recherches de tâches (défaut : 1)")
        parser.add_argument("--batch", action="store_true",
                            help="exécuter les tâches en attente puis s'arrêter")
        parser.add_argument("--max-tasks", type=int, default=None,
                            help="s'arrêter après ce nombre de tâches (un superviseur le "
                                 "relance : la mémoire repart de zéro)")

    def handle(self, *args, **opts):
        from django.conf import settings

        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith("django_tasks_db."):
            self.stderr.write(f"JALON_TASKS_BACKEND n'est pas « database » ({backend}) : les "
                              "tâches s'exécutent déjà dans le serveur web, rien à faire ici.")
            return
        call_command("migrate", interactive=False, verbosity=0)
        kwargs = {"queue_name": "*", "interval": opts["interval"], "reload": False,
                  "batch": opts["batch"], "startup_delay": False,
                  "verbosity": opts["verbosity"]}
        if opts["max_tasks"]:
            kwargs["max_tasks"] = opts["max_tasks"]
        call_command("db_worker", **kwargs)
