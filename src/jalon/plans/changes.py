"""A plan's revision: bumped by every write to the plan or to its follow-up.

``Plan.revision`` and ``Plan.last_modified`` let the public pages, the open data and the
catalogue answer conditional requests (ETag / Last-Modified → 304) and cache their output per
revision without scanning the journal or the measurements.  Single saves and deletes of the
plan's objects bump it through signals (the services, the admin and the loader all save);
bulk paths (``bulk_create``, raw SQL of ``tracking.services.import_measurements``) call
:func:`touch_plan` once.  One UPDATE of one row per write, inside the writer's transaction.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone


def touch_plan(plan_id: int | None = None, **lookup) -> None:
    """Bump the revision of ``plan_id`` (or of the plans matching ``lookup``)."""
    from .models import Plan

    qs = Plan.objects.filter(pk=plan_id) if plan_id is not None else Plan.objects.filter(**lookup)
    qs.update(revision=F("revision") + 1, last_modified=timezone.now())


def _plan_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= {"revision", "last_modified"}):
        return
    touch_plan(instance.pk)


def _node_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.plan_id:
        touch_plan(instance.plan_id)


def _on_node(sender, instance, raw=False, **kwargs):
    if not raw and instance.node_id:
        touch_plan(nodes=instance.node_id)


def _on_indicator(sender, instance, raw=False, **kwargs):
    if not raw and instance.indicator_id:
        touch_plan(nodes__indicators=instance.indicator_id)


def _on_link(sender, instance, raw=False, **kwargs):
    if not raw and instance.source_id:
        touch_plan(nodes=instance.source_id)


def _on_plan_child(sender, instance, raw=False, **kwargs):
    if not raw and instance.plan_id:
        touch_plan(instance.plan_id)


def _on_publication(sender, instance, raw=False, **kwargs):
    """Publishing or withdrawing an evaluation changes the public page."""
    if not raw:
        touch_plan(evaluations__pk=instance.evaluation_id)


def _on_organization(sender, instance, raw=False, **kwargs):
    if raw:
        return
    org_id = instance.pk if sender.__name__ == "Organization" else instance.organization_id
    if org_id:
        touch_plan(organization_id=org_id)


def _on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_") and getattr(instance, "plan_id", None):
        touch_plan(instance.plan_id)


def connect() -> None:
    from jalon.tracking.models import BudgetLine, Indicator, Measurement, ProgressUpdate, Target

    from .models import MoneyLine, Node, NodeLink, Plan

    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="touch_plan")
    for model, handler in ((Node, _node_changed), (MoneyLine, _on_node),
                           (Indicator, _on_node), (ProgressUpdate, _on_node),
                           (BudgetLine, _on_node), (Target, _on_indicator),
                           (Measurement, _on_indicator), (NodeLink, _on_link)):
        post_save.connect(handler, sender=model, dispatch_uid=f"touch_plan_{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"touch_plan_d_{model.__name__}")
    from jalon.reports.models import Evaluation, Publication, ReportSettings

    from .models import Amendment, Department, Organization, Person

    for model in (Evaluation, Amendment):  # the public page shows evaluations and amendments
        post_save.connect(_on_plan_child, sender=model, dispatch_uid=f"touch_{model.__name__}")
        post_delete.connect(_on_plan_child, sender=model,
                            dispatch_uid=f"touch_d_{model.__name__}")
    post_save.connect(_on_publication, sender=Publication, dispatch_uid="touch_Publication")
    post_delete.connect(_on_publication, sender=Publication, dispatch_uid="touch_d_Publication")
    for model in (Organization, ReportSettings, Person, Department):  # names, licence
        post_save.connect(_on_organization, sender=model, dispatch_uid=f"touch_{model.__name__}")
    for model in (Person, Department):  # a deleted name leaves the nodes (links cascade)
        post_delete.connect(_on_organization, sender=model,
                            dispatch_uid=f"touch_d_{model.__name__}")
    for field in ("owners", "team", "mandataires", "departments"):
        m2m_changed.connect(_on_m2m, sender=getattr(Node, field).through,
                            dispatch_uid=f"touch_plan_m2m_{field}")
