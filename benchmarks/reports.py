"""Time to produce each council document for a 260-item plan (the size of issue 12).

    .venv/bin/python benchmarks/reports.py [--nodes 260] [--repeat 1] [--keep DIR] [--worker]
    .venv/bin/python benchmarks/reports.py --pdf-codes /tmp/old /tmp/main .   # PDF only


Builds a throw-away SQLite database with one plan of about ``--nodes`` items (axes →
strategic objectives → operational objectives → actions, with people, departments, journal
entries, indicators with values and targets, budget lines), then times the snapshot and every
format, and prints a table: wall time, CPU time of the process (on a shared machine the wall
time follows the load, the CPU time much less) and size.  Nothing touches the project's own
database.

``--worker`` measures what the web asks for: a PDF job enqueued in the database, run by a
``jalon worker`` process (``--batch``), with the wall time from the request to the file and the
peak resident memory of the worker and of the process that asked (the web stays flat), and
the worker's CPU time.

``--pdf-codes DIR…`` compares the PDF of several copies of the code (``git archive <commit>``
unpacked in a folder; ``.`` for this one): each in its own child process with that folder's
``src`` first on the path, the same plan builder (this file's), one after the other; prints
wall and CPU time of ``render_document(doc, "pdf")``, pages, size and the child's peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(var_dir: str) -> None:
    os.environ["JALON_VAR_DIR"] = var_dir
    os.environ.pop("JALON_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_plan(size: int):
    """A plan of about ``size`` nodes: 5 axes, 4 OS each, 4 OO each, actions below."""
    from jalon.plans.models import Department, Node, Organization, Person, Plan
    from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target

    org = Organization.objects.create(name="CPAS de Banc-d'Essai", slug="banc-essai")
    plan = Plan.objects.create(organization=org, title="PST de référence 2025-2030",
                               period_start=2025, period_end=2030,
                               levels=["Axe", "Objectif stratégique", "Objectif opérationnel",
                                       "Action"])
    people = Person.objects.bulk_create(
        [Person(organization=org, name=f"Agent {i:02d}") for i in range(40)])
    depts = Department.objects.bulk_create(
        [Department(organization=org, name=f"Service {i:02d}") for i in range(12)])
    oo_count = 5 * 4 * 4
    per_oo = max(1, round((size - 5 - 20 - oo_count) / oo_count))

    def level(parents, count, depth, name):
        nodes = []
        for p_i, parent in enumerate(parents or [None]):
            for i in range(count):
                code = f"{parent.code}.{i + 1}" if parent else str(i + 1)
                nodes.append(Node(
                    plan=plan, parent=parent, depth=depth, position=i, code=code, level=name,
                    title=f"{name} {code} : améliorer la qualité du service rendu au public "
                          f"et la coordination entre les services ({p_i})",
                    description="Description de l'action, de ses étapes et de ses "
                                "bénéficiaires. " * 3,
                    start_text="2025", end_text="2027", risks=["Retard", "Budget"],
                    deliverables=["Rapport"], partners=["Région wallonne"],
                    status="in_progress", progress=Decimal((i * 17) % 101)))
        return Node.objects.bulk_create(nodes)

    axes = level([], 5, 0, "Axe")
    os_ = level(axes, 4, 1, "Objectif stratégique")
    oo = level(os_, 4, 2, "Objectif opérationnel")
    actions = level(oo, per_oo, 3, "Action")
    everything = axes + os_ + oo + actions
    Through = Node.owners.through
    Through.objects.bulk_create([Through(node_id=n.pk, person_id=people[i % 40].pk)
                                 for i, n in enumerate(everything)])
    DThrough = Node.departments.through
    DThrough.objects.bulk_create([DThrough(node_id=n.pk, department_id=depts[i % 12].pk)
                                  for i, n in enumerate(everything)])
    ProgressUpdate.objects.bulk_create([
        ProgressUpdate(node=n, date=dt.date(2026, 6, 30), progress=Decimal((i * 7) % 101),
                       status="in_progress") for i, n in enumerate(actions)])
    indicators = Indicator.objects.bulk_create([
        Indicator(node=n, name=f"Taux de réalisation {n.code}", unit="%")
        for n in oo])
    Target.objects.bulk_create([Target(indicator=ind, period="2026", value=Decimal(80))
                                for ind in indicators])
    Measurement.objects.bulk_create([
        Measurement(indicator=ind, period=str(y), period_end=dt.date(y, 12, 31),
                    value=Decimal(50 + 10 * (y - 2025) + i % 7))
        for i, ind in enumerate(indicators) for y in (2025, 2026)])
    BudgetLine.objects.bulk_create([
        BudgetLine(node=n, year=y, planned=Decimal(10000 + i), committed=Decimal(5000),
                   spent=Decimal("1234.56")) for i, n in enumerate(actions)
        for y in (2025, 2026)])
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=260)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", help="write the documents into this folder")
    parser.add_argument("--worker", action="store_true",
                        help="PDF through a job and a worker process (time, peak memory)")
    parser.add_argument("--pdf-codes", nargs="+", metavar="DIR",
                        help="PDF only, once per code folder (git archive copies), same builder")
    parser.add_argument("--pdf-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pdf_child:
        return pdf_child(args.pdf_child, args.nodes, args.keep)
    if args.pdf_codes:
        return pdf_codes(args.pdf_codes, args.nodes, args.keep)
    if args.worker:
        return through_worker(args.nodes)
    with tempfile.TemporaryDirectory(prefix="jalon-bench-") as var:
        setup(var)
        from jalon.reports.renderers import FORMATS, prepare, render_document
        from jalon.reports.snapshot import take_snapshot

        t0 = time.perf_counter()
        plan = build_plan(args.nodes)
        built = time.perf_counter() - t0
        n = plan.nodes.count()
        t0 = time.perf_counter()
        take_snapshot(plan)
        snap_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        doc = prepare(plan)
        prep_s = time.perf_counter() - t0
        rows = []
        for fmt in FORMATS:
            times, cpu = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                data = render_document(doc, fmt)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            if args.keep:
                Path(args.keep).mkdir(parents=True, exist_ok=True)
                (Path(args.keep) / f"plan-{n}.{fmt}").write_bytes(data)
            rows.append((fmt, min(times), min(cpu), len(data)))
    print(f"Plan of {n} nodes ({len(doc.sheets)} action sheets), built in {built:.1f} s")
    print(f"snapshot (11 queries): {snap_s:.2f} s · document data: {prep_s:.2f} s")
    print()
    print(f"| {'format':<6} | {'seconds':>8} | {'CPU s':>6} | {'size (kB)':>9} |")
    print(f"|{'-' * 8}|{'-' * 9}:|{'-' * 7}:|{'-' * 10}:|")
    for fmt, seconds, cpu_s, size in rows:
        print(f"| {fmt:<6} | {seconds:>8.2f} | {cpu_s:>6.2f} | {size // 1024:>9} |")
    print(f"\nthis process's peak RSS: {peak_rss_mb():.0f} MB (every format, one after the other)")
    return 0


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pdf_codes(codes: list[str], nodes: int, keep: str | None) -> int:
    """One child process per code folder, the same plan builder, one after the other."""
    import json
    import subprocess

    rows = []
    for code in codes:
        cmd = [sys.executable, __file__, "--pdf-child", str(Path(code).resolve()),
               "--nodes", str(nodes)] + (["--keep", keep] if keep else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows.append((code, json.loads(out.strip().splitlines()[-1])))
    print(f"PDF of a {rows[0][1]['nodes']}-item plan, one run each:")
    print()
    print("| code | PDF wall s | CPU s | pages | size | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    for code, r in rows:
        print(f"| {code} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['pages']} | "
              f"{r['size'] // 1024} kB | {r['rss']:.0f} MB |")
    return 0


def pdf_child(code: str, nodes: int, keep: str | None) -> int:
    """The PDF of the builder's plan with the code of folder ``code`` (see ``pdf_codes``)."""
    import json
    import re
    import subprocess

    sys.path.insert(0, str(Path(code) / "src"))
    with tempfile.TemporaryDirectory(prefix="jalon-bench-") as var:
        setup(var)
        from jalon.reports.renderers import prepare, render_document

        plan = build_plan(nodes)
        doc = prepare(plan)
        t0, c0 = time.perf_counter(), time.process_time()
        data = render_document(doc, "pdf")
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        count = plan.nodes.count()
    with tempfile.TemporaryDirectory(prefix="jalon-bench-") as folder:
        path = Path(keep or folder) / f"plan-{count}-{Path(code).name}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        try:  # poppler's count; the page objects when it is not installed
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
            pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        except (OSError, AttributeError):
            pages = len(re.findall(rb"/Type\s*/Page\b", data))
    print(json.dumps({"nodes": count, "wall": wall, "cpu": cpu, "pages": pages,
                      "size": len(data), "rss": peak_rss_mb()}))
    return 0


