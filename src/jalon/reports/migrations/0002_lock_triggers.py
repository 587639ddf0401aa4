"""Database triggers: a validated evaluation cannot be updated or deleted, even by raw SQL.

SQLite and PostgreSQL (the two supported databases); other backends rely on the model guards.
On SQLite, a later migration that rebuilds the ``reports_evaluation`` table (most ALTERs do)
drops these triggers: such a migration must create them again (reuse ``SQLITE`` below).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER reports_evaluation_locked_update BEFORE UPDATE ON reports_evaluation
       FOR EACH ROW WHEN OLD.status = 'validated'
       BEGIN SELECT RAISE(ABORT, 'jalon: a validated evaluation is locked'); END""",
    """CREATE TRIGGER reports_evaluation_locked_delete BEFORE DELETE ON reports_evaluation
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
