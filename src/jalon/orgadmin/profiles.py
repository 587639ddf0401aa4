"""Import profiles: a column mapping an organization saved for its spreadsheets, proposed again
for the next file with the same headers (docs/importing.md, «Import profiles»).

A profile's ``mapping`` is ``{normalised header: field}`` as ``jalon.ingest.parse_bytes(...,
mapping=)`` takes it: a contract field, ``""`` (the column is ignored) or ``"extra"`` (kept on
each item as a free field).  Its ``signature`` is the hash of the file's normalised headers in
order, so it applies to any file with the same headers whatever their case, accents or units.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jalon.ingest.mapping import EXTRA, normalise_header
from jalon.plans.audit import attributed
from jalon.plans.models import Organization

from .models import ImportProfile
from .services import AdminError

MAX_NAME = 100


def headers_of(columns: Iterable[dict[str, Any]]) -> list[str]:
    """The normalised headers of a draft's ``columns``, in order, each once."""
    out: list[str] = []
    for col in columns:
        key = normalise_header(col.get("header") or "")
        if key and key not in out:
            out.append(key)
    return out


def signature(headers: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(headers).encode("utf-8")).hexdigest()


def mapping_of(columns: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The mapping a draft's ``columns`` show (the first table's column wins for a header seen
    in several tables)."""
    out: dict[str, str] = {}
    for col in columns:
        key = normalise_header(col.get("header") or "")
        if key and key not in out:
            out[key] = "" if col.get("ignored") else (col.get("field") or EXTRA)
    return out


def profiles_of(org: Organization):
    return ImportProfile.objects.filter(organization=org).order_by("name")


def profile_for(org: Organization, columns: Iterable[dict[str, Any]]) -> ImportProfile | None:
    """The organization's profile for these headers (the latest saved when several match)."""
    headers = headers_of(columns)
    if not headers:
        return None
    return (ImportProfile.objects.filter(organization=org, signature=signature(headers))
            .order_by("-updated_at", "-pk").first())


def clean_name(name: str) -> str:
    name = " ".join(str(name).split())[:MAX_NAME]
    if not name:
        raise AdminError(_("Le nom du profil est vide."))
    return name


@transaction.atomic
def save_profile(org: Organization, name: str, columns: Sequence[dict[str, Any]], *,
                 by=None) -> tuple[ImportProfile, bool]:
    """Create the profile ``name`` (or replace its mapping) from a draft's ``columns``;
    returns (profile, created)."""
    name = clean_name(name)
    headers = headers_of(columns)
    if not headers:
        raise AdminError(_("Ce fichier n'a pas de colonnes à enregistrer dans un profil."))
    profile = (ImportProfile.objects.select_for_update()
               .filter(organization=org, name=name).first())
    created = profile is None
    if created:
        profile = ImportProfile(organization=org, name=name,
                                created_by=by if getattr(by, "is_authenticated", False)
                                else None)
    profile.headers, profile.signature = headers, signature(headers)
    profile.mapping = mapping_of(columns)
    attributed(profile, by).save()
    return profile, created


def rename_profile(profile: ImportProfile, name: str, *, by=None) -> ImportProfile:
    name = clean_name(name)
    if name == profile.name:
        return profile
    if ImportProfile.objects.filter(organization_id=profile.organization_id,
                                    name=name).exclude(pk=profile.pk).exists():
        raise AdminError(_("Un profil s'appelle déjà « %(name)s ».") % {"name": name})
    profile.name = name
    try:
        with transaction.atomic():
            attributed(profile, by).save(update_fields=["name", "updated_at"])
    except IntegrityError:  # renamed concurrently to the same name
        raise AdminError(_("Un profil s'appelle déjà « %(name)s ».") % {"name": name}) from None
    return profile


def delete_profile(profile: ImportProfile, *, by=None) -> None:
    attributed(profile, by).delete()
