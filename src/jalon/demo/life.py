"""A plan's life written into its journal, as a coordinator would have kept it.

For every action (a node without children) that had started by the horizon (today, or the end
of an ended plan), a few dated journal entries spread from its start to its end or to the
horizon: progress rising, a status a coordinator sets (in progress, done, stopped), a health
(on track, at risk, blocked) and a short comment.  Everything is invented and labelled so:
``ProgressUpdate.demo = True`` and the comment ends with ``INVENTED_NOTE``.  Seeded random:
the same plan on the same day always gets the same journal.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from jalon.plans.models import Node, Plan
from jalon.tracking.services import post_update

INVENTED_NOTE = " (mise à jour inventée pour la démonstration)"

COMMENTS = {
    "start": ["Réunion de lancement avec le service.", "Cahier des charges en préparation.",
              "Premiers contacts avec les partenaires.", "Groupe de travail constitué."],
    "progress": ["Marché attribué, exécution en cours.", "Point fait au comité de direction.",
                 "Étape intermédiaire atteinte.",
                 "Comité de pilotage : calendrier confirmé.",
                 "Retours des partenaires intégrés.", "Phase de test avec les usagers."],
    "at_risk": ["Retard du fournisseur : calendrier à revoir.",
                "Effectif réduit dans le service ce trimestre."],
    "blocked": ["En attente de la décision du Conseil.",
                "Bloqué : le subside n'est pas encore confirmé."],
    "done": ["Action réalisée ; rapport transmis au Conseil.", "Clôturée : objectif atteint."],
    "stopped": ["Arrêtée par décision du Conseil (priorités revues)."],
}


@dataclass
class Fate:
    """How an action's story ends at the horizon."""

    status: str  # in_progress, done, stopped, not_started (no entry)
    progress: int
    health: str = "on_track"
    last: dt.date | None = None  # date of the last entry (default: chosen from the dates)


def _step(x: float) -> int:
    return max(5, min(95, int(round(x / 5)) * 5))


def pick_fate(rng: random.Random, start: dt.date, end: dt.date, horizon: dt.date) -> Fate:
    """What a coordinator would have recorded by ``horizon`` for an action due on ``end``."""
    if end <= horizon:  # the deadline has passed
        r = rng.random()
        if r < 0.72:
            return Fate("done", 100)
        if r < 0.80:
            return Fate("stopped", _step(rng.uniform(10, 60)))
        if r < 0.96:  # still running after its deadline: late
            health = "at_risk" if rng.random() < 0.4 else "on_track"
            return Fate("in_progress", _step(rng.uniform(40, 90)), health)
        return Fate("not_started", 0)
    span = max(1, (end - start).days)
    elapsed = max(0.0, min(1.0, (horizon - start).days / span))
    if elapsed > 0.7 and rng.random() < 0.15:
        return Fate("done", 100)
    r = rng.random()
    health = "blocked" if r < 0.05 else "at_risk" if r < 0.18 else "on_track"
    return Fate("in_progress", _step(elapsed * 100 * rng.uniform(0.6, 1.2)), health)


def _dates(rng: random.Random, first: dt.date, last: dt.date, n: int) -> list[dt.date]:
    if last <= first or n == 1:
        return [max(first, last)]
    gap = (last - first).days
    return [first + dt.timedelta(days=round(gap * i / (n - 1))) for i in range(n)]


def tell(node: Node, fate: Fate, start: dt.date, end: dt.date, horizon: dt.date,
         rng: random.Random, *, by=None) -> int:
    """Write the journal entries of one action; return how many."""
    if fate.status == "not_started":
        return 0
    first = min(horizon, start + dt.timedelta(days=rng.randint(10, 45)))
    if fate.last is not None:
        last = min(fate.last, horizon)
    elif fate.status == "done":
        last = min(horizon, end - dt.timedelta(days=rng.randint(0, 45)))
    elif fate.status == "stopped":
        last = min(horizon, first + (end - first) / 2)
    else:
        last = horizon - dt.timedelta(days=rng.randint(3, 40))
    last = max(first, last)
    n = 1 if (last - first).days < 30 else rng.randint(2, 4)
    dates = _dates(rng, first, last, n)
    entries = []
    for i, day in enumerate(dates):
        final = i == len(dates) - 1
        progress = fate.progress if final else _step(fate.progress * (i + 1) / len(dates))
        status = fate.status if final else "in_progress"
        health = fate.health if final and status == "in_progress" else (
            "" if status != "in_progress" else "on_track")
        if final and status in ("done", "stopped"):
            text = rng.choice(COMMENTS[status])
        elif final and health in ("at_risk", "blocked"):
            text = rng.choice(COMMENTS[health])
        else:
            text = rng.choice(COMMENTS["start" if i == 0 else "progress"])
        entries.append({"date": day, "status": status, "health": health, "progress": progress,
                        "text": text + INVENTED_NOTE})
    # the latest first: the node's state is then written once, not once per entry (the
    # earlier entries, dated before it, do not change it); dates are distinct (≥ 30 days apart)
    for entry in reversed(entries):
        post_update(node, by=by, demo=True, **entry)
    return len(entries)


def live(plan: Plan, today: dt.date, *, rng: random.Random | None = None,
         fates: dict[int, Fate] | None = None, by=None) -> int:
    """Give every started action of ``plan`` without a journal its story up to the horizon
    (``today``, or the 31/12 of the plan's last year when it has ended).  ``fates``: node id
    → a story chosen by the caller.  Returns the number of entries written."""
    rng = rng or random.Random(f"{plan.title}|{today.isoformat()}")
    fates = fates or {}
    plan_start = dt.date(plan.period_start or today.year, 1, 1)
    plan_end = dt.date(plan.period_end or plan.period_start or today.year, 12, 31)
    horizon = min(today, plan_end)
    made = 0
    leaves = (plan.nodes.filter(children__isnull=True, updates__isnull=True)
              .order_by("depth", "position", "id"))
    for node in leaves:
        start = max(plan_start, node.start_date or plan_start)
        end = min(plan_end, node.end_date or plan_end)
        end = max(start, end)
        if start > horizon and node.pk not in fates:
            continue  # not started yet: no entry
        fate = fates.get(node.pk) or pick_fate(rng, start, end, horizon)
        made += tell(node, fate, min(start, horizon), end, horizon, rng, by=by)
    return made
