"""Evaluations: a plan's list, one evaluation, and the workflow's steps (submit, validate,
publish, withdraw), through the same rules (``reports.rules.may``) and services
(``reports.services``) as the web pages: the submitter never validates, validating does not
publish.  Members of the plan's organization only (the public reads published evaluations on
the public page and in the open data)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from jalon.plans.access import plan_for
from jalon.reports import services
from jalon.reports.models import Evaluation, EvaluationLocked
from jalon.reports.rules import may

from .schemas import ErrorOut

router = Router(tags=["évaluations"])


class EvaluationOut(Schema):
    id: int
    plan_id: int
    kind: str
    as_of: dt.date
    version: int
    status: str
    submitted_by: str | None
    submitted_at: dt.datetime | None
    validated_by: str | None
    validated_at: dt.datetime | None
    published_at: dt.datetime | None
    overall: str


def _out(e: Evaluation) -> dict:
    return {"id": e.pk, "plan_id": e.plan_id, "kind": e.kind, "as_of": e.as_of,
            "version": e.version, "status": e.status,
            "submitted_by": e.submitted_by.get_username() if e.submitted_by else None,
            "submitted_at": e.submitted_at,
            "validated_by": e.validated_by.get_username() if e.validated_by else None,
            "validated_at": e.validated_at, "published_at": e.public_since,
            "overall": e.overall}


def _queryset():
    return (Evaluation.objects.select_related("plan__organization", "publication",
                                              "submitted_by", "validated_by")
            .defer("snapshot"))


def _evaluation(user, pk: int, action: str = "view") -> Evaluation:
    e = _queryset().filter(pk=pk).first()
    if e is None or not user.has_perm("reports.view_evaluation", e):
        raise HttpError(404, _("Évaluation introuvable."))
    if action != "view" and not may(user, action, e):
        raise HttpError(403, _("Vous ne pouvez pas faire cette étape sur cette évaluation."))
    return e


@router.get("/plans/{plan_id}/evaluations",
            response={200: list[EvaluationOut], 404: ErrorOut})
def evaluation_list(request, plan_id: int):
    plan = plan_for(request.auth, plan_id)
    if not request.auth.has_perm("reports.view_evaluation", plan):
        raise HttpError(404, _("Plan introuvable."))
    return [_out(e) for e in _queryset().filter(plan=plan)]


@router.get("/evaluations/{evaluation_id}", response={200: EvaluationOut, 404: ErrorOut})
def evaluation_detail(request, evaluation_id: int):
    return _out(_evaluation(request.auth, evaluation_id))


STEPS = {"submit": ("submit", services.submit), "validate": ("validate", services.validate),
         "publish": ("publish", services.publish), "withdraw": ("withdraw", services.withdraw)}


@router.post("/evaluations/{evaluation_id}/{step}",
             response={200: EvaluationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def evaluation_step(request, evaluation_id: int, step: str):
    """One step of the workflow: ``submit``, ``validate``, ``publish`` or ``withdraw``."""
    if step not in STEPS:
        raise HttpError(404, _("Étape inconnue : %s") % step)
    perm, service = STEPS[step]
    e = _evaluation(request.auth, evaluation_id, perm)
    try:
        service(e, by=request.auth)
    except services.NotAllowed as exc:
        raise HttpError(403, services.message(exc)) from exc
    except (EvaluationLocked, services.TransitionError) as exc:
        raise HttpError(409, services.message(exc)) from exc
    return _out(_queryset().get(pk=e.pk))