def through_worker(nodes: int) -> int:
    """The web's path: enqueue a PDF job, run ``jalon worker --batch`` in a child process."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="jalon-bench-") as var:
        setup(var)
        from django.contrib.auth.models import User

        from jalon.reports.jobs import ReportJob, request_report

        plan = build_plan(nodes)
        user = User.objects.create_user("bench")
        before = peak_rss_mb()
        t0 = time.perf_counter()
        job = request_report(plan, "pdf", by=user)
        asked = time.perf_counter() - t0
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        proc = subprocess.run(
            [sys.executable, "-c", "import resource, sys; from jalon.cli import main; "
             "main(['worker', '--batch', '--verbosity', '0']); "
             "r = resource.getrusage(resource.RUSAGE_SELF); "
             "print(r.ru_utime + r.ru_stime, r.ru_maxrss)"],
            env=env, capture_output=True, text=True, check=True)
        done = time.perf_counter() - t0
        worker_cpu, worker_kb = proc.stdout.split()[-2:]
        worker_mb = int(worker_kb) / 1024
        job = ReportJob.objects.get(pk=job.pk)
        print(f"Plan of {plan.nodes.count()} nodes: PDF job {job.status}, {job.size // 1024} kB")
        print()
        print("| what | value |")
        print("|---|---|")
        print(f"| request (record + enqueue) | {asked * 1000:.0f} ms |")
        print(f"| request → file ready (worker start included) | {done:.1f} s |")
        print(f"| worker CPU time (start, Django, the job) | {float(worker_cpu):.1f} s |")
        print(f"| worker peak RSS | {worker_mb:.0f} MB |")
        print(f"| asking process peak RSS before → after | {before:.0f} → {peak_rss_mb():.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
