"""Server time and SQL queries of each main page for a 2,000-node plan with five years of
monthly measurements, on SQLite and on PostgreSQL.

Run: .venv/bin/python benchmarks/pages.py [--nodes N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "web"))
from common import per_database  # noqa: E402

REPEAT = 3


def run_one(n_nodes: int) -> None:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from web_samples import make_plan

    from jalon.tracking.models import Indicator, Measurement

    user = User.objects.create_superuser("bench", password="bench-pw-123")
    plan = make_plan(n_nodes)
    months = [(y, m) for y in range(2020, 2025) for m in range(1, 13)]
    for ind in Indicator.objects.filter(node__plan=plan).iterator():
        Measurement.objects.bulk_create(
            Measurement(indicator=ind, period=f"{y}-{m:02d}", period_end=dt.date(y, m, 28),
                        value=40 + (y * m) % 20) for y, m in months)
    node = plan.nodes.filter(depth=1).first()
    client = Client()
    client.force_login(user)
    pages = {
        "home": reverse("home"),
        "tree": reverse("plan_detail", args=[plan.pk]),
        "dashboard": reverse("plan_dashboard", args=[plan.pk]),
        "explorer (search)": reverse("plan_explorer", args=[plan.pk]) + "?q=reseau",
        "timeline": reverse("plan_timeline", args=[plan.pk]),
        "action sheet": reverse("node_detail", args=[node.pk]),
    }
    measurements = Measurement.objects.filter(indicator__node__plan=plan).count()
    print(f"{connection.vendor}: {plan.nodes.count()} nodes, {measurements} measurements")
    for name, url in pages.items():
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (name, response.status_code)
        print(f"  {name:<18} {statistics.median(times) * 1000:8.0f} ms  "
              f"{len(ctx.captured_queries):3d} queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    per_database(__file__, sys.argv[1:], lambda: run_one(args.nodes))


if __name__ == "__main__":
    main()
