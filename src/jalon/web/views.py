"""Home, a plan's tree, a node's sheet and the edits made from it.

Thin views: fetch through plans.access (scoped to the user), call one service, render.  The plan
dashboard, the explorer and the timeline live in their own modules.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jalon.accounts.models import Membership
from jalon.plans.access import node_for, plan_for
from jalon.plans.models import Node, Plan
from jalon.plans.services import ConflictError, plan_tree, update_node
from jalon.tracking.reminders import (
    CLOSED,
    DUE_WITHIN_DAYS,
    NO_UPDATE_DAYS,
    open_owned_nodes,
    reminders_for,
)
from jalon.tracking.services import post_update, record_spending
from jalon.tracking.state import attach_states, node_state

from .forms import INLINE_FIELDS, NodeForm, PlanForm, ProgressForm, SpendingForm, inline_form
from .fragments import cached_page
from .loading import plan_nodes, tree_display, tree_html, tree_rows
from .sheet import new_progress_form, sheet_context

HOME_LIMIT = 50  # actions per list on the home page; the explorer has them all
HOME_PLANS = 100  # plans per page on the home page


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def today() -> dt.date:
    return timezone.localdate()


def home(request):
    """The user's own organizations' plans (a page of them), actions and reminders: every query
    starts from the user (memberships, persons), so the page does not grow with the number of
    organizations on the installation."""
    user = request.user
    plans = Plan.objects.for_user(user, "view").select_related("organization")
    if user.is_authenticated and not user.is_superuser:
        plans = plans.filter(organization__in=Membership.objects.filter(user=user)
                             .values("organization_id"))
    plans = plans.order_by("organization__name", "-period_start", "title", "id")
    plan_page = Paginator(plans, HOME_PLANS).get_page(request.GET.get("plans"))
    plans = list(plan_page.object_list)
    rights: dict[int, tuple[bool, bool]] = {}
    for plan in plans:  # the organization links on each group (rules are cached per request)
        org = plan.organization
        if org.pk not in rights:
            rights[org.pk] = (request.user.has_perm("plans.add_plan", org),
                              request.user.has_perm("plans.change_organization", org))
        org.can_import, org.can_admin = rights[org.pk]
    context = {"plans": plans, "plan_page": plan_page, "due_within": DUE_WITHIN_DAYS,
               "no_update_days": NO_UPDATE_DAYS}
    if request.user.is_authenticated:
        day = today()
        mine = list(open_owned_nodes(user)
                    .filter(plan__in=Plan.objects.for_user(user, "view"))
                    .order_by("end_date", "plan_id", "code"))
        soon = day + dt.timedelta(days=DUE_WITHIN_DAYS)
        stale_before = day - dt.timedelta(days=NO_UPDATE_DAYS)
        for n in mine:
            n.state = node_state(n, day)
        mine = [n for n in mine if n.state.status not in CLOSED]
        overdue = [n for n in mine if n.state.late]
        due_soon = [n for n in mine if not n.state.late and n.end_date
                    and day <= n.end_date <= soon]
        stale = [n for n in mine if n.last_update is None or n.last_update < stale_before]
        flagged = {n.pk for n in overdue + due_soon + stale}
        others = [n for n in mine if n.pk not in flagged]
        reminders = reminders_for(request.user, day)
        context.update({"mine": mine, "reminders": reminders[:HOME_LIMIT * 2],
                        "reminder_count": len(reminders), "limit": HOME_LIMIT})
        for key, actions in (("overdue", overdue), ("due_soon", due_soon), ("stale", stale),
                             ("other_actions", others)):
            context[key], context[f"{key}_count"] = actions[:HOME_LIMIT], len(actions)
    return render(request, "jalon/home.html", context)


def plan_detail(request, pk: int):
    plan = plan_for(request.user, pk)
    can_edit = request.user.has_perm("plans.change_plan", plan)

    def build() -> dict:
        nodes = plan_nodes(plan, journal=False)
        attach_states(nodes, plan.rollup_rule, today())
        rows, tail = tree_rows(plan_tree(plan, nodes))
        tree_display(rows)
        return {"plan": plan, "tree_html": tree_html(rows, tail),
                "can_edit": can_edit, "tab": "tree"}

    return cached_page(request, plan, "tree", "jalon/plan_detail.html", build,
                       rights=(can_edit,))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = plan_for(request.user, pk, "change")
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Plan enregistré."))
        return redirect("plan_detail", pk=plan.pk)
    return render(request, "jalon/plan_edit.html", {"plan": plan, "form": form})


def node_detail(request, pk: int):
    node = node_for(request.user, pk)
    can_edit = request.user.has_perm("plans.change_node", node)
    member = node.plan.visibility.authors  # the journal's authors and the history: members
    return cached_page(request, node.plan, f"sheet:{node.pk}", "jalon/node_detail.html",
                       lambda: sheet_context(request, node, can_edit=can_edit),
                       rights=(can_edit, member))


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request, pk: int):
    node = node_for(request.user, pk, "change")
    form = NodeForm(request.POST or None, instance=node, initial={"version": node.version})
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in NodeForm.Meta.fields}
        try:
            update_node(node, changes, expected_version=form.cleaned_data["version"],
                        by=request.user)
        except ConflictError as exc:
            messages.error(request, str(exc) + " " + _("Vos valeurs sont conservées ci-dessous ; "
                                                       "vérifiez-les puis enregistrez à nouveau."))
            form.data = form.data.copy()
            form.data["version"] = exc.node.version
            return render(request, "jalon/node_edit.html",
                          {"node": exc.node, "form": form, "conflict": True}, status=409)
        messages.success(request, _("Élément enregistré."))
        return redirect("node_detail", pk=node.pk)
    return render(request, "jalon/node_edit.html", {"node": node, "form": form})


@login_required
@require_POST
def node_progress(request, pk: int):
    """The 30-second progress form: one journal entry through ``tracking.services.post_update``.

    With htmx the answer is the new journal, plus the sheet's header and a fresh form swapped
    out of band; without JavaScript, a redirect back to the sheet (or the sheet with errors).
    """
    node = node_for(request.user, pk, "change")
    form = ProgressForm(request.POST, node=node)
    if not form.is_valid():
        if is_htmx(request):
            response = render(request, "jalon/_progress_form.html",
                              {"node": node, "progress_form": form}, status=422)
            response["HX-Retarget"] = "#progress-form"
            response["HX-Reswap"] = "outerHTML"
            return response
        return render(request, "jalon/node_detail.html",
                      sheet_context(request, node, progress_form=form), status=400)
    d = form.cleaned_data
    post_update(node, by=request.user, date=d["date"] or today(), status=d["status"],
                health=d["health"], progress=d["progress"], text=d["text"].strip())
    if not is_htmx(request):
        messages.success(request, _("Mise à jour enregistrée."))
        return redirect(reverse("node_detail", args=[node.pk]) + "#journal")
    context = sheet_context(request, node)
    context["progress_form"] = new_progress_form(context["node"], context["updates"])
    context["saved"] = True
    response = render(request, "jalon/_progress_saved.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def node_spending(request, pk: int, line: int):
    """Record what was committed and spent against one of the node's budget lines."""
    node = node_for(request.user, pk, "change")
    budget_line = node.budget_lines.filter(pk=line).first()
    if budget_line is None:
        raise Http404
    form = SpendingForm(request.POST)
    if form.is_valid():
        record_spending(budget_line, committed=form.cleaned_data["committed"],
                        spent=form.cleaned_data["spent"], by=request.user)
        messages.success(request, _("Dépenses enregistrées."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("node_detail", args=[node.pk]) + "#h-budget")


@login_required
@require_http_methods(["GET", "POST"])
def node_field(request, pk: int, name: str):
    """Inline edit of one field (htmx), with the version loaded: a concurrent change is refused
    (409) and the user keeps what they typed.  Without htmx, a small page with the same form."""
    if name not in INLINE_FIELDS:
        raise Http404
    node = node_for(request.user, pk, "change")
    label = Node._meta.get_field(name).verbose_name
    context = {"node": node, "name": name, "label": label, "can_edit": True}
    template = "jalon/_field_form.html" if is_htmx(request) else "jalon/node_field.html"
    if request.method == "GET":
        if request.GET.get("display") and is_htmx(request):
            return _field_display(request, node, name, label)
        context["form"] = inline_form(name, instance=node, initial={"version": node.version})
        return _vary(render(request, template, context))
    form = inline_form(name, request.POST, instance=node)
    context["form"] = form
    if not form.is_valid():
        return _vary(render(request, template, context, status=422))
    try:
        saved = update_node(node, {name: form.cleaned_data[name]},
                            expected_version=form.cleaned_data["version"], by=request.user)
    except ConflictError as exc:
        form.data = form.data.copy()
        form.data["version"] = exc.node.version
        context.update({"conflict": True, "error": str(exc),
                        "current": getattr(exc.node, name)})
        return _vary(render(request, template, context, status=409))
    if not is_htmx(request):
        messages.success(request, _("Élément enregistré."))
        return redirect("node_detail", pk=node.pk)
    return _field_display(request, saved, name, label, saved_now=True)


def _field_display(request, node, name, label, *, saved_now=False) -> HttpResponse:
    return _vary(render(request, "jalon/_field.html", {
        "node": node, "name": name, "label": label, "value": getattr(node, name),
        "can_edit": True, "saved_now": saved_now}))


def _vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response
