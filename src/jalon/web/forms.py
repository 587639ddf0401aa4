from django import forms
from django.utils.translation import gettext_lazy as _

from jalon.plans.models import Node, Plan


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
