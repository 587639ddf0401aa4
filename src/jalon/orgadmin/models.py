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


def default_evaluation_roles() -> list[str]:
    """Who validates and who publishes evaluations unless the organization says otherwise."""
    return ["org_admin"]


class OrgSettings(models.Model):
    organization = models.OneToOneField("plans.Organization", on_delete=models.CASCADE,
                                        related_name="admin_settings")
    # {"tags": ["Climat", …], "budget_types": ["ordinaire", …], "funding_sources": […]}
    vocabularies = models.JSONField(_("vocabulaires"), default=dict, blank=True)
    # roles (accounts.Role values) that may validate / publish the plan's evaluations
    validator_roles = models.JSONField(_("rôles qui valident les évaluations"),
                                       default=default_evaluation_roles, blank=True)
    publisher_roles = models.JSONField(_("rôles qui publient les évaluations"),
                                       default=default_evaluation_roles, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paramètres de l'organisation")
        verbose_name_plural = _("paramètres des organisations")

    def __str__(self) -> str:
        return str(self.organization)

    def terms(self, key: str) -> list[str]:
        return list(self.vocabularies.get(key, []))


def evaluation_roles(org_id: int | None) -> dict[str, set[str]]:
    """``{"validate": {...}, "publish": {...}}``: the roles of an organization that may validate
    and publish its evaluations (one query; the defaults when nothing is set)."""
    row = (OrgSettings.objects.filter(organization_id=org_id)
           .values("validator_roles", "publisher_roles").first())
    if row is None:
        return {"validate": set(default_evaluation_roles()),
                "publish": set(default_evaluation_roles())}
    return {"validate": set(row["validator_roles"] or []),
            "publish": set(row["publisher_roles"] or [])}
