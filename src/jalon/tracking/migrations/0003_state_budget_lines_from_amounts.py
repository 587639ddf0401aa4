"""Existing plans: their stated amounts become planned budget lines (as the loader now does),
and imported progress sets the status (above 0 → in progress, 100 → done)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jalon.tracking.services import money_line_year

    MoneyLine = apps.get_model("plans", "MoneyLine")
    BudgetLine = apps.get_model("tracking", "BudgetLine")
    Node = apps.get_model("plans", "Node")
    known = set(BudgetLine.objects.exclude(money_line=None).values_list("money_line_id",
                                                                          flat=True))
    per_node = {}
    money = list(MoneyLine.objects.select_related("node").order_by("node_id", "position", "id"))
    for m in money:
        per_node[m.node_id] = per_node.get(m.node_id, 0) + 1
    types = {"ordinaire", "extraordinaire", "personnel", "fonctionnement", "investissement"}
    new = []
    for m in money:
        if m.pk in known:
            continue
        t = (m.budget_type or "").strip().casefold()
        new.append(BudgetLine(node_id=m.node_id, money_line_id=m.pk,
                              year=money_line_year(m, m.node, per_node[m.node_id]),
                              planned=m.amount,
                              funding_source=(m.funding_source or m.node.funding)[:200],
                              budget_type=t if t in types else "ordinaire"))
    BudgetLine.objects.bulk_create(new, batch_size=500)
    started = Node.objects.filter(status="not_started", progress__gt=0)
    started.filter(progress__gte=100).update(status="done")
    started.filter(progress__lt=100).update(status="in_progress")


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0002_state_budget_from_plan"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
