"""Settings an organization administers itself: its vocabularies (tags, budget types, funding
sources), one row per organization, created on first use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jalon.accounts.models import Role

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


class Invitation(models.Model):
    """An organization administrator's invitation to take a role, sent by e-mail.

    The e-mailed link carries ``token`` signed with a timestamp (``orgadmin.services``); only the
    hash of the token is stored.  The invitee signs in (or creates an account) and accepts: the
    role is then given to *their* account.  Nothing here reveals whether an account with this
    e-mail exists."""

    organization = models.ForeignKey("plans.Organization", on_delete=models.CASCADE,
                                     related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role)
    departments = models.ManyToManyField("plans.Department", blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(_("expire le"))
    accepted = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    cancelled = models.DateTimeField(_("annulée le"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    def is_open(self, now) -> bool:
        return self.accepted is None and self.cancelled is None and self.expires > now


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
