"""Settings an organization administers itself: its vocabularies (tags, budget types, funding
sources), one row per organization, created on first use."""

from __future__ import annotations

from django.conf import settings
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


class ImportProfile(models.Model):
    """A column mapping saved by an organization for its spreadsheets: proposed again for the
    next file whose headers (normalised, in order) have the same ``signature``."""

    organization = models.ForeignKey("plans.Organization", on_delete=models.CASCADE,
                                     related_name="import_profiles")
    name = models.CharField(_("nom"), max_length=100)
    # sha256 of the normalised headers joined (jalon.orgadmin.profiles.signature)
    signature = models.CharField(_("signature des en-têtes"), max_length=64)
    headers = models.JSONField(_("en-têtes"), default=list, blank=True)
    # {normalised header: field, "" (ignored) or "extra" (kept as a free field)}
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profil d'import")
        verbose_name_plural = _("profils d'import")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("organization", "name"),
                                    name="import_profile_unique_name"),
        ]
        indexes = [models.Index(fields=("organization", "signature"),
                                name="import_profile_signature")]

    def __str__(self) -> str:
        return self.name
