"""The public side, readable without an account: a page per published plan, its open data
(CSV, JSON) and the DCAT-AP catalogue of every published plan.

Everyone — members included — sees what the public sees here: plans are scoped with
``Plan.objects.for_user(AnonymousUser())`` (published only) and node fields pass through the
allow-list of ``opendata.public_snapshot`` minus ``Plan.hidden_fields``.
"""

from __future__ import annotations

import json

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jalon.plans.models import Node, Plan
from jalon.reports.document import INDICATOR_STATUS, iso_date, pct, value_text
from jalon.reports.models import ReportSettings
from jalon.reports.renderers.charts import progress_bars
from jalon.reports.services import latest_published, published
from jalon.reports.snapshot import take_snapshot
from jalon.tracking.models import Measurement, ProgressUpdate

from .caching import conditional
from .opendata import (
    catalog,
    evaluation_facts,
    hidden_keys,
    public_evaluation,
    public_snapshot,
    to_csv,
)

DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLIC = AnonymousUser()


def published_plans():
    """The one way to pick plans here: what an anonymous visitor may view."""
    return Plan.objects.for_user(PUBLIC, "view").select_related("organization")


def published_plan(org: str, pk: int) -> Plan:
    plan = published_plans().filter(pk=pk, organization__slug=org).first()
    if plan is None:
        raise Http404
    return plan


def _license(plan: Plan) -> str:
    settings = ReportSettings.objects.filter(organization_id=plan.organization_id).first()
    return (settings.license_url if settings and settings.license_url else DEFAULT_LICENSE)


