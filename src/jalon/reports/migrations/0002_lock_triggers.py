"""Database triggers: a validated evaluation cannot be updated, even by raw SQL.

PostgreSQL refuses an UPDATE or a DELETE of a validated row.  SQLite refuses the UPDATE only:
it empties tables with DELETE (``manage.py flush``, the test runner after each transactional
test), which a DELETE trigger would break, whereas PostgreSQL empties them with TRUNCATE, which
row triggers do not see.  Deletion stays refused by the model guards on every database.
Other backends rely on the model guards.

On SQLite, a later migration that rebuilds the ``reports_evaluation`` table (most ALTERs do)
drops the trigger: such a migration must create it again (reuse ``SQLITE`` below).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER reports_evaluation_locked_update BEFORE UPDATE ON reports_evaluation
       FOR EACH ROW WHEN OLD.status = 'validated'
       BEGIN SELECT RAISE(ABORT, 'jalon: a validated evaluation is locked'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS reports_evaluation_locked_update",
               "DROP TRIGGER IF EXISTS reports_evaluation_locked_delete"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION reports_evaluation_locked() RETURNS trigger AS $$
       BEGIN
         IF OLD.status = 'validated' THEN
           RAISE EXCEPTION 'jalon: a validated evaluation is locked';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER reports_evaluation_locked BEFORE UPDATE OR DELETE ON reports_evaluation
       FOR EACH ROW EXECUTE FUNCTION reports_evaluation_locked()""",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS reports_evaluation_locked ON reports_evaluation",
                 "DROP FUNCTION IF EXISTS reports_evaluation_locked()"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})),
    ]
