from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SECTION_LABELS, SECTIONS, Evaluation
from .snapshot import children_map, walk


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Evaluation.Kind.choices)
    as_of = forms.DateField(label=_("Situation au"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            help_text=_("La date de la situation décrite (jj/mm/aaaa)."))


class ReportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("pdf", "PDF"), ("docx", "DOCX (Word)"), ("xlsx", "XLSX (Excel)"),
        ("ods", "ODS (LibreOffice)")], initial="pdf", required=False)
    sections = forms.MultipleChoiceField(
        label=_("Sections"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(s, SECTION_LABELS[s]) for s in SECTIONS], initial=list(SECTIONS))

    def clean_format(self) -> str:
        return self.cleaned_data.get("format") or "pdf"


class AssessmentForm(forms.Form):
    overall = forms.CharField(label=_("Appréciation générale"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, evaluation: Evaluation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes: dict[str, str] = {}
        snap = evaluation.snapshot
        for n in walk(snap, children_map(snap)):
            name = f"a-{n['id']}"
            self.codes[name] = n["code"]
            self.fields[name] = forms.CharField(
                label=f"{n['code']} {n['title'][:120]}", required=False,
                initial=evaluation.assessments.get(n["code"], ""),
                widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["overall"].initial = evaluation.overall

    def items(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(name, "") for name, code in self.codes.items()}

    def node_fields(self):
        return [self[name] for name in self.codes]


def assessment_fields(evaluation: Evaluation, data=None) -> AssessmentForm:
    return AssessmentForm(evaluation, data)
