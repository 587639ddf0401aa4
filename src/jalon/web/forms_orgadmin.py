"""Forms of the organization administration; every choice is limited to the organization."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jalon.accounts.models import Role
from jalon.orgadmin.models import VOCABULARIES
from jalon.orgadmin.services import department_descendants
from jalon.plans.models import Department, Organization, Person, Plan


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{obj.get_username()} ({full})" if full else obj.get_username()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "function", "department", "user"]
        help_texts = {"user": _lazy("Le compte de cette personne, parmi les membres de "
                                    "l'organisation (voir « Rôles »).")}

    def __init__(self, org: Organization, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.instance.organization = org
        self.fields["department"].queryset = Department.objects.filter(organization=org)
        members = get_user_model().objects.filter(memberships__organization=org).distinct()
        if self.instance.user_id:  # keep a link made before the membership was removed
            members = get_user_model().objects.filter(
                Q(pk__in=members.values("pk")) | Q(pk=self.instance.user_id))
        self.fields["user"] = _UserChoice(queryset=members.order_by("username"), required=False,
                                          label=_("compte utilisateur"),
                                          help_text=self.fields["user"].help_text)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Person.objects.filter(organization=self.org, name=name).exclude(
            pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Une personne de ce nom existe déjà."))
        return name


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "parent"]
        labels = {"parent": _lazy("département parent")}
        help_texts = {"parent": _lazy("Vide : département de premier niveau.")}

    def __init__(self, org: Organization, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.instance.organization = org
        choices = Department.objects.filter(organization=org)
        if self.instance.pk:  # not under itself nor under one of its sub-departments
            choices = choices.exclude(pk__in=department_descendants(self.instance))
        self.fields["parent"].queryset = choices

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Department.objects.filter(organization=self.org, name=name).exclude(
            pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Un département de ce nom existe déjà."))
        return name


class _DepartmentsField(forms.ModelMultipleChoiceField):
    def __init__(self, org: Organization, **kwargs):
        super().__init__(queryset=Department.objects.filter(organization=org), required=False,
                         widget=forms.CheckboxSelectMultiple, label=_("départements"),
                         help_text=_("Pour un éditeur de département : les départements dont il "
                                     "modifie les éléments."), **kwargs)


class MembershipForm(forms.Form):
    user = forms.CharField(label=_lazy("Utilisateur (identifiant ou e-mail)"), max_length=254)
    role = forms.ChoiceField(label=_lazy("Rôle"), choices=Role.choices)

    def __init__(self, org: Organization, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"] = _DepartmentsField(org)

    def clean_user(self):
        raw = self.cleaned_data["user"].strip()
        users = get_user_model().objects.filter(is_active=True)
        found = list(users.filter(username=raw)[:1]) or list(users.filter(email__iexact=raw)[:2])
        if len(found) != 1:
            raise forms.ValidationError(
                _("Aucun compte actif n'a cet identifiant ou cet e-mail.") if not found
                else _("Plusieurs comptes ont cet e-mail : utilisez l'identifiant."))
        return found[0]

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.DEPT_EDITOR and not data.get("departments"):
            self.add_error("departments", _("Choisissez au moins un département."))
        return data


class MembershipDepartmentsForm(forms.Form):
    def __init__(self, org: Organization, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"] = _DepartmentsField(org)

    def clean_departments(self):
        depts = self.cleaned_data["departments"]
        if not depts:
            raise forms.ValidationError(_("Choisissez au moins un département."))
        return depts


class LevelsForm(forms.Form):
    """One text field per depth (``level_0`` …), plus an empty one to add a level."""

    def __init__(self, plan: Plan, depth_count: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        n = max(len(plan.levels), depth_count) + 1
        for i in range(n):
            self.fields[f"level_{i}"] = forms.CharField(
                label=_("Niveau %(n)d") % {"n": i + 1}, max_length=80, required=False,
                initial=plan.levels[i] if i < len(plan.levels) else "")
        self.count = n

    def names(self) -> list[str]:
        return [self.cleaned_data.get(f"level_{i}", "") for i in range(self.count)]

    def clean(self):
        data = super().clean()
        names = [data.get(f"level_{i}", "").strip() for i in range(self.count)]
        while names and not names[-1]:
            names.pop()
        for i, name in enumerate(names):
            if not name:
                self.add_error(f"level_{i}", _("Un niveau intermédiaire ne peut pas être "
                                               "vide."))
        return data


class VocabulariesForm(forms.Form):
    def __init__(self, vocabularies: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in VOCABULARIES.items():
            self.fields[key] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 6}),
                initial="\n".join(vocabularies.get(key, [])),
                help_text=_("Un terme par ligne."))

    def terms(self) -> dict[str, list[str]]:
        return {key: self.cleaned_data.get(key, "").splitlines() for key in VOCABULARIES}


class EvaluationRolesForm(forms.Form):
    validators = forms.MultipleChoiceField(
        label=_lazy("Rôles qui valident les évaluations"), choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy("La personne qui a soumis une évaluation ne peut jamais la valider "
                        "elle-même."))
    publishers = forms.MultipleChoiceField(
        label=_lazy("Rôles qui publient les évaluations sur la page publique"),
        choices=Role.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_lazy("Valider n'est pas publier : une évaluation validée n'apparaît sur "
                        "la page publique qu'une fois publiée."))
