"""Organization administration: people, departments, roles, level names, vocabularies.

Every page needs ``plans.change_organization`` (an org admin, or a site admin): other members
get 403, anyone who cannot see the organization 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jalon.accounts.models import Membership, Role
from jalon.orgadmin import services
from jalon.orgadmin.models import VOCABULARIES, evaluation_roles
from jalon.plans.models import Department, Person, Plan

from .forms_orgadmin import (
    DepartmentForm,
    EvaluationRolesForm,
    LevelsForm,
    MembershipDepartmentsForm,
    MembershipForm,
    PersonForm,
    VocabulariesForm,
)
from .org_access import organization_for

PERM = "change_organization"
GET_POST = require_http_methods(["GET", "POST"])


def _org(request, slug):
    return organization_for(request.user, slug, PERM)


def _render(request, template, org, section, ctx, status=200):
    return render(request, f"jalon/{template}", {"org": org, "section": section, **ctx},
                  status=status)


@login_required
def orgadmin_index(request, slug: str):
    org = _org(request, slug)
    counts = {
        "people": Person.objects.filter(organization=org).count(),
        "departments": Department.objects.filter(organization=org).count(),
        "roles": Membership.objects.filter(organization=org).count(),
        "plans": Plan.objects.filter(organization=org).count(),
        "terms": sum(len(v) for v in services.vocabularies_of(org).values()),
    }
    return _render(request, "orgadmin_index.html", org, "index", {"counts": counts})


# -- people -------------------------------------------------------------------------------
@login_required
@GET_POST
def orgadmin_people(request, slug: str):
    org = _org(request, slug)
    form = PersonForm(org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, _("Personne « %(name)s » ajoutée.") % {"name": person.name})
        return redirect("orgadmin_people", slug=org.slug)
    # one query: people with their department and account
    people = Person.objects.filter(organization=org).select_related("department", "user")
    return _render(request, "orgadmin_people.html", org, "people",
                   {"people": people, "form": form}, 400 if form.errors else 200)


@login_required
@GET_POST
def orgadmin_person(request, slug: str, pk: int):
    org = _org(request, slug)
    person = get_object_or_404(Person, organization=org, pk=pk)
    form = PersonForm(org, request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Personne « %(name)s » enregistrée.") % {"name": person.name})
        return redirect("orgadmin_people", slug=org.slug)
    return _render(request, "orgadmin_person.html", org, "people",
                   {"person": person, "form": form}, 400 if form.errors else 200)


# -- departments --------------------------------------------------------------------------
@login_required
@GET_POST
def orgadmin_departments(request, slug: str):
    org = _org(request, slug)
    form = DepartmentForm(org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        dept = form.save()
        messages.success(request, _("Département « %(name)s » ajouté.") % {"name": dept.name})
        return redirect("orgadmin_departments", slug=org.slug)
    return _render(request, "orgadmin_departments.html", org, "departments",
                   {"roots": services.department_tree(org), "form": form},
                   400 if form.errors else 200)


@login_required
@GET_POST
def orgadmin_department(request, slug: str, pk: int):
    org = _org(request, slug)
    dept = get_object_or_404(Department, organization=org, pk=pk)
    form = DepartmentForm(org, request.POST or None, instance=dept)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Département « %(name)s » enregistré.") % {"name": dept.name})
        return redirect("orgadmin_departments", slug=org.slug)
    return _render(request, "orgadmin_department.html", org, "departments",
                   {"dept": dept, "form": form}, 400 if form.errors else 200)


# -- roles --------------------------------------------------------------------------------
@login_required
@GET_POST
def orgadmin_roles(request, slug: str):
    org = _org(request, slug)
    form = MembershipForm(org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            m = services.add_membership(org, d["user"], d["role"], d["departments"],
                                        by=request.user)
        except services.AdminError as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, _("Rôle « %(role)s » donné à %(user)s.")
                             % {"role": m.get_role_display(), "user": m.user.get_username()})
            return redirect("orgadmin_roles", slug=org.slug)
    # two queries: memberships with their user, then their departments
    memberships = (Membership.objects.filter(organization=org).select_related("user")
                   .prefetch_related("departments").order_by("user__username", "role"))
    return _render(request, "orgadmin_roles.html", org, "roles",
                   {"memberships": memberships, "form": form}, 400 if form.errors else 200)


@login_required
@GET_POST
def orgadmin_role(request, slug: str, pk: int):
    org = _org(request, slug)
    m = get_object_or_404(Membership.objects.select_related("user"), organization=org, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "remove":
        try:
            services.remove_membership(m, by=request.user)
        except services.AdminError as exc:
            messages.error(request, str(exc))
            return redirect("orgadmin_role", slug=org.slug, pk=m.pk)
        messages.success(request, _("Rôle « %(role)s » retiré à %(user)s.")
                         % {"role": m.get_role_display(), "user": m.user.get_username()})
        return redirect("orgadmin_roles", slug=org.slug)
    form = None
    if m.role == Role.DEPT_EDITOR:
        form = MembershipDepartmentsForm(org, request.POST or None,
                                         initial={"departments": m.departments.all()})
        if request.method == "POST" and form.is_valid():
            services.set_membership_departments(m, form.cleaned_data["departments"],
                                                by=request.user)
            messages.success(request, _("Départements enregistrés."))
            return redirect("orgadmin_roles", slug=org.slug)
    return _render(request, "orgadmin_role.html", org, "roles", {"m": m, "form": form},
                   400 if form is not None and form.errors else 200)


# -- level names --------------------------------------------------------------------------
@login_required
def orgadmin_levels(request, slug: str):
    org = _org(request, slug)
    plans = Plan.objects.filter(organization=org).annotate(
        node_count=Count("nodes"), max_depth=Max("nodes__depth")).order_by("title")
    return _render(request, "orgadmin_levels.html", org, "levels", {"plans": plans})


@login_required
@GET_POST
def orgadmin_plan_levels(request, slug: str, pk: int):
    org = _org(request, slug)
    plan = get_object_or_404(Plan, organization=org, pk=pk)
    max_depth = plan.nodes.aggregate(d=Max("depth"))["d"]
    form = LevelsForm(plan, 0 if max_depth is None else max_depth + 1, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            renamed = services.rename_levels(plan, form.names(), by=request.user)
        except services.AdminError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Niveaux enregistrés (%(n)d élément(s) renommé(s)).")
                             % {"n": renamed})
            return redirect("orgadmin_levels", slug=org.slug)
    return _render(request, "orgadmin_plan_levels.html", org, "levels",
                   {"plan": plan, "form": form}, 400 if form.errors else 200)


# -- vocabularies -------------------------------------------------------------------------
@login_required
@GET_POST
def orgadmin_vocabularies(request, slug: str):
    org = _org(request, slug)
    current = services.vocabularies_of(org)
    form = VocabulariesForm(current, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_vocabularies(org, form.terms(), by=request.user)
        messages.success(request, _("Vocabulaires enregistrés."))
        return redirect("orgadmin_vocabularies", slug=org.slug)
    vocabularies = [(label, current.get(key, [])) for key, label in VOCABULARIES.items()]
    return _render(request, "orgadmin_vocabularies.html", org, "vocabularies",
                   {"form": form, "vocabularies": vocabularies}, 400 if form.errors else 200)


# -- evaluations --------------------------------------------------------------------------
@login_required
@GET_POST
def orgadmin_evaluations(request, slug: str):
    org = _org(request, slug)
    current = evaluation_roles(org.pk)
    form = EvaluationRolesForm(request.POST or None, initial={
        "validators": sorted(current["validate"]), "publishers": sorted(current["publish"])})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_evaluation_roles(org, validators=form.cleaned_data["validators"],
                                          publishers=form.cleaned_data["publishers"],
                                          by=request.user)
        except services.AdminError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rôles des évaluations enregistrés."))
            return redirect("orgadmin_evaluations", slug=org.slug)
    labels = dict(Role.choices)
    return _render(request, "orgadmin_evaluations.html", org, "evaluations", {
        "form": form,
        "validators": [labels[r] for r in Role.values if r in current["validate"]],
        "publishers": [labels[r] for r in Role.values if r in current["publish"]],
    }, 400 if form.errors else 200)
