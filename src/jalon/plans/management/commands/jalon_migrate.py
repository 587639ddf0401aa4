"""jalon migrate: apply the migrations as the owner role, then give the application's role its
rights on rows (PostgreSQL least privilege, docs/deployment.md).

Without ``JALON_MIGRATE_DATABASE_URL`` the migrations run with ``JALON_DATABASE_URL`` (one role,
as on SQLite or a small installation)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def migrate(verbosity: int = 1) -> None:
    owner_url = settings.JALON_MIGRATE_DATABASE_URL
    if not owner_url:
        call_command("migrate", interactive=False, verbosity=verbosity)
        if settings.JALON_DB_APP_ROLE and connection.vendor == "postgresql":
            call_command("jalon_db_roles", role=settings.JALON_DB_APP_ROLE,
                         verbosity=verbosity)
        return
    # another process, connected as the owner
    env = {**os.environ, "JALON_DATABASE_URL": owner_url, "JALON_MIGRATE_DATABASE_URL": "",
           "JALON_DB_APP_ROLE": settings.JALON_DB_APP_ROLE}
    for args in (["migrate", "--no-input", "-v", str(verbosity)],
                 ["jalon_db_roles", "--role", settings.JALON_DB_APP_ROLE]):
        proc = subprocess.run([sys.executable, "-m", "jalon.cli", "manage", *args], env=env,
                              capture_output=True, text=True)
        if verbosity:
            sys.stdout.write(proc.stdout)
        if proc.returncode:
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            raise CommandError(f"jalon migrate ({args[0]}, as the owner role): {last}")


class Command(BaseCommand):
    help = "Appliquer les migrations (avec le rôle propriétaire) et les droits du rôle applicatif."

    def handle(self, *args, **opts):
        migrate(opts["verbosity"])
