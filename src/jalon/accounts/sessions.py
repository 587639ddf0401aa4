"""Django's database sessions, read with one plain statement.

Sessions stay rows of ``django_session`` (``SESSION_ENGINE = "jalon.accounts.sessions"``):
signing out deletes the row, so a session ends everywhere at once, whatever the cache and the
number of server processes.  Only the read on every request changes: the same ``SELECT`` as
Django's (the key, not expired), written once instead of compiled by the ORM each time.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not self.session_key:  # absent or refused by the key's check (too short)
            self._session_key = None
            return None
        connection = connections[router.db_for_read(self.model)]
        q = connection.ops.quote_name
        sql = (f"SELECT {q('session_data')} FROM {q(self.model._meta.db_table)} "
               f"WHERE {q('session_key')} = %s AND {q('expire_date')} > %s")
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0])
