"""Writes of evaluations.  Each runs in one transaction, re-reads the stored row under a lock
and refuses to touch a validated evaluation (``EvaluationLocked``): corrections are a new
version.  Web views, the CLI and the admin all go through these functions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.plans.audit import attributed
from jalon.plans.models import Plan

from .models import Evaluation, EvaluationLocked, Publication
from .rules import has_role_to
from .snapshot import take_snapshot


class TransitionError(ValueError):
    """A step the evaluation's status does not allow (submit a draft twice, …)."""


class NotAllowed(TransitionError):
    """A step this person may not take (their role, or they submitted what they validate)."""


def _person(by) -> bool:
    return by is not None and getattr(by, "is_authenticated", False)


def _current(evaluation: Evaluation, by) -> Evaluation:
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if current.is_locked:
        raise EvaluationLocked()
    return attributed(current, by)


@transaction.atomic
def create_evaluation(plan: Plan, *, kind: str = Evaluation.Kind.ANNUAL,
                      as_of: dt.date | None = None, overall: str = "", by=None) -> Evaluation:
    """A draft evaluation with a snapshot of the plan at ``as_of`` (today by default)."""
    if kind not in Evaluation.Kind.values:
        raise ValueError(_("type d'évaluation inconnu : %s") % kind)
    as_of = as_of or timezone.localdate()
    evaluation = Evaluation(plan=plan, kind=kind, as_of=as_of, overall=overall,
                            snapshot=take_snapshot(plan, as_of),
                            created_by=by if getattr(by, "is_authenticated", False) else None)
    attributed(evaluation, by).save()
    return evaluation


@transaction.atomic
def retake_snapshot(evaluation: Evaluation, *, by=None) -> Evaluation:
    """Take the snapshot again (a draft only: a submitted one is what reviewers read)."""
    current = _current(evaluation, by)
    if current.status != Evaluation.Status.DRAFT:
        raise TransitionError(_("Seul un brouillon peut être actualisé."))
    current.snapshot = take_snapshot(current.plan, current.as_of)
    current.save(update_fields=["snapshot"])
    return current


@transaction.atomic
def set_assessment(evaluation: Evaluation, text: str, *, code: str | None = None,
                   by=None) -> Evaluation:
    """Set the overall assessment (``code=None``) or that of one item (empty text removes)."""
    current = _current(evaluation, by)
    text = (text or "").strip()
    if code is None:
        if current.overall == text:
            return current
        current.overall = text
        current.save(update_fields=["overall"])
        return current
    codes = {n["code"] for n in current.snapshot.get("nodes", [])}
    if code not in codes:
        raise ValueError(_("élément inconnu dans cette évaluation : %s") % code)
    assessments = dict(current.assessments)
    if text:
        assessments[code] = text
    else:
        assessments.pop(code, None)
    if assessments != current.assessments:
        current.assessments = assessments
        current.save(update_fields=["assessments"])
    return current


@transaction.atomic
def save_assessments(evaluation: Evaluation, *, overall: str | None = None,
                     items: dict[str, str] | None = None, by=None) -> Evaluation:
    """Set the overall text and several items' texts at once (what the web form sends)."""
    current = _current(evaluation, by)
    codes = {n["code"] for n in current.snapshot.get("nodes", [])}
    unknown = sorted(set(items or {}) - codes)
    if unknown:
        raise ValueError(_("élément inconnu dans cette évaluation : %s") % ", ".join(unknown))
    assessments = dict(current.assessments)
    for code, text in (items or {}).items():
        text = (text or "").strip()
        if text:
            assessments[code] = text
        else:
            assessments.pop(code, None)
    changed = []
    if overall is not None and overall.strip() != current.overall:
        current.overall = overall.strip()
        changed.append("overall")
    if assessments != current.assessments:
        current.assessments = assessments
        changed.append("assessments")
    if changed:
        current.save(update_fields=changed)
    return current


@transaction.atomic
def submit(evaluation: Evaluation, *, by=None) -> Evaluation:
    current = _current(evaluation, by)
    if current.status != Evaluation.Status.DRAFT:
        raise TransitionError(_("Seul un brouillon peut être soumis."))
    current.status = Evaluation.Status.SUBMITTED
    current.submitted_by = by if getattr(by, "is_authenticated", False) else None
    current.submitted_at = timezone.now()
    current.save(update_fields=["status", "submitted_by", "submitted_at"])
    return current


