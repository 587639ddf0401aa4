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
    source_line = models.PositiveIntegerField(_("ligne source"), null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "position", "id"]
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self) -> str:
        return self.name[:80]
