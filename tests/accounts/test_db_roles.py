"""Least privilege on PostgreSQL: the application's role reads and writes rows but cannot alter a
table, switch off the trigger that locks validated evaluations, or rewrite audit rows."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="roles are PostgreSQL's (SQLite has none)")

ROLE = f"jalon_test_app_{os.getpid()}"  # roles are cluster-wide: one per test run


@pytest.fixture
def app_role(db):
    """The role, created and granted by the command (as the owner), and a way to act as it."""

    os.environ["JALON_DB_APP_PASSWORD"] = "not-used-here"
    try:
        call_command("jalon_db_roles", role=ROLE, create=True, verbosity=0)
    finally:
        del os.environ["JALON_DB_APP_PASSWORD"]

    def run(sql, params=None):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{ROLE}"')
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else None
            cursor.execute("RESET ROLE")  # (a failure rolls the savepoint back, role included)
            return rows

    yield run
    with connection.cursor() as cursor:  # the grants go with the test database
        cursor.execute(f'REASSIGN OWNED BY "{ROLE}" TO CURRENT_USER')
        cursor.execute(f'DROP OWNED BY "{ROLE}"')
        cursor.execute(f'DROP ROLE "{ROLE}"')


def test_the_application_role_cannot_disable_the_evaluation_lock(app_role):
    with pytest.raises(DatabaseError, match="must be owner"):
        app_role("ALTER TABLE reports_evaluation DISABLE TRIGGER reports_evaluation_locked")
    with pytest.raises(DatabaseError, match="must be owner"):
        app_role("ALTER TABLE reports_evaluation DISABLE TRIGGER ALL")
    with pytest.raises(DatabaseError, match="must be owner"):
        app_role("DROP TRIGGER reports_evaluation_locked ON reports_evaluation")
    with pytest.raises(DatabaseError, match="must be owner"):
        app_role("ALTER TABLE plans_node ADD COLUMN x int")


def test_the_application_role_reads_and_writes_rows(app_role, world):
    app_role("UPDATE plans_node SET title = %s WHERE id = %s", ["Renommé", world.action.pk])
    assert app_role("SELECT title FROM plans_node WHERE id = %s",
                    [world.action.pk]) == [("Renommé",)]
    app_role("INSERT INTO django_session (session_key, session_data, expire_date) "
             "VALUES ('k', 'd', now())")
    app_role("DELETE FROM django_session WHERE session_key = 'k'")


def test_audit_rows_are_append_only_for_the_application_role(app_role, world):
    from jalon.plans.models import Node

    table = Node.history.model._meta.db_table
    assert app_role(f"SELECT count(*) FROM {table}")[0][0] > 0
    with pytest.raises(DatabaseError, match="permission denied"):
        app_role(f"UPDATE {table} SET title = 'effacé'")
    with pytest.raises(DatabaseError, match="permission denied"):
        app_role(f"DELETE FROM {table}")
    with pytest.raises(DatabaseError, match="permission denied"):
        app_role("DELETE FROM django_migrations")


def test_the_command_prints_the_sql_for_a_database_administrator(db, capsys):
    call_command("jalon_db_roles", role="jalon_app", sql=True)
    out = capsys.readouterr().out
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "plans_node" TO "jalon_app"' in out
    assert 'GRANT SELECT, INSERT ON TABLE "plans_historicalnode" TO "jalon_app"' in out
    assert "ALTER" not in out and "OWNER" not in out
