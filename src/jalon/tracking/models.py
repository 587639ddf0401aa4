"""Follow-up data: indicators (with norms and targets) attached to plan nodes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Indicator(models.Model):
    class Kind(models.TextChoices):
        REALISATION = "realisation", _("Réalisation")
        RESULT = "result", _("Résultat")
        IMPACT = "impact", _("Impact")
        MONITORING = "monitoring", _("Suivi uniquement")

    class Direction(models.TextChoices):
        UP = "up", _("à la hausse")
        DOWN = "down", _("à la baisse")
        BAND = "band", _("dans une fourchette")

    class NormState(models.TextChoices):
        NONE = "", _("—")
        TO_DEFINE = "to_define", _("à définir")
        DEFINED = "defined", _("définie")
        MEASURED = "measured", _("mesurée")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("mensuelle")
        QUARTERLY = "quarterly", _("trimestrielle")
        SEMESTER = "semester", _("semestrielle")
        YEARLY = "yearly", _("annuelle")
        IRREGULAR = "irregular", _("irrégulière")

    node = models.ForeignKey("plans.Node", on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.TextField(_("nom"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.RESULT)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    direction = models.CharField(_("sens"), max_length=10, choices=Direction, default=Direction.UP)
    target_text = models.CharField(_("cible (telle qu'imprimée)"), max_length=300, blank=True)
    norm_text = models.CharField(_("norme (telle qu'imprimée)"), max_length=300, blank=True)
    norm_state = models.CharField(_("état de la norme"), max_length=20, choices=NormState,
                                  blank=True, default="")
    binding = models.BooleanField(_("contraignant"), default=True)
    frequency = models.CharField(_("fréquence"), max_length=20, choices=Frequency,
                                 default=Frequency.YEARLY)
    dimensions = models.JSONField(_("ventilations"), default=list, blank=True)
    data_source = models.CharField(_("source des données"), max_length=200, blank=True)
    owner = models.ForeignKey("plans.Person", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="indicators", verbose_name=_("responsable"))
    baseline_value = models.DecimalField(_("valeur de référence"), max_digits=16,
                                         decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("date de référence"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, null=True)
    source_line = models.PositiveIntegerField(_("ligne source"), null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # optimistic locking: bumped by tracking.services on every change of the indicator or of
    # its targets; API updates must send the version they read (409 otherwise)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "position", "id"]
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self) -> str:
        return self.name[:80]


class Target(models.Model):
    """A target value of an indicator for one period (year, quarter or month)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("période"), max_length=10)  # "2024", "2024-Q1", "2024-03"
    value = models.DecimalField(_("valeur cible"), max_digits=16, decimal_places=4, null=True,
                                blank=True)
    low = models.DecimalField(_("borne basse"), max_digits=16, decimal_places=4, null=True,
                              blank=True)  # for a band
    high = models.DecimalField(_("borne haute"), max_digits=16, decimal_places=4, null=True,
                               blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("cible")
        constraints = [models.UniqueConstraint(fields=["indicator", "period"],
                                               name="target_unique_period")]


class Measurement(models.Model):
    """One value of an indicator for a period (append-only time series).

    Unique per indicator + period + dimensions: uploading the same file twice changes nothing.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="measurements")
    period = models.CharField(_("période"), max_length=10)  # "2024", "2024-Q1", "2024-03"
    period_end = models.DateField(_("fin de période"))  # for ordering and staleness
    dimensions = models.JSONField(_("ventilation"), default=dict, blank=True)
    dimensions_key = models.CharField(max_length=300, default="", blank=True, editable=False)
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4)
    comment = models.TextField(_("commentaire"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    entered_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_end", "dimensions_key"]
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        constraints = [models.UniqueConstraint(fields=["indicator", "period", "dimensions_key"],
                                               name="measurement_unique")]
        indexes = [
            # the latest value of each indicator (status, staleness, charts)
            models.Index(fields=["indicator", "-period_end"], name="measurement_latest"),
        ]

    def save(self, *args, **kwargs):
        self.dimensions_key = dimensions_key(self.dimensions)
        super().save(*args, **kwargs)


def dimensions_key(dimensions: dict) -> str:
    return "|".join(f"{k}={dimensions[k]}" for k in sorted(dimensions or {}))


class ProgressUpdate(models.Model):
    """A dated entry of a node's journal; the latest is the node's current state."""

    class Health(models.TextChoices):
        ON_TRACK = "on_track", _("Dans les temps")
        AT_RISK = "at_risk", _("À risque")
        BLOCKED = "blocked", _("Bloqué")
        PAUSED = "paused", _("En pause")

    node = models.ForeignKey("plans.Node", on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    author = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(_("statut"), max_length=20, blank=True)
    health = models.CharField(_("santé"), max_length=10, choices=Health, blank=True)
    progress = models.DecimalField(_("avancement (%)"), max_digits=5, decimal_places=2,
                                   null=True, blank=True)
    text = models.TextField(_("commentaire"), blank=True)
    attachment = models.FileField(_("pièce jointe"), upload_to="journal/%Y/", blank=True)
    demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "-date", "-created"]
        verbose_name = _("mise à jour")
        verbose_name_plural = _("journal")
        indexes = [models.Index(fields=["node", "-date"], name="update_latest")]


class BudgetLine(models.Model):
    """Money per node and year: planned, committed, spent."""

    class Type(models.TextChoices):
        ORDINARY = "ordinaire", _("Ordinaire")
        EXTRAORDINARY = "extraordinaire", _("Extraordinaire")
        PERSONNEL = "personnel", _("Personnel")
        OPERATING = "fonctionnement", _("Fonctionnement")
        INVESTMENT = "investissement", _("Investissement")

    node = models.ForeignKey("plans.Node", on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("année"))
    planned = models.DecimalField(_("prévu"), max_digits=14, decimal_places=2, default=0)
    committed = models.DecimalField(_("engagé"), max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(_("dépensé"), max_digits=14, decimal_places=2, default=0)
    funding_source = models.CharField(_("source de financement"), max_length=200, blank=True)
    budget_type = models.CharField(_("type de budget"), max_length=20, choices=Type,
                                   default=Type.ORDINARY)
    version = models.PositiveIntegerField(default=1)  # optimistic locking, like Indicator
    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "year"]
        verbose_name = _("ligne budgétaire")
