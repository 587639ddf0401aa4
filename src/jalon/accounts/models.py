"""Who may do what: memberships of users in organizations, with a role, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Administrateur de l'organisation")
    PLAN_EDITOR = "plan_editor", _("Éditeur du plan")
    DEPT_EDITOR = "dept_editor", _("Éditeur de département")
    OWNER = "owner", _("Responsable d'action")
    READER = "reader", _("Lecteur (conseiller)")


Role.PLAN_WRITERS = [Role.ORG_ADMIN, Role.PLAN_EDITOR]  # type: ignore[attr-defined]

# the attribute of a user object holding their memberships for the request: set when the
# session's user is read (accounts.backends), read by plans.rules and Plan.objects.for_user
MEMBERSHIPS = "_jalon_memberships"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    organization = models.ForeignKey("plans.Organization", on_delete=models.CASCADE,
                                     related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role)
    departments = models.ManyToManyField("plans.Department", blank=True,
                                         related_name="editor_memberships")
    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"],
                                               name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for machines; only its sha256 is stored, with the first characters
    (``prefix``) to recognise it in lists.  Its owner creates, lists, and revokes it in the web
    interface (``/account/tokens/``); an expired or revoked token is refused by the API."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")

    def __str__(self) -> str:
        return f"{self.name} (jln_{self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, expires=None) -> tuple[ApiToken, str]:
        raw = "jln_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=hash_token(raw),
                                  prefix=raw[4:12], expires=expires), raw

    def is_valid(self, now) -> bool:
        return self.revoked is None and (self.expires is None or self.expires > now)
