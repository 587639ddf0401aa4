"""Shared fixtures: two organizations, a plan in each, and one user per role."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The world fixture creates a user per role: hash their passwords cheaply in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def french_by_default(monkeypatch):
    """Every test starts in French: `jalon import` speaks the environment's language (LANG),
    whatever the machine's locale, and a language a request activated (LocaleMiddleware) does
    not leak into the next test's importer messages. A test sets LANG or sends
    Accept-Language itself to see another language."""
    from django.utils import translation

    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks (reports, digests) run inside the call that enqueues them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db):
    """Org A (with plan A, nodes under two departments) and org B (plan B); users by role."""
    from django.contrib.auth.models import User

    from jalon.accounts.models import Membership, Role
    from jalon.plans.models import Department, Node, Organization, Person, Plan

    class W:
        pass

    w = W()
    w.org = Organization.objects.create(name="CPAS de Amay", slug="amay")
    w.other_org = Organization.objects.create(name="CPAS de Bree", slug="bree")
    w.social = Department.objects.create(organization=w.org, name="Service social")
    w.rh = Department.objects.create(organization=w.org, name="RH")
    w.plan = Plan.objects.create(organization=w.org, title="PST Amay", period_start=2019,
                                 period_end=2024, levels=["Objectif", "Action"])
    w.other_plan = Plan.objects.create(organization=w.other_org, title="PST Bree")
    w.root = Node.objects.create(plan=w.plan, code="1", title="Servir la population")
    w.action = Node.objects.create(plan=w.plan, parent=w.root, depth=1, code="1.1",
                                   title="Rénover l'accueil")
    w.action.departments.add(w.social)
    w.hr_action = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=1,
                                      code="1.2", title="Former le personnel")
    w.hr_action.departments.add(w.rh)
    w.other_node = Node.objects.create(plan=w.other_plan, code="1", title="Autre")

    def user(name, role=None, org=None, **kw):
        u = User.objects.create_user(name, password="pw-" + name, **kw)
        if role:
            m = Membership.objects.create(user=u, organization=org or w.org, role=role)
            if role == Role.DEPT_EDITOR:
                m.departments.add(w.social)
        return u

    w.site_admin = user("root", is_superuser=True, is_staff=True)
    w.org_admin = user("orgadmin", Role.ORG_ADMIN)
    w.editor = user("editor", Role.PLAN_EDITOR)
    w.dept_editor = user("depted", Role.DEPT_EDITOR)
    w.owner = user("owner", Role.OWNER)
    w.reader = user("reader", Role.READER)
    w.outsider = user("outsider", Role.PLAN_EDITOR, org=w.other_org)
    person = Person.objects.create(organization=w.org, name="Owen Owner", user=w.owner)
    w.hr_action.owners.add(person)
    return w
