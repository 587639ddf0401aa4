"""What each person should be reminded of: overdue, due soon, no recent update, indicators stale
or off target.  Used by the home page (in-app list) and the weekly e-mail digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from jalon.plans.models import Node, Person

from .evaluation import MISSED, is_stale
from .models import Indicator, Measurement, ProgressUpdate
from .state import CLOSED as CLOSED_STATES
from .state import node_state
from .status import _target_for, indicator_status, targets_by_indicator

CLOSED = tuple(sorted(CLOSED_STATES))  # done, lapsed, stopped
DUE_WITHIN_DAYS = 14
NO_UPDATE_DAYS = 60


@dataclass
class Reminder:
    kind: str  # overdue, due_soon, no_update, stale, off_target
    node: Node
    message: str
    indicator: Indicator | None = None


def owned_node_ids(user):
    """Ids of the nodes a person of this user owns, as a subquery that starts from the user's
    own Person rows (index on ``person.user_id``, then on the owners link table): no scan of
    the installation's nodes, no OR, no DISTINCT."""
    persons = Person.objects.filter(user=user).values("pk")
    return Node.owners.through.objects.filter(person_id__in=persons).values("node_id")


def open_owned_nodes(user):
    """The user's open actions with ``last_update`` (their latest journal date), by deadline."""
    latest = (ProgressUpdate.objects.filter(node=OuterRef("pk")).order_by("-date")
              .values("date")[:1])
    return (Node.objects.filter(pk__in=owned_node_ids(user)).exclude(status__in=CLOSED)
            .select_related("plan").annotate(last_update=Subquery(latest)))


def reminders_for(user, today: dt.date, *, due_within: int = DUE_WITHIN_DAYS,
                  no_update_days: int = NO_UPDATE_DAYS) -> list[Reminder]:
    if not user.is_authenticated:
        return []
    out: list[Reminder] = []
    nodes = open_owned_nodes(user).order_by("end_date", "code")
    for n in nodes:
        state = node_state(n, today)  # the one model of state (tracking.state)
        if state.status in CLOSED:
            continue
        if state.late:
            out.append(Reminder("overdue", n, _("en retard depuis le %(d)s")
                                % {"d": n.end_date.strftime("%d/%m/%Y")} if n.end_date
                                else _("signalé en retard")))
        elif n.end_date and today <= n.end_date <= today + dt.timedelta(days=due_within):
            out.append(Reminder("due_soon", n, _("échéance le %(d)s")
                                % {"d": n.end_date.strftime("%d/%m/%Y")}))
        if n.last_update is None or n.last_update < today - dt.timedelta(days=no_update_days):
            out.append(Reminder("no_update", n, _("pas de mise à jour depuis %(n)d jours")
                                % {"n": no_update_days} if n.last_update else
                                _("jamais mis à jour")))
    latest = Measurement.objects.filter(indicator=OuterRef("pk"), dimensions_key="",
                                        value__isnull=False).order_by(
        "-period_end")
    last_end = (Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period_end")
                .values("period_end")[:1])
    persons = Person.objects.filter(user=user).values("pk")
    # the user's own indicators, and the unowned ones of the actions the user owns: two indexed
    # lookups (owner_id, node_id) put together with UNION ALL — an OR of the two would make
    # PostgreSQL filter every indicator of the installation (150 ms with 600 organizations)
    own = Indicator.objects.filter(owner_id__in=persons).order_by().values("pk")
    of_actions = (Indicator.objects.filter(owner__isnull=True, node_id__in=owned_node_ids(user))
                  .order_by().values("pk"))
    indicators = (Indicator.objects
                  .filter(pk__in=own.union(of_actions, all=True))
                  .exclude(node__status__in=CLOSED).exclude(kind=Indicator.Kind.MONITORING)
                  .select_related("node__plan")
                  .annotate(last_end=Subquery(last_end),
                            last_value=Subquery(latest.values("value")[:1]),
                            last_period=Subquery(latest.values("period")[:1])))
    indicators = list(indicators)
    targets = targets_by_indicator([ind.pk for ind in indicators])
    for ind in indicators:
        since = ind.created.date() if ind.created else None
        if is_stale(ind.frequency, ind.last_end, today, since):
            out.append(Reminder("stale", ind.node, _("indicateur « %(name)s » sans valeur récente")
                                % {"name": ind.name[:60]}, ind))
        elif ind.last_value is not None and indicator_status(
                ind, ind.last_value, _target_for(targets.get(ind.pk, {}), ind.last_period)) == MISSED:
            out.append(Reminder("off_target", ind.node, _("indicateur « %(name)s » hors cible")
                                % {"name": ind.name[:60]}, ind))
    return out
