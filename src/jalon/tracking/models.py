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
        ordering = ["node_id", "position", "id"]  # node_id: no join
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
        ordering = ["indicator_id", "period"]
        verbose_name = _("cible")
        constraints = [models.UniqueConstraint(fields=["indicator", "period"],
                                               name="target_unique_period")]


class Missing(models.TextChoices):
    NONE = "", _("—")
    NOT_AVAILABLE = "not_available", _("non disponible")
    NOT_COMMUNICATED = "not_communicated", _("non communiqué")


class MeasurementBatch(models.Model):
    """The audit record of one bulk write of measurements (a file upload or an API call):
    who, when, which file, the counts; the rows it changed, with their former values, are its
    :class:`MeasurementChange` rows (``batch.replaced``)."""

    class Channel(models.TextChoices):
        UPLOAD = "upload", _("fichier téléversé")
        API = "api", _("API")
        OTHER = "other", _("autre")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE,
                             related_name="measurement_batches")
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL,
                             verbose_name=_("utilisateur"))
    channel = models.CharField(_("canal"), max_length=10, choices=Channel,
                               default=Channel.OTHER)
    filename = models.CharField(_("fichier"), max_length=255, blank=True)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    errors = models.PositiveIntegerField(_("lignes en erreur"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lot de mesures")
        verbose_name_plural = _("lots de mesures")

    def __str__(self) -> str:
        return f"{self.filename or self.get_channel_display()} ({self.at:%d/%m/%Y %H:%M})"


class Measurement(models.Model):
    """One value of an indicator for a period (append-only time series).

    Unique per indicator + period + dimensions: uploading the same file twice changes nothing.
    A value may be missing (``value`` None) when the source said so («n.d.», «nc»), with the
    reason in ``missing``.
    """

    # no index of its own: the unique (indicator, period, dimensions) and the latest-value
    # index both start with it, and every bulk write would maintain a third copy
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="measurements", db_index=False)
    period = models.CharField(_("période"), max_length=10)  # "2024", "2024-Q1", "2024-03"
    period_end = models.DateField(_("fin de période"))  # for ordering and staleness
    dimensions = models.JSONField(_("ventilation"), default=dict, blank=True)
    dimensions_key = models.CharField(max_length=300, default="", blank=True, editable=False)
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4, null=True,
                                blank=True)  # None: missing, with its reason in ``missing``
    missing = models.CharField(_("valeur manquante"), max_length=20, choices=Missing,
                               blank=True, default="")
    comment = models.TextField(_("commentaire"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    entered_at = models.DateTimeField(auto_now_add=True)
    # no database constraint: the batch is created in the same transaction as its rows, and
    # a per-row foreign-key check would cost as much as the row itself in bulk writes
    batch = models.ForeignKey("MeasurementBatch", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="measurements",
                              verbose_name=_("lot"), db_constraint=False)  # the bulk write that created it
    # single writes (web form, API) keep a history row each; bulk writes are audited once per
    # batch (MeasurementBatch.changes), see tracking.services.import_measurements
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_id", "period_end", "dimensions_key"]
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


class MeasurementChange(models.Model):
    """One value a bulk write replaced: the former value and the new one (the audit of a
    :class:`MeasurementBatch`, row by row, written by the database itself in the same
    statement pass as the update).  No database foreign keys, like ``Measurement.batch``:
    both rows are written in the same transaction, and a per-row check would cost as much as
    the row; deletions cascade through Django."""

    batch = models.ForeignKey(MeasurementBatch, on_delete=models.CASCADE,
                              related_name="replaced", verbose_name=_("lot"),
                              db_constraint=False)
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE,
                                    related_name="changes", verbose_name=_("mesure"),
                                    db_constraint=False)
    old_value = models.DecimalField(_("ancienne valeur"), max_digits=16, decimal_places=4,
                                    null=True, blank=True)
    old_missing = models.CharField(max_length=20, choices=Missing, blank=True, default="")
    old_comment = models.TextField(blank=True)
    old_source = models.CharField(max_length=200, blank=True)
    new_value = models.DecimalField(_("nouvelle valeur"), max_digits=16, decimal_places=4,
                                    null=True, blank=True)
    new_missing = models.CharField(max_length=20, choices=Missing, blank=True, default="")

    class Meta:
        ordering = ["measurement_id", "batch_id"]
        verbose_name = _("valeur remplacée")
        verbose_name_plural = _("valeurs remplacées")


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
        ordering = ["node_id", "-date", "-created"]
        verbose_name = _("mise à jour")
        verbose_name_plural = _("journal")
        indexes = [models.Index(fields=["node", "-date"], name="update_latest")]


class BudgetLine(models.Model):
    """Money per node and year: planned, committed, spent.  Lines made from the plan's own
    amounts (``money_line``) carry the planned figure; spending is recorded against them."""

    class Type(models.TextChoices):
        ORDINARY = "ordinaire", _("Ordinaire")
        EXTRAORDINARY = "extraordinaire", _("Extraordinaire")
        PERSONNEL = "personnel", _("Personnel")
        OPERATING = "fonctionnement", _("Fonctionnement")
        INVESTMENT = "investissement", _("Investissement")

    node = models.ForeignKey("plans.Node", on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)  # None: not given
    # the amount of the plan this line was made from (tracking.services.budget_from_plan)
    money_line = models.OneToOneField("plans.MoneyLine", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="budget_line",
                                      verbose_name=_("montant du plan"))
    planned = models.DecimalField(_("prévu"), max_digits=14, decimal_places=2, default=0)
    committed = models.DecimalField(_("engagé"), max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(_("dépensé"), max_digits=14, decimal_places=2, default=0)
    funding_source = models.CharField(_("source de financement"), max_length=200, blank=True)
    budget_type = models.CharField(_("type de budget"), max_length=20, choices=Type,
                                   default=Type.ORDINARY)
    version = models.PositiveIntegerField(default=1)  # optimistic locking, like Indicator
    history = HistoricalRecords()

    class Meta:
        ordering = ["node_id", "year"]
        verbose_name = _("ligne budgétaire")
        indexes = [models.Index(fields=["node", "year"], name="budget_node_year")]


class DigestRun(models.Model):
    """The e-mail digests of one day went out (``tracking.digests``): recorded before sending
    so that a second run that day sends nothing.  No history: it is itself the record."""

    day = models.DateField(_("jour"), unique=True)
    started_at = models.DateTimeField(_("commencé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    sent = models.PositiveIntegerField(_("récapitulatifs envoyés"), default=0)

    class Meta:
        verbose_name = _("envoi des récapitulatifs")
        verbose_name_plural = _("envois des récapitulatifs")
