"""jalon manage jalon_db_roles: give the application's PostgreSQL role rows, not tables.

Run it as the owner role (the one that runs the migrations), e.g.
``JALON_DATABASE_URL=$JALON_MIGRATE_DATABASE_URL jalon manage jalon_db_roles --role jalon_app``;
``jalon migrate`` does it after each migration.  See docs/deployment.md.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jalon.accounts import dbroles


class Command(BaseCommand):
    help = "Donner au rôle PostgreSQL de l'application les droits sur les lignes, pas sur les tables."

    def add_arguments(self, parser):
        parser.add_argument("--role", default=settings.JALON_DB_APP_ROLE,
                            help="rôle de l'application (défaut : JALON_DB_APP_ROLE)")
        parser.add_argument("--create", action="store_true",
                            help="créer le rôle s'il n'existe pas, avec le mot de passe de "
                                 "JALON_DB_APP_PASSWORD")
        parser.add_argument("--sql", action="store_true",
                            help="afficher le SQL sans l'exécuter (pour un administrateur de "
                                 "bases de données)")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("jalon_db_roles: PostgreSQL only (SQLite has no roles)")
        role = opts["role"]
        if not role:
            raise CommandError("jalon_db_roles: give --role or set JALON_DB_APP_ROLE")
        password = None
        if opts["create"]:
            password = os.environ.get("JALON_DB_APP_PASSWORD")
            if not password:
                raise CommandError("jalon_db_roles --create: set JALON_DB_APP_PASSWORD")
        if opts["sql"]:
            with connection.cursor() as cursor:
                sql = (dbroles.create_statements(role, "…") if password else []) + \
                    dbroles.grant_statements(role, dbroles.tables(cursor),
                                             connection.settings_dict["NAME"])
            self.stdout.write(";\n".join(sql) + ";")
            return
        try:
            done = dbroles.apply(role, password=password)
        except ValueError as exc:
            raise CommandError(f"jalon_db_roles: {exc}") from None
        except Exception as exc:  # a refused GRANT/CREATE: one line
            raise CommandError(f"jalon_db_roles: {str(exc).splitlines()[0]}") from None
        self.stdout.write(f"{role}: {len(done)} statement(s) applied "
                          f"(rows yes, tables no, audit rows append-only)")
