"""Import profiles in the organization administration: list, see, rename, delete.

Like every administration page they need ``plans.change_organization``; a profile of another
organization is a 404.  Profiles are created from the import preview (views_import).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from jalon.orgadmin import profiles
from jalon.orgadmin.models import ImportProfile
from jalon.orgadmin.services import AdminError

from .forms_import import IGNORE, mapping_choices
from .org_access import organization_for

PERM = "change_organization"


class ProfileNameForm(forms.Form):
    name = forms.CharField(label=_lazy("Nom du profil"), max_length=profiles.MAX_NAME)


def _mapping_rows(profile: ImportProfile) -> list[tuple[str, str, bool]]:
    labels = dict(mapping_choices())
    return [(header, labels.get(profile.mapping.get(header, IGNORE), profile.mapping.get(header)),
             profile.mapping.get(header, IGNORE) == IGNORE)
            for header in profile.headers]


@login_required
def orgadmin_import_profiles(request, slug: str):
    org = organization_for(request.user, slug, PERM)
    rows = profiles.profiles_of(org).select_related("created_by")
    return render(request, "jalon/orgadmin_import_profiles.html", {
        "org": org, "section": "import_profiles", "profiles": rows})


@login_required
@require_http_methods(["GET", "POST"])
def orgadmin_import_profile(request, slug: str, pk: int):
    org = organization_for(request.user, slug, PERM)
    profile = get_object_or_404(ImportProfile, organization=org, pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ProfileNameForm(request.POST if action == "rename" else None,
                           initial={"name": profile.name})
    if action == "delete":
        profiles.delete_profile(profile, by=request.user)
        messages.success(request, _("Profil d'import « %(name)s » supprimé.")
                         % {"name": profile.name})
        return redirect("orgadmin_import_profiles", slug=org.slug)
    if action == "rename" and form.is_valid():
        old = profile.name
        try:
            profiles.rename_profile(profile, form.cleaned_data["name"], by=request.user)
        except AdminError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("Profil d'import « %(old)s » renommé « %(new)s ».")
                             % {"old": old, "new": profile.name})
            return redirect("orgadmin_import_profiles", slug=org.slug)
    return render(request, "jalon/orgadmin_import_profile.html", {
        "org": org, "section": "import_profiles", "profile": profile, "form": form,
        "rows": _mapping_rows(profile)}, status=400 if form.errors else 200)
