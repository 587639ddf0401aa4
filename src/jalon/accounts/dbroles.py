"""Least privilege in PostgreSQL: the role that runs the application reads and writes rows, and
nothing more.

- The migrations run as the *owner* role (``JALON_MIGRATE_DATABASE_URL``), which owns the tables,
  the triggers and the functions.
- The application runs as another role (the user of ``JALON_DATABASE_URL``) granted ``SELECT,
  INSERT, UPDATE, DELETE`` on the tables and the use of their sequences: not being the owner it
  cannot ``ALTER`` a table, nor ``DISABLE TRIGGER`` the lock of validated evaluations
  (reports/migrations/0002_lock_triggers.py), nor drop anything.
- Audit rows (django-simple-history's ``*historical*`` tables, evaluations' included) are
  append-only for it: ``SELECT, INSERT`` only.  ``django_migrations`` is read-only.

``grant_statements`` is the whole policy; ``jalon manage jalon_db_roles`` applies it (and, with
``--create``, creates the login role), ``jalon migrate`` re-applies it after each migration.
"""

from __future__ import annotations

from django.db import connection

READ_ONLY = {"django_migrations"}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                   "ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def is_append_only(table: str) -> bool:
    return "historical" in table


def grant_statements(role: str, table_names: list[str], database: str) -> list[str]:
    r = _ident(role)
    out = [f"GRANT CONNECT ON DATABASE {_ident(database)} TO {r}",
           f"GRANT USAGE ON SCHEMA public TO {r}",
           f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}"]
    for t in table_names:
        if t in READ_ONLY:
            rights = "SELECT"
        elif is_append_only(t):
            rights = "SELECT, INSERT"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        out.append(f"GRANT {rights} ON TABLE {_ident(t)} TO {r}")
    return out


def create_statements(role: str, password: str) -> list[str]:
    quoted = "'" + password.replace("'", "''") + "'"
    return [f"CREATE ROLE {_ident(role)} LOGIN PASSWORD {quoted} NOSUPERUSER NOCREATEDB "
            "NOCREATEROLE NOREPLICATION"]


def role_exists(cursor, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def apply(role: str, *, password: str | None = None, using=connection) -> list[str]:
    """Create ``role`` if asked (and missing), then grant it exactly the policy above."""
    done = []
    with using.cursor() as cursor:
        if password is not None and not role_exists(cursor, role):
            done += create_statements(role, password)
        if not (done or role_exists(cursor, role)):
            raise ValueError(f"the role {role!r} does not exist (use --create)")
        done += grant_statements(role, tables(cursor), using.settings_dict["NAME"])
        for sql in done:
            cursor.execute(sql)
    return done