def _open(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def public_index(request):
    plans = published_plans().order_by("organization__name", "-period_start", "title")
    return render(request, "public/index.html", {"plans": plans})


def _version(plan: Plan) -> str:
    return f"{plan.pk}.{plan.revision}.{plan.last_modified}"


def public_plan(request, org: str, pk: int):
    plan = published_plan(org, pk)
    return conditional(request, "page", _version(plan), plan.last_modified,
                       lambda: _public_plan(request, plan))


def _public_plan(request, plan: Plan):
    hidden = plan.hidden_fields or []
    keys = hidden_keys(hidden)
    public = public_snapshot(take_snapshot(plan), hidden)
    evaluation = public_evaluation(latest_published(plan), hidden)
    roots = _tree(public["nodes"])
    chart = None
    if "progress" not in keys and roots:
        bars = [(n["code"], n["title"], n.get("progress") if n.get("progress") is not None
                 else n.get("rolled_up")) for n in roots]
        chart = {"svg": progress_bars(bars, title=_("Avancement par objectif"), uid="roots"),
                 "rows": [(c, t, pct(v)) for c, t, v in bars]}
    if evaluation:
        for o in evaluation["objectives"]:
            o["progress_text"] = pct(o.get("progress") if o.get("progress") is not None
                                     else o.get("rolled_up"))
            o["assessment"] = evaluation["assessments"].get(o["code"], "")
        evaluation["progress_text"] = pct(evaluation["totals"].get("progress"))
        evaluation["as_of_text"] = iso_date(evaluation["as_of"])
        evaluation["published_text"] = iso_date((evaluation["published_at"] or "")[:10])
    return render(request, "public/plan.html", {
        "plan": plan, "public": public, "roots": roots, "chart": chart,
        "evaluation": evaluation, "hidden": keys, "license": _license(plan),
        "progress_text": pct(public["totals"].get("progress")),
        "as_of_text": iso_date(public["as_of"]),
        "status_counts": [(_status(s), n) for s, n in public["totals"].get("by_status", {})
                          .items()],
    })


def _status(value: str) -> str:
    try:
        return str(Node.Status(value).label)
    except ValueError:
        return value


def _tree(nodes: list[dict]) -> list[dict]:
    """Nest the public nodes and give each what the page prints (only visible fields)."""
    by_code = {}
    roots = []
    for i, n in enumerate(nodes):
        n["anchor"] = f"n{i + 1}"
        n["children"] = []
        n["details"] = _details(n)
        n["meta"] = _meta(n)
        by_code[n["code"]] = n
    for n in nodes:
        parent = by_code.get(n.get("parent_code"))
        (parent["children"] if parent else roots).append(n)
    return roots


def _meta(n: dict) -> list[str]:
    out = []
    if n.get("level"):
        out.append(n["level"])
    if "status" in n:
        out.append(_status(n["status"]))
    if "progress" in n:
        value = n["progress"] if n["progress"] is not None else n.get("rolled_up")
        if value is not None:
            out.append(_("avancement %s") % pct(value))
    end = n.get("end_text") or n.get("deadline_text")
    if end:
        out.append(_("échéance : %s") % end)
    return out


LABELS = {
    "start_text": _l("Début"), "end_text": _l("Fin"), "owners": _l("Responsables"),
    "team": _l("Équipe"), "mandataires": _l("Mandataires"), "departments": _l("Départements"),
    "partners": _l("Partenaires"), "steering": _l("Pilotage"), "description": _l("Description"),
    "risks": _l("Risques"), "deliverables": _l("Livrables"), "comment": _l("Commentaire"),
    "fte": _l("ETP"), "funding": _l("Financement"), "money": _l("Ressources (€)"),
}


def _details(n: dict) -> list[tuple[str, str]]:
    from jalon.core.values import format_money

    out = []
    for key, label in LABELS.items():
        value = n.get(key)
        if key not in n or value in (None, "", []):
            continue
        if key == "money":
            value = ", ".join(format_money(v) for v in value)
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        elif key == "fte":
            value = value_text(value)
        out.append((str(label), str(value)))
    if n.get("budget"):
        for year, row in sorted(n["budget"].items()):
            out.append((_("Budget %s") % year, _("prévu %(p)s, engagé %(c)s, dépensé %(s)s") % {
                "p": format_money(row.get("planned") or 0),
                "c": format_money(row.get("committed") or 0),
                "s": format_money(row.get("spent") or 0)}))
    for ind in n.get("indicators") or []:
        latest = ind.get("latest")
        out.append((_("Indicateur"), "{} : {} ({})".format(
            ind["name"], value_text(latest["value"], ind.get("unit") or "") if latest else "—",
            INDICATOR_STATUS.get(ind.get("status") or "", "—"))))
    return out


def _data(plan: Plan) -> dict:
    hidden = plan.hidden_fields or []
    public = public_snapshot(take_snapshot(plan), hidden)
    evaluations = published(plan).defer("snapshot")
    public["license"] = _license(plan)
    public["evaluations"] = [evaluation_facts(e) for e in evaluations]
    return public


def public_data_json(request, org: str, pk: int):
    plan = published_plan(org, pk)
    return conditional(request, "json", _version(plan), plan.last_modified, lambda: _open(
        JsonResponse(_data(plan), json_dumps_params={"ensure_ascii": False})))


def public_data_csv(request, org: str, pk: int):
    plan = published_plan(org, pk)

    def build():
        public = public_snapshot(take_snapshot(plan), plan.hidden_fields or [])
        response = HttpResponse(to_csv(public), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{org}-{pk}.csv"'
        return _open(response)

    return conditional(request, "csv", _version(plan), plan.last_modified, build)


def _last_modified(plan_ids: list[int]) -> dict[int, object]:
    """Latest change of each plan: its own record, its nodes, journal and measurements."""
    out: dict[int, object] = {}

    def merge(rows):
        for pid, when in rows:
            if when and (pid not in out or when > out[pid]):
                out[pid] = when

    merge(Plan.history.filter(id__in=plan_ids).values("id").annotate(m=Max("history_date"))
          .values_list("id", "m"))
    merge(Node.history.filter(plan_id__in=plan_ids).values("plan_id")
          .annotate(m=Max("history_date")).values_list("plan_id", "m"))
    merge(ProgressUpdate.objects.filter(node__plan_id__in=plan_ids).values("node__plan_id")
          .annotate(m=Max("created")).values_list("node__plan_id", "m"))
    merge(Measurement.objects.filter(indicator__node__plan_id__in=plan_ids)
          .values("indicator__node__plan_id").annotate(m=Max("entered_at"))
          .values_list("indicator__node__plan_id", "m"))
    return out


def public_catalog(request):
    """The DCAT-AP catalogue: built once per state of the published plans (their number, ids
    and revisions: one aggregate query), then served from the cache or as a 304."""
    state = published_plans().aggregate(n=Count("id"), ids=Sum("id"), r=Sum("revision"),
                                         m=Max("last_modified"))
    version = f"{state['n']}.{state['ids']}.{state['r']}.{state['m']}"
    return conditional(request, "catalog", version, state["m"],
                       lambda: _catalog(request))


def _catalog(request):
    plans = list(published_plans().order_by("organization__name", "title"))
    modified = {p.pk: p.last_modified for p in plans if p.last_modified}
    older = [p.pk for p in plans if not p.last_modified]  # not written since the revision
    if older:
        modified |= _last_modified(older)
    licenses = {s.organization_id: s.license_url for s in
                ReportSettings.objects.filter(organization__in={p.organization_id
                                                                for p in plans})}
    now = timezone.now()
    entries = []
    for p in plans:
        org = p.organization
        url = request.build_absolute_uri
        entries.append({
            "identifier": f"{org.slug}/{p.pk}",
            "title": p.title,
            "description": _("%(kind)s de %(org)s%(period)s : arborescence des objectifs et "
                             "actions, statut, avancement, indicateurs et budget suivis.") % {
                "kind": p.get_kind_display(), "org": org.name,
                "period": f" ({p.period_start}–{p.period_end or '…'})" if p.period_start
                else ""},
            "organization": {"name": org.name, "slug": org.slug,
                             "url": url(reverse("public_index")) + f"#{org.slug}"},
            "period_start": p.period_start, "period_end": p.period_end,
            "language": p.language, "license": licenses.get(org.pk) or DEFAULT_LICENSE,
            "modified": (modified.get(p.pk) or now).isoformat(timespec="seconds"),
            "page": url(reverse("public_plan", args=[org.slug, p.pk])),
            "csv": url(reverse("public_data_csv", args=[org.slug, p.pk])),
            "json": url(reverse("public_data_json", args=[org.slug, p.pk])),
            "keywords": [str(p.get_kind_display()), org.name, _("plan stratégique")],
        })
    latest = max((e["modified"] for e in entries), default=None)
    data = catalog(entries, url=request.build_absolute_uri(), home=request.build_absolute_uri(
        reverse("public_index")), title=_("Plans stratégiques publiés"),
        description=_("Les plans publiés par les organisations qui suivent leurs plans avec "
                      "Jalon, en données ouvertes."), modified=latest)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1),
                            content_type="application/ld+json; charset=utf-8")
    return _open(response)
