"""Evaluations (snapshots of a plan at a date, locked once validated) and the report look of
an organization.

A validated evaluation is a record presented to the council: nothing may change it.  The lock
holds at every level an application can reach:

- ``Evaluation.save()`` / ``delete()`` refuse when the *stored* row is validated;
- ``Evaluation.objects....update()`` / ``.delete()`` refuse when they would touch one;
- deleting the plan (or its organization), or a user named on it, is refused while it is
  validated;
- a database trigger (migration 0002) refuses an UPDATE of a validated row (and a DELETE on
  PostgreSQL), for raw SQL and anything else that bypasses the ORM.

Corrections are a new version (``services.new_version``) that points at the validated one
through ``supersedes``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models.deletion import CASCADE, SET_NULL, ProtectedError
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SECTIONS = ("cover", "summary", "actions", "indicators", "budget", "annex")
SECTION_LABELS = {
    "cover": _("Couverture"),
    "summary": _("Synthèse par objectif"),
    "actions": _("Tableau des actions"),
    "indicators": _("Indicateurs"),
    "budget": _("Budget"),
    "annex": _("Annexe : fiches actions"),
}


class EvaluationLocked(ValidationError):
    """A validated evaluation was about to change."""

    def __init__(self, message=None):
        super().__init__(message or _("Cette évaluation est validée : elle ne peut plus être "
                                      "modifiée. Créez une nouvelle version pour la corriger."),
                         code="locked")


def protect_validated(collector, field, sub_objs, using):
    """``on_delete`` for the plan: cascade, unless one of the evaluations is validated."""
    locked = [e for e in sub_objs if e.status == Evaluation.Status.VALIDATED]
    if locked:
        raise ProtectedError(
            str(_("Ce plan a des évaluations validées : il ne peut pas être supprimé.")),
            set(locked))
    CASCADE(collector, field, sub_objs, using)



def set_null_unless_validated(collector, field, sub_objs, using):
    """``on_delete`` for the people on an evaluation: forget them, unless it is validated (then
    the user cannot be deleted: deactivate the account instead)."""
    locked = [e for e in sub_objs if e.status == Evaluation.Status.VALIDATED]
    if locked:
        raise ProtectedError(
            str(_("Cet utilisateur figure sur une évaluation validée : désactivez le compte "
                  "plutôt que de le supprimer.")), set(locked))
    SET_NULL(collector, field, sub_objs, using)


class EvaluationQuerySet(models.QuerySet):
    def _refuse_if_locked(self) -> None:
        if self.filter(status=Evaluation.Status.VALIDATED).exists():
            raise EvaluationLocked()

    def update(self, **kwargs):
        self._refuse_if_locked()
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        # checked before bulk_update opens its transaction (it has no savepoint)
        self.model.objects.filter(pk__in=[o.pk for o in objs])._refuse_if_locked()
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        self._refuse_if_locked()
        return super().delete()

    delete.queryset_only = True


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Évaluation annuelle")
        MID_TERM = "mid_term", _("Évaluation à mi-parcours")
        FINAL = "final", _("Évaluation finale")
        AD_HOC = "ad_hoc", _("Évaluation ponctuelle")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise")
        VALIDATED = "validated", _("Validée")

    plan = models.ForeignKey("plans.Plan", on_delete=protect_validated,
                             related_name="evaluations", verbose_name=_("plan"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.ANNUAL)
    as_of = models.DateField(_("situation au"))
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by",
                                      verbose_name=_("remplace"))
    overall = models.TextField(_("appréciation générale"), blank=True)
    assessments = models.JSONField(_("appréciations par élément"), default=dict, blank=True)
    snapshot = models.JSONField(_("instantané"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=set_null_unless_validated, related_name="+",
                                   verbose_name=_("créée par"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=set_null_unless_validated, related_name="+",
                                     verbose_name=_("soumise par"))
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=set_null_unless_validated, related_name="+",
                                     verbose_name=_("validée par"))
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-version", "-id"]
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        indexes = [
            # the latest validated evaluation of a plan (public page, open data)
            models.Index(fields=["plan", "status", "-as_of"], name="evaluation_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.as_of:%d/%m/%Y} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def public_since(self):
        """When it was put on the public page (``None``: not published)."""
        try:
            return self.publication.published_at
        except Publication.DoesNotExist:
            return None

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return (type(self).objects.filter(pk=self.pk).values_list("status", flat=True)
                .first())

    def save(self, *args, **kwargs):
        if self._stored_status() == self.Status.VALIDATED:
            raise EvaluationLocked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() == self.Status.VALIDATED:
            raise EvaluationLocked()
        return super().delete(*args, **kwargs)


class Publication(models.Model):
    """A validated evaluation put on the plan's public page: an act of its own, with its own
    right (``reports.publish_evaluation``), author and date.  It is kept apart from the
    evaluation so that the validated row stays untouched (it is locked, migration 0002)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE,
                                      related_name="publication",
                                      verbose_name=_("évaluation"))
    published_at = models.DateTimeField(_("publiée le"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("publiée par"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication d'évaluation")
        verbose_name_plural = _("publications d'évaluations")

    def __str__(self) -> str:
        return f"{self.evaluation} — {self.published_at:%d/%m/%Y}"


_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Une couleur au format #RRGGBB."))


class ReportSettings(models.Model):
    """How an organization's documents look: logo, colour, footer, sections by default."""

    organization = models.OneToOneField("plans.Organization", on_delete=models.CASCADE,
                                        related_name="report_settings",
                                        verbose_name=_("organisation"))
    logo = models.FileField(_("logo (PNG ou JPEG)"), upload_to="reports/logos/", blank=True,
                            validators=[FileExtensionValidator(["png", "jpg", "jpeg"])])
    primary_color = models.CharField(_("couleur principale"), max_length=7, default="#0b4f8a",
                                     validators=[_colour])
    footer = models.CharField(_("pied de page"), max_length=200, blank=True)
    sections = models.JSONField(_("sections par défaut"), default=list, blank=True)
    sheet_per_page = models.BooleanField(_("une fiche action par page"), default=False,
                                         help_text=_("Comme les fiches des plans imprimés ; "
                                                     "un long document compte alors deux fois "
                                                     "plus de pages."))
    license_url = models.URLField(_("licence des données ouvertes"), blank=True,
                                  default="https://creativecommons.org/licenses/by/4.0/")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mise en page des rapports")
        verbose_name_plural = _("mises en page des rapports")

    def __str__(self) -> str:
        return str(self.organization)

    def clean(self) -> None:
        unknown = [s for s in self.sections or [] if s not in SECTIONS]
        if unknown:
            raise ValidationError({"sections": _("Sections inconnues : %s") % ", ".join(unknown)})


from .jobs import ReportJob  # noqa: E402,F401  (documents produced in the background)
