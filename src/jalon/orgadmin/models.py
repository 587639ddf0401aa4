"""Settings an organization administers itself: its vocabularies (tags, budget types, funding
sources), one row per organization, created on first use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# vocabulary key → label; the keys are those of ``OrgSettings.vocabularies``
VOCABULARIES: dict[str, str] = {
    "tags": _("Étiquettes"),
    "budget_types": _("Types de budget"),
    "funding_sources": _("Sources de financement"),
}


class OrgSettings(models.Model):
    organization = models.OneToOneField("plans.Organization", on_delete=models.CASCADE,
                                        related_name="admin_settings")
    # {"tags": ["Climat", …], "budget_types": ["ordinaire", …], "funding_sources": […]}
    vocabularies = models.JSONField(_("vocabulaires"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paramètres de l'organisation")
        verbose_name_plural = _("paramètres des organisations")

    def __str__(self) -> str:
        return str(self.organization)

    def terms(self, key: str) -> list[str]:
        return list(self.vocabularies.get(key, []))
