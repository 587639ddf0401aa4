import time
import pytest
from django.urls import reverse
from django.db import connection
from django.test.utils import CaptureQueriesContext
from web_samples import make_plan, owner_of
from jalon.plans.models import Node

@pytest.mark.django_db
def test_timing(client):
    plan = make_plan(2000)
    user = owner_of(plan, "o")
    client.force_login(user)
    node = Node.objects.filter(plan=plan, indicators__isnull=False).first()
    for name, url in [("home", reverse("home")), ("dash", reverse("plan_dashboard", args=[plan.pk])),
                      ("explore", reverse("plan_explorer", args=[plan.pk])),
                      ("search", reverse("plan_explorer", args=[plan.pk]) + "?q=reseau+formations"),
                      ("timeline", reverse("plan_timeline", args=[plan.pk])),
                      ("sheet", reverse("node_detail", args=[node.pk])),
                      ("tree", reverse("plan_detail", args=[plan.pk]))]:
        t = time.time()
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        print(name, r.status_code, round(time.time() - t, 2), "s", len(ctx.captured_queries), "queries", len(r.content) // 1024, "KB")
