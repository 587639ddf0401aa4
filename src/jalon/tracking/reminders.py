"""What each person should be reminded of: overdue, due soon, no recent update, indicators stale
or off target.  Used by the home page (in-app list) and the weekly e-mail digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from jalon.plans.models import Node

from .evaluation import MISSED, is_stale
from .models import Indicator, Measurement
from .status import _target_for, indicator_status, targets_by_indicator

CLOSED = (Node.Status.DONE, Node.Status.STOPPED, Node.Status.LAPSED)
DUE_WITHIN_DAYS = 14
NO_UPDATE_DAYS = 60


@dataclass
class Reminder:
    kind: str  # overdue, due_soon, no_update, stale, off_target
    node: Node
    message: str
    indicator: Indicator | None = None


def reminders_for(user, today: dt.date, *, due_within: int = DUE_WITHIN_DAYS,
                  no_update_days: int = NO_UPDATE_DAYS) -> list[Reminder]:
    if not user.is_authenticated:
        return []
    out: list[Reminder] = []
    nodes = (Node.objects.filter(owners__user=user).exclude(status__in=CLOSED)
             .select_related("plan").annotate(last_update=Max("updates__date")).distinct()
             .order_by("end_date", "code"))
    for n in nodes:
        if n.end_date and n.end_date < today:
            out.append(Reminder("overdue", n, _("en retard depuis le %(d)s")
                                % {"d": n.end_date.strftime("%d/%m/%Y")}))
        elif n.end_date and n.end_date <= today + dt.timedelta(days=due_within):
            out.append(Reminder("due_soon", n, _("échéance le %(d)s")
                                % {"d": n.end_date.strftime("%d/%m/%Y")}))
        if n.last_update is None or n.last_update < today - dt.timedelta(days=no_update_days):
            out.append(Reminder("no_update", n, _("pas de mise à jour depuis %(n)d jours")
                                % {"n": no_update_days} if n.last_update else
                                _("jamais mis à jour")))
    latest = Measurement.objects.filter(indicator=OuterRef("pk"), dimensions_key="",
                                        value__isnull=False).order_by(
        "-period_end")
    indicators = (Indicator.objects
                  .filter(Q(owner__user=user) | Q(owner__isnull=True, node__owners__user=user))
                  .exclude(node__status__in=CLOSED).exclude(kind=Indicator.Kind.MONITORING)
                  .select_related("node__plan")
                  .annotate(last_end=Max("measurements__period_end"),
                            last_value=Subquery(latest.values("value")[:1]),
                            last_period=Subquery(latest.values("period")[:1]))
                  .distinct())
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
