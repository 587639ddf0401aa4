"""Uploading 100,000 measurements and recomputing the indicators' statuses, on SQLite and on
PostgreSQL (each in a fresh test database).

Run: .venv/bin/python benchmarks/measurements.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import per_database  # noqa: E402


def run_one(rows_wanted: int) -> None:
    import datetime as dt

    from django.db import connection

    from jalon.plans.models import Node, Organization, Plan
    from jalon.tracking.models import Indicator, Measurement, MeasurementChange
    from jalon.tracking.services import import_measurements
    from jalon.tracking.status import plan_indicator_statuses

    org = Organization.objects.create(name="Bench", slug="bench")
    plan = Plan.objects.create(organization=org, title="Bench", period_start=2021,
                               period_end=2025)
    node = Node.objects.create(plan=plan, code="1", title="Bench")
    months = [f"{y}-{m:02d}" for y in range(2021, 2026) for m in range(1, 13)]  # 60
    offices = 17
    n_ind = max(1, rows_wanted // (len(months) * offices))
    inds = [Indicator.objects.create(node=node, name=f"KPI {i}", norm_text="94 %",
                                     frequency="monthly") for i in range(n_ind)]
    rows, n = [], 2
    for ind in inds:
        for p in months:
            for o in range(offices):
                rows.append((n, {"indicator_id": str(ind.pk), "period": p,
                                 "value": str(90 + (n % 9)), "dim:bureau": f"B{o}"}))
                n += 1
    t0 = time.perf_counter()
    result = import_measurements(plan, rows)
    upload = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = import_measurements(plan, rows)
    reupload = time.perf_counter() - t0
    t0 = time.perf_counter()
    statuses = plan_indicator_statuses(plan, dt.date(2026, 1, 15))
    recompute = time.perf_counter() - t0
    changed = [(n, {**row, "value": str(int(row["value"]) + 1)}) for n, row in rows]
    t0 = time.perf_counter()
    third = import_measurements(plan, changed)
    rewrite = time.perf_counter() - t0
    assert result.created == len(rows) and again.created == 0 and third.updated == len(rows)
    assert Measurement.objects.count() == len(rows) and len(statuses) == n_ind
    assert MeasurementChange.objects.filter(batch=third.batch).count() == len(rows)  # audit
    floor = copy_floor()
    vendor = connection.vendor
    print(f"{vendor:<11} rows={len(rows):>7}  upload {upload:6.2f} s "
          f"({len(rows) / upload:8.0f} rows/s)  same file again {reupload:6.2f} s "
          f"({len(rows) / reupload:8.0f} rows/s)  every value changed {rewrite:6.2f} s "
          f"({len(rows) / rewrite:8.0f} rows/s)")
    print(f"{'':<11} {'COPY' if vendor == 'postgresql' else 'executemany INSERT'} of the same "
          f"rows into the emptied table: {floor:6.2f} s ({len(rows) / floor:8.0f} "
          f"rows/s); upload ÷ that = {upload / floor:4.1f}×, every value changed ÷ that = "
          f"{rewrite / floor:4.1f}×; statuses of {n_ind} indicators {recompute * 1000:6.1f} ms")
    print(f"{'':<11} load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def copy_floor() -> float:
    """The floor: the stored rows deleted, then written back into the same table with the
    database's own bulk path (COPY on PostgreSQL, executemany INSERT on SQLite), with its
    indexes and foreign keys, commit-time checks included."""
    from django.db import connection, transaction

    cols = ("indicator_id, period, period_end, dimensions, dimensions_key, value, missing, "
            "comment, source, entered_by_id, entered_at, batch_id")
    with connection.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM tracking_measurement")
        data = cur.fetchall()
        cur.execute("DELETE FROM tracking_measurement")
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY tracking_measurement ({cols}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks, counted
        else:
            marks = ", ".join(["%s"] * 12)
            cur.executemany(f"INSERT INTO tracking_measurement ({cols}) VALUES ({marks})", data)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    per_database(__file__, sys.argv[1:], lambda: run_one(args.rows))


if __name__ == "__main__":
    main()
