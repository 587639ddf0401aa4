"""Evaluation pages and document downloads (members of the plan's organization only).

Thin views: fetch through the access helpers, call one service, render.  Every council
document (PDF, DOCX, XLSX, ODS) is produced by the worker (``views_jobs``: a progress page, then
the file); ``report_download`` is the one-link form of the same request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jalon.core.values import format_money
from jalon.plans.access import plan_for

from . import services
from .compare import compare, is_empty
from .document import build_document, iso_date, pct
from .forms import EvaluationForm, ReportForm, assessment_fields
from .models import Evaluation, EvaluationLocked
from .renderers import FORMATS
from .renderers.charts import progress_bars
from .rules import may
from .snapshot import take_snapshot


def evaluation_for(user, pk: int, action: str = "view") -> Evaluation:
    """The evaluation for this user: 404 when its plan is hidden or they are not a member."""
    evaluation = (Evaluation.objects.select_related("plan__organization", "publication")
                  .filter(pk=pk).first())
    if evaluation is None or not user.has_perm("reports.view_evaluation", evaluation):
        raise Http404
    if action != "view" and not may(user, action, evaluation):
        raise PermissionDenied
    return evaluation


def _report_plan(user, pk: int):
    plan = plan_for(user, pk)
    if not user.has_perm("reports.view_report", plan):
        raise Http404
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_list(request, pk: int):
    plan = _report_plan(request.user, pk)
    can_add = request.user.has_perm("reports.add_evaluation", plan)
    form = EvaluationForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            evaluation = services.create_evaluation(plan, kind=form.cleaned_data["kind"],
                                                    as_of=form.cleaned_data["as_of"],
                                                    by=request.user)
            messages.success(request, _("Évaluation créée avec un instantané du plan."))
            return redirect("evaluation_detail", pk=evaluation.pk)
    evaluations = (Evaluation.objects.filter(plan=plan)
                   .select_related("validated_by", "publication").defer("snapshot"))
    return render(request, "reports/evaluation_list.html", {
        "plan": plan, "evaluations": evaluations, "form": form, "can_add": can_add,
        "report_form": ReportForm(), "formats": FORMATS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_detail(request, pk: int):
    evaluation = evaluation_for(request.user, pk)
    can_change = may(request.user, "change", evaluation)
    form = assessment_fields(evaluation, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_assessments(evaluation, overall=form.cleaned_data["overall"],
                                          items=form.items(), by=request.user)
            except (EvaluationLocked, ValueError) as exc:
                messages.error(request, services.message(exc))
            else:
                messages.success(request, _("Appréciations enregistrées."))
            return redirect("evaluation_detail", pk=evaluation.pk)
    doc = build_document(evaluation.snapshot, evaluation=evaluation)
    objectives = [{**o, "chart": progress_bars(o["bars"], title=_("Avancement de %s") % o["code"],
                                               uid=f"obj{i}"),
                   "bar_rows": [(c, t, pct(v)) for c, t, v in o["bars"]]}
                  for i, o in enumerate(doc.objectives)]
    diff, against = _comparison(request, evaluation)
    others = (Evaluation.objects.filter(plan=evaluation.plan).exclude(pk=evaluation.pk)
              .defer("snapshot"))
    superseded_by = Evaluation.objects.filter(supersedes=evaluation).defer("snapshot").first()
    user = request.user
    return render(request, "reports/evaluation_detail.html", {
        "evaluation": evaluation, "plan": evaluation.plan, "doc": doc, "form": form,
        "objectives": objectives,
        "can_change": can_change,
        "can_submit": may(user, "submit", evaluation)
        and evaluation.status == Evaluation.Status.DRAFT,
        "can_validate": may(user, "validate", evaluation)
        and evaluation.status == Evaluation.Status.SUBMITTED,
        "own_submission": evaluation.status == Evaluation.Status.SUBMITTED
        and evaluation.submitted_by_id == user.pk,
        "can_publish": may(user, "publish", evaluation),
        "can_withdraw": may(user, "withdraw", evaluation),
        "can_correct": may(user, "correct", evaluation) and superseded_by is None,
        "superseded_by": superseded_by,
        "diff": diff, "against": against, "others": others, "report_form": ReportForm(),
        "formats": FORMATS,
    })


def _comparison(request, evaluation: Evaluation):
    """``?against=today`` or ``?against=<id>``: the diff, earlier snapshot first."""
    against = request.GET.get("against", "")
    if not against:
        return None, None
    if against == "today":
        other_snap, label = take_snapshot(evaluation.plan), _("aujourd'hui")
    else:
        try:
            other = evaluation_for(request.user, int(against))
        except ValueError:
            raise Http404 from None
        if other.plan_id != evaluation.plan_id:
            raise Http404
        other_snap, label = other.snapshot, str(other)
    a, b = evaluation.snapshot, other_snap
    if b.get("as_of", "") < a.get("as_of", ""):
        a, b = b, a
    diff = compare(a, b)
    diff["empty"] = is_empty(diff)
    diff["dates"] = [iso_date(d) for d in diff["totals"]["as_of"]]
    for row in diff["progress"]:
        row["text"] = f"{pct(row['before'])} → {pct(row['after'])}"
    labels = {"planned": _("prévu"), "committed": _("engagé"), "spent": _("dépensé")}
    for row in diff["budget"]:
        row["field_label"] = labels[row["field"]]
        row["before_text"], row["after_text"] = (format_money(row["before"]),
                                                 format_money(row["after"]))
        row["delta_text"] = format_money(row["delta"])
    return diff, label


TRANSITIONS = {
    "submit": ("submit", services.submit, _("Évaluation soumise pour validation.")),
    "reopen": ("submit", services.return_to_draft, _("Évaluation remise en brouillon.")),
    "validate": ("validate", services.validate,
                 _("Évaluation validée : elle est désormais verrouillée.")),
    "publish": ("publish", services.publish,
                _("Évaluation publiée sur la page publique du plan.")),
    "withdraw": ("withdraw", services.withdraw, _("Évaluation retirée de la page publique.")),
    "refresh": ("change", services.retake_snapshot, _("Instantané actualisé.")),
    "correct": ("correct", services.new_version,
                _("Nouvelle version créée : corrigez-la puis soumettez-la.")),
}


@login_required
@require_POST
def evaluation_transition(request, pk: int, action: str):
    if action not in TRANSITIONS:
        raise Http404
    perm, service, done = TRANSITIONS[action]
    evaluation = evaluation_for(request.user, pk, perm)
    try:
        result = service(evaluation, by=request.user)
    except (EvaluationLocked, services.TransitionError) as exc:
        messages.error(request, services.message(exc))
        return redirect("evaluation_detail", pk=evaluation.pk)
    messages.success(request, str(done))
    return redirect("evaluation_detail", pk=result.pk)


# -- documents -------------------------------------------------------------------------------

def _target(request, kind: str, pk: int):
    if kind == "evaluation":
        return evaluation_for(request.user, pk)
    return _report_plan(request.user, pk)


def _report_params(request):
    form = ReportForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return None, form
    return form.cleaned_data, form


@login_required
def report_download(request, kind: str, pk: int, fmt: str):
    """One link per format (the reports pages and scripts use it): the document is produced by
    the worker like every council document; the answer is its progress page, or the file
    itself when it is ready at once (already produced today for the same plan version)."""
    from .jobs import ReportJob, request_report

    obj = _target(request, kind, pk)
    if fmt not in FORMATS:
        raise Http404
    params, form = _report_params(request)
    if params is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    job = request_report(obj, fmt, sections=params["sections"] or None, by=request.user)
    if job.status == ReportJob.Status.DONE:
        return redirect("report_job_file", pk=job.pk)
    return redirect("report_job", pk=job.pk)