@transaction.atomic
def return_to_draft(evaluation: Evaluation, *, by=None) -> Evaluation:
    current = _current(evaluation, by)
    if current.status != Evaluation.Status.SUBMITTED:
        raise TransitionError(_("Seule une évaluation soumise peut revenir en brouillon."))
    current.status = Evaluation.Status.DRAFT
    current.save(update_fields=["status"])
    return current


@transaction.atomic
def validate(evaluation: Evaluation, *, by=None) -> Evaluation:
    """Submitted → validated, by a person other than the submitter whose role may validate
    (``OrgSettings.validator_roles``).  From then on the evaluation is locked.  Validating
    does not publish: that is ``publish``."""
    current = _current(evaluation, by)
    if current.status != Evaluation.Status.SUBMITTED:
        raise TransitionError(_("Seule une évaluation soumise peut être validée."))
    if not _person(by):
        raise NotAllowed(_("Une évaluation est validée par une personne identifiée."))
    if current.submitted_by_id == by.pk:
        raise NotAllowed(_("Vous avez soumis cette évaluation : une autre personne doit la "
                           "valider."))
    if not has_role_to(by, current, "validate"):
        raise NotAllowed(_("Votre rôle ne permet pas de valider les évaluations de cette "
                           "organisation."))
    current.status = Evaluation.Status.VALIDATED
    current.validated_by = by if getattr(by, "is_authenticated", False) else None
    current.validated_at = timezone.now()
    current.save(update_fields=["status", "validated_by", "validated_at"])
    return current


@transaction.atomic
def new_version(evaluation: Evaluation, *, by=None, retake: bool = False) -> Evaluation:
    """A draft correcting a validated evaluation: same type and date, its texts and (unless
    ``retake``) its snapshot, ``version + 1``, pointing at it through ``supersedes``."""
    old = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not old.is_locked:
        raise TransitionError(_("Seule une évaluation validée se corrige par une nouvelle "
                                "version ; celle-ci peut encore être modifiée."))
    if Evaluation.objects.filter(supersedes=old).exists():
        raise TransitionError(_("Cette version a déjà été remplacée : corrigez la dernière."))
    new = Evaluation(plan=old.plan, kind=old.kind, as_of=old.as_of, version=old.version + 1,
                     supersedes=old, overall=old.overall, assessments=dict(old.assessments),
                     snapshot=take_snapshot(old.plan, old.as_of) if retake else old.snapshot,
                     created_by=by if getattr(by, "is_authenticated", False) else None)
    attributed(new, by).save()
    return new


@transaction.atomic
def publish(evaluation: Evaluation, *, by=None) -> Evaluation:
    """Put a validated evaluation on the plan's public page (its own act, right and date;
    the validated row itself is not touched)."""
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if current.status != Evaluation.Status.VALIDATED:
        raise TransitionError(_("Seule une évaluation validée peut être publiée."))
    if Publication.objects.filter(evaluation=current).exists():
        raise TransitionError(_("Cette évaluation est déjà publiée."))
    if not _person(by) or not has_role_to(by, current, "publish"):
        raise NotAllowed(_("Votre rôle ne permet pas de publier les évaluations de cette "
                           "organisation."))
    attributed(Publication(evaluation=current, published_at=timezone.now(),
                           published_by=by), by).save()
    return current


@transaction.atomic
def withdraw(evaluation: Evaluation, *, by=None) -> Evaluation:
    """Take an evaluation off the public page (the evaluation itself stays validated)."""
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    publication = Publication.objects.filter(evaluation=current).first()
    if publication is None:
        raise TransitionError(_("Cette évaluation n'est pas publiée."))
    if not _person(by) or not has_role_to(by, current, "publish"):
        raise NotAllowed(_("Votre rôle ne permet pas de publier les évaluations de cette "
                           "organisation."))
    attributed(publication, by).delete()
    return current


def message(exc: Exception) -> str:
    """The user-facing text of a service error."""
    messages = getattr(exc, "messages", None)
    return str(messages[0]) if messages else str(exc)


def latest_validated(plan: Plan) -> Evaluation | None:
    return (Evaluation.objects.filter(plan=plan, status=Evaluation.Status.VALIDATED)
            .order_by("-as_of", "-version", "-id").first())


def published(plan: Plan):
    """The plan's evaluations on its public page, latest first."""
    return (Evaluation.objects.filter(plan=plan, status=Evaluation.Status.VALIDATED,
                                      publication__isnull=False)
            .select_related("publication").order_by("-as_of", "-version", "-id"))


def latest_published(plan: Plan) -> Evaluation | None:
    """What the public page shows: the latest published evaluation."""
    return published(plan).first()
