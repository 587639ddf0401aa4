from django import forms
from django.utils.translation import gettext_lazy as _

from jalon.plans.models import Node, Plan
from jalon.tracking.models import ProgressUpdate


class NodeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Node
        fields = ["title", "description", "status", "progress", "start_text", "end_text",
                  "deadline_text", "funding", "comment"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2}),
                   "description": forms.Textarea(attrs={"rows": 4}),
                   "comment": forms.Textarea(attrs={"rows": 3})}


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "kind", "status", "period_start", "period_end", "adopted_by",
                  "adopted_on", "rollup_rule", "published"]
        widgets = {"adopted_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"published": _("Visible sans compte sur la page publique.")}


# -- follow-up and filters --------------------------------------------------------------------

class ProgressForm(forms.Form):
    """The 30-second progress update: status, health, progress and a few words."""

    status = forms.ChoiceField(label=_("Statut"), choices=Node.Status.choices)
    health = forms.ChoiceField(label=_("Santé"), required=False,
                               choices=[("", "—"), *ProgressUpdate.Health.choices])
    progress = forms.DecimalField(label=_("Avancement (%)"), required=False, min_value=0,
                                  max_value=100, decimal_places=2,
                                  widget=forms.NumberInput(attrs={"step": "1"}))
    text = forms.CharField(label=_("Ce qui a avancé, ce qui bloque"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("Date"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text=_("Aujourd'hui si vide."))

    def __init__(self, *args, node: Node | None = None, **kwargs):
        self.node = node
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("id", f"progress-{name}")

    def clean_date(self):
        from jalon.tracking.services import FutureDate, check_journal_date

        try:
            check_journal_date(self.cleaned_data.get("date"))
        except FutureDate as exc:
            raise forms.ValidationError(str(exc)) from exc
        return self.cleaned_data.get("date")

    def clean(self):
        data = super().clean()
        if self.node is not None and not self.errors and (
                data.get("status") == self.node.status and not data.get("health")
                and data.get("progress") is None and not (data.get("text") or "").strip()):
            raise forms.ValidationError(_("Rien à enregistrer : changez le statut, la santé ou "
                                          "l'avancement, ou écrivez un commentaire."))
        return data


INLINE_FIELDS = ("title", "description", "start_text", "end_text", "deadline_text", "funding",
                 "comment")


def inline_form(name: str, *args, **kwargs) -> forms.ModelForm:
    """A form for one field of a node plus the version it was loaded at."""

    class InlineFieldForm(forms.ModelForm):
        version = forms.IntegerField(widget=forms.HiddenInput)

        class Meta:
            model = Node
            fields = [name]
            widgets = {k: v for k, v in NodeForm.Meta.widgets.items() if k == name}

    form = InlineFieldForm(*args, **kwargs)
    form.fields[name].widget.attrs.update({"id": f"inline-{name}", "autofocus": True})
    return form


class DepartmentFilter(forms.Form):
    department = forms.TypedChoiceField(label=_("Département"), required=False, coerce=int,
                                        empty_value=None)

    def __init__(self, data, *, departments):
        super().__init__(data)
        self.fields["department"].choices = [("", _("Tous")),
                                             *[(d.pk, d.name) for d in departments]]

    def value(self) -> int | None:
        return self.cleaned_data.get("department") if self.is_valid() else None


class ExplorerForm(forms.Form):
    """Filters of the tree explorer; every choice list comes from the plan itself."""

    q = forms.CharField(label=_("Rechercher"), required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "aria-describedby": "q-help"}))
    level = forms.ChoiceField(label=_("Niveau"), required=False)
    department = forms.TypedChoiceField(label=_("Département"), required=False, coerce=int,
                                        empty_value=None)
    owner = forms.TypedChoiceField(label=_("Responsable"), required=False, coerce=int,
                                   empty_value=None)
    mandataire = forms.TypedChoiceField(label=_("Mandataire"), required=False, coerce=int,
                                        empty_value=None)
    status = forms.ChoiceField(label=_("Statut"), required=False,
                               choices=[("", _("Tous")), *Node.Status.choices])
    health = forms.ChoiceField(label=_("Santé"), required=False,
                               choices=[("", _("Toutes")), *ProgressUpdate.Health.choices,
                                        ("risk", _("À risque ou bloqué")),
                                        ("none", _("Non renseignée"))])
    late = forms.BooleanField(label=_("En retard seulement"), required=False)
    due_from = forms.DateField(label=_("Échéance à partir du"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    due_to = forms.DateField(label=_("Échéance jusqu'au"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    tag = forms.ChoiceField(label=_("Étiquette"), required=False)
    sdg = forms.TypedChoiceField(label=_("ODD"), required=False, coerce=int, empty_value=None)
    volet = forms.ChoiceField(label=_("Volet"), required=False,
                              choices=[("", _("Tous")), ("interne", _("interne")),
                                       ("externe", _("externe"))])

    def __init__(self, data, *, levels, departments, people, tags, sdgs):
        super().__init__(data)
        every = [("", _("Tous"))]
        self.fields["level"].choices = every + [(x, x) for x in levels]
        self.fields["department"].choices = every + [(d.pk, d.name) for d in departments]
        self.fields["owner"].choices = every + [(p.pk, p.name) for p in people]
        self.fields["mandataire"].choices = every + [(p.pk, p.name) for p in people]
        self.fields["tag"].choices = [("", _("Toutes"))] + [(t, t) for t in tags]
        self.fields["sdg"].choices = every + [(s, _("ODD %(n)s") % {"n": s}) for s in sdgs]
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("id", f"filter-{name}")

    def filters(self) -> dict:
        """The valid filters, empty ones dropped (an invalid value is ignored, not an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "", False)}


class TimelineFilter(DepartmentFilter):
    level = forms.ChoiceField(label=_("Niveau"), required=False)

    def __init__(self, data, *, departments, levels):
        super().__init__(data, departments=departments)
        self.fields["level"].choices = [("", _("Tous")), *[(x, x) for x in levels]]

    def wanted_level(self) -> str:
        return self.cleaned_data.get("level", "") if self.is_valid() else ""


def _amount(value: str):
    """«1.234,56», «1234.56», «1 234 €» → Decimal; empty → None."""
    from decimal import Decimal

    from jalon.core.values import parse_number

    text = (value or "").replace("€", "").strip()
    if not text:
        return None
    number = parse_number(text)
    if number is None or number < 0 or number >= 1e12:
        raise forms.ValidationError(_("Montant non reconnu : « %(v)s ».") % {"v": value[:40]})
    return Decimal(str(number)).quantize(Decimal("0.01"))


class SpendingForm(forms.Form):
    """What was committed and spent against one budget line (Belgian amounts accepted)."""

    committed = forms.CharField(label=_("Engagé (€)"), required=False, max_length=40)
    spent = forms.CharField(label=_("Dépensé (€)"), required=False, max_length=40)

    def clean_committed(self):
        return _amount(self.cleaned_data.get("committed", ""))

    def clean_spent(self):
        return _amount(self.cleaned_data.get("spent", ""))
