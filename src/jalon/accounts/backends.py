"""Password sign-in (Django's ``ModelBackend``) whose signed-in user is read with their
memberships in ONE query.

Every signed-in request asks Django for the session's user (``backend.get_user``), and nearly
every page then asks the rules for the user's memberships (``plans.rules._memberships``): two
queries.  ``user_with_memberships`` reads the user's row joined to their memberships (one row per
membership, or one row with empty membership columns) and leaves the memberships on the user
object for the request, where the rules and ``Plan.objects.for_user`` find them.  Nothing is
kept between requests: a membership removed, a user deactivated or a password changed (the
session hash) shows on the next request, as before.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connections

from jalon.accounts.models import MEMBERSHIPS, Membership


@cache
def _user_sql(alias: str) -> str:
    """The statement, written once per database."""
    q = connections[alias].ops.quote_name
    user, member = get_user_model()._meta, Membership._meta
    return (f"SELECT u.*, m.{q('id')} AS jalon_m_id, m.{q('organization_id')} AS jalon_m_org, "
            f"m.{q('role')} AS jalon_m_role FROM {q(user.db_table)} u "
            f"LEFT JOIN {q(member.db_table)} m ON m.{q('user_id')} = u.{q(user.pk.column)} "
            f"WHERE u.{q(user.pk.column)} = %s ORDER BY m.{q('id')}")


def user_with_memberships(user_id):
    """The user ``user_id`` with ``_jalon_memberships`` set (one query), or None.

    One row per membership (or one row with empty membership columns); the statement is
    written once (plain SQL on the two tables, the user's columns converted by Django as in any
    query) rather than compiled by the ORM on every request."""
    model = get_user_model()
    manager = model._default_manager
    rows = list(manager.raw(_user_sql(manager.db), [user_id]))
    if not rows:
        return None
    user = rows[0]
    memberships = [
        Membership.from_db(manager.db, ["id", "user_id", "organization_id", "role"],
                           [r.jalon_m_id, user.pk, r.jalon_m_org, r.jalon_m_role])
        for r in rows if r.jalon_m_id is not None]
    for name in ("jalon_m_id", "jalon_m_org", "jalon_m_role"):
        user.__dict__.pop(name, None)
    setattr(user, MEMBERSHIPS, memberships)
    return user


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = user_with_memberships(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
