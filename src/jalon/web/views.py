"""Minimal pages: home, organizations, a plan's tree, a node's sheet and their edit forms.

Thin views: fetch through web.access (scoped to the user), call one service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jalon.plans.models import Plan
from jalon.plans.services import ConflictError, plan_tree, update_node

from .access import node_for, organizations_for, plan_for
from .forms import NodeForm, PlanForm
from .history import history_for


def home(request):
    orgs = organizations_for(request.user).distinct()
    plans = (Plan.objects.for_user(request.user, "view").select_related("organization")
             .filter(organization__in=orgs))
    return render(request, "jalon/home.html", {"plans": plans})


def plan_detail(request, pk: int):
    plan = plan_for(request.user, pk)
    roots = plan_tree(plan)
    can_edit = request.user.has_perm("plans.change_plan", plan)
    return render(request, "jalon/plan_detail.html",
                  {"plan": plan, "roots": roots, "can_edit": can_edit})


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
    node = (type(node).objects.filter(pk=node.pk).select_related("plan__organization", "parent")
            .prefetch_related("owners", "team", "mandataires", "departments", "money_lines",
                              "indicators", "links_out__target", "links_in__source").get())
    ancestors = []
    p = node.parent
    while p is not None:
        ancestors.insert(0, p)
        p = p.parent
    return render(request, "jalon/node_detail.html", {
        "node": node, "plan": node.plan, "ancestors": ancestors,
        "children": node.children.order_by("position", "id"),
        "can_edit": request.user.has_perm("plans.change_node", node),
        "history": history_for(node, request.user),
    })


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
