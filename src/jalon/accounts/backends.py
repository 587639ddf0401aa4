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

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

MEMBERSHIPS = "_jalon_memberships"  # the attribute plans.rules reads


def user_with_memberships(user_id):
    """The user ``user_id`` with ``_jalon_memberships`` set (one query), or None."""
    from jalon.accounts.models import Membership

    model = get_user_model()
    fields = [f.attname for f in model._meta.concrete_fields]
    qs = (model._default_manager.filter(pk=user_id)
          .order_by("memberships__id")
          .values_list(*fields, "memberships__id", "memberships__organization_id",
                       "memberships__role"))
    rows = list(qs)
    if not rows:
        return None
    n = len(fields)
    user = model.from_db(qs.db, fields, rows[0][:n])
    memberships = []
    for row in rows:
        mid, org_id, role = row[n:]
        if mid is not None:
            memberships.append(Membership.from_db(
                qs.db, ["id", "user_id", "organization_id", "role"], [mid, user.pk, org_id, role]))
    setattr(user, MEMBERSHIPS, memberships)
    return user


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = user_with_memberships(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
