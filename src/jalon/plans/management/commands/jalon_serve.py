"""jalon serve: migrate if needed, then serve.

- DEBUG (``JALON_DEBUG=1``, the default): Django's development server, as before.
- Production (``JALON_DEBUG=0``): collect the static files (compressed, with hashed names, served
  by whitenoise with a year of cache) or stop with one clear line, then run gunicorn with
  ``JALON_WEB_WORKERS`` processes (default: CPU count + 1) × ``JALON_WEB_THREADS`` threads.
  See docs/deployment.md.
"""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from .jalon_migrate import migrate


def _sources_stamp() -> str:
    """A fingerprint of the static files the application ships (names, sizes, times)."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            st = os.stat(storage.path(path))
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> None:
    """``collectstatic``, skipped when nothing changed since the last run (fast restarts)."""
    root = settings.STATIC_ROOT
    stamp_file = root / ".jalon-sources"
    try:
        stamp = _sources_stamp()
        if ((root / "staticfiles.json").exists() and stamp_file.exists()
                and stamp_file.read_text() == stamp):
            return
        os.makedirs(root, exist_ok=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp_file.write_text(stamp)
    except OSError as exc:
        raise CommandError(f"jalon serve: cannot write the static files to {root} "
                           f"({exc.strerror}); set JALON_VAR_DIR to a writable folder or run "
                           "«jalon manage collectstatic» as a user who can") from None


def gunicorn_options(addrport: str) -> dict:
    return {
        "bind": addrport,
        "workers": settings.JALON_WEB_WORKERS,
        "threads": settings.JALON_WEB_THREADS,
        "worker_class": "gthread",
        "timeout": 120,
        "graceful_timeout": 30,
        # recycle a worker now and then: memory taken by a big report goes back to the system
        "max_requests": 1000,
        "max_requests_jitter": 100,
        "accesslog": "-",
        "errorlog": "-",
        "forwarded_allow_ips": os.environ.get("JALON_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    }


def run_gunicorn(addrport: str) -> None:
    from gunicorn.app.base import BaseApplication

    from jalon.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            for key, value in gunicorn_options(addrport).items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()


class Command(BaseCommand):
    help = "Servir Jalon (serveur de développement en DEBUG, gunicorn en production)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-migrate", action="store_true",
                            help="ne pas appliquer les migrations (plusieurs serveurs : une seule "
                                 "machine migre)")

    def handle(self, *args, **opts):
        if not opts["no_migrate"]:
            migrate(verbosity=0)
        if settings.DEBUG:
            call_command("runserver", opts["addrport"], use_reloader=False)
            return
        collect_static()
        self.stdout.write(f"Jalon: gunicorn on http://{opts['addrport']} "
                          f"({settings.JALON_WEB_WORKERS} workers × "
                          f"{settings.JALON_WEB_THREADS} threads)")
        run_gunicorn(opts["addrport"])
