"""Forms of the plan import (upload, preview corrections) and of the measurement upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jalon.ingest import IngestError, PlanDraft, parse_bytes
from jalon.plans.models import Plan
from jalon.tracking.services import MEASUREMENT_COLUMNS

from .import_edits import level_names, subtree

CODES_DATALIST = "draft-codes"  # id of the <datalist> of the preview's codes


def max_bytes() -> int:
    return int(settings.JALON_IMPORT_MAX_BYTES)


def read_upload(upload) -> tuple[str, bytes]:
    """The file's name and bytes; the size limit is checked before anything is read."""
    name = Path(upload.name or "fichier").name
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(str(IngestError(
            f"fichier trop volumineux ({filesizeformat(upload.size)}, "
            f"limite {filesizeformat(limit)})", file=name)))
    return name, upload.read()


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_lazy("Fichier du plan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, DOCX, XLSX, ODS, CSV, texte ou JSON Jalon ; %(max)s au plus. Rien n'est "
            "enregistré avant votre confirmation.") % {"max": filesizeformat(max_bytes())}
        self.draft: PlanDraft | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name, data = read_upload(upload)
        try:
            self.draft = parse_bytes(name, data, max_bytes=max_bytes())
        except IngestError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.filename = name
        return upload


class _CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(widget=forms.TextInput(attrs={"list": CODES_DATALIST,
                                                       "autocomplete": "off"}), **kwargs)


class DraftMetaForm(forms.Form):
    """Plan metadata and the names of the levels found (``level_0`` … in level_names order)."""

    title = forms.CharField(label=_lazy("Titre du plan"), max_length=300)
    kind = forms.ChoiceField(label=_lazy("Type de plan"), choices=Plan.Kind.choices)
    period_start = forms.IntegerField(label=_lazy("Début de période"), required=False,
                                      min_value=1900, max_value=2200)
    period_end = forms.IntegerField(label=_lazy("Fin de période"), required=False,
                                    min_value=1900, max_value=2200)

    def __init__(self, draft: PlanDraft, *args, **kwargs):
        kwargs.setdefault("initial", {"title": draft.title, "kind": draft.kind,
                                      "period_start": draft.period_start,
                                      "period_end": draft.period_end})
        super().__init__(*args, **kwargs)
        self.levels = level_names(draft)
        counts = draft.counts_per_level()
        for i, name in enumerate(self.levels):
            self.fields[f"level_{i}"] = forms.CharField(
                label=_("Niveau « %(name)s »") % {"name": name}, max_length=80, initial=name,
                help_text=_("%(n)d élément(s)") % {"n": counts.get(name, 0)})

    def level_fields(self):
        return [self[f"level_{i}"] for i in range(len(self.levels))]

    def other_fields(self):
        return [self[k] for k in ("title", "kind", "period_start", "period_end")]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de période précède son début."))
        return data

    def renames(self) -> list[tuple[str, str]]:
        return [(old, self.cleaned_data[f"level_{i}"]) for i, old in enumerate(self.levels)
                if self.cleaned_data.get(f"level_{i}") and self.cleaned_data[f"level_{i}"] != old]


class DraftItemForm(forms.Form):
    """Pick an item of the draft by its code (drop, or the item to move)."""

    code = _CodeField(label=_lazy("Code de l'élément"))

    def __init__(self, draft: PlanDraft, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code not in self.draft:
            raise forms.ValidationError(_("Aucun élément n'a le code « %(code)s ».")
                                        % {"code": code})
        return code


class DraftReparentForm(DraftItemForm):
    parent = _CodeField(label=_lazy("Nouveau parent (code)"), required=False,
                        help_text=_lazy("Laisser vide pour placer l'élément au premier niveau."))

    def clean(self):
        data = super().clean()
        code, parent = data.get("code"), (data.get("parent") or "").strip() or None
        if parent is not None and parent not in self.draft:
            self.add_error("parent", _("Aucun élément n'a le code « %(code)s ».")
                           % {"code": parent})
        elif code and parent is not None and parent in subtree(self.draft, code):
            self.add_error("parent", _("Un élément ne peut pas être placé sous lui-même ni "
                                       "sous un de ses descendants."))
        data["parent"] = parent
        return data


class DraftSaveForm(forms.Form):
    replace = forms.ModelChoiceField(
        label=_lazy("Nouvelle version de"), required=False, queryset=Plan.objects.none(),
        empty_label=_lazy("— aucun : créer un nouveau plan —"),
        help_text=_lazy("Choisir un plan existant pour le mettre à jour (éléments appariés par "
                        "leur code) : le rapport des différences est montré avant d'appliquer."))

    def __init__(self, plans, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replace"].queryset = plans


# -- measurements -------------------------------------------------------------------------

# the template's header in each language; an upload is read back whatever its language
TEMPLATE_HEADERS = {
    "fr": ("code", "indicateur", "période", "valeur", "commentaire", "source"),
    "nl": ("code", "indicator", "periode", "waarde", "commentaar", "bron"),
    "en": ("code", "indicator", "period", "value", "comment", "source"),
}
TEMPLATE_HEADER = TEMPLATE_HEADERS["en"]  # the column names the services use

# header as written (lower case) → column name understood by check_measurement_rows
MEASUREMENT_HEADERS = {
    **{c: c for c in MEASUREMENT_COLUMNS},
    **{h: c for headers in TEMPLATE_HEADERS.values() for h, c in zip(headers, TEMPLATE_HEADER, strict=True)},
    "indicateur_id": "indicator_id", "periode": "period",
}


def template_header(language: str | None) -> tuple[str, ...]:
    return TEMPLATE_HEADERS.get((language or "fr")[:2], TEMPLATE_HEADERS["fr"])


def measurement_rows(name: str, data: bytes) -> tuple[list[tuple[int, dict]], int]:
    """CSV/XLSX/ODS bytes → ``[(row number, {column: text})]`` and the number of blank template
    rows skipped.  Row 1 (the first non-empty row of the first sheet) is the header: ``code``,
    ``indicator``, ``period``, ``value``, ``comment``, ``source`` and ``dim:NAME`` columns (or
    ``indicator_id`` instead of code + indicator).  A wrong header is an IngestError."""
    from jalon.ingest.readers import read_bytes

    doc = read_bytes(name, data, max_bytes=max_bytes())
    lines = [ln for ln in doc.lines if ln.cells is not None]
    if doc.kind not in ("csv", "xlsx", "ods") or not lines:
        raise IngestError("pas un tableau : fournir un CSV, XLSX ou ODS avec une ligne d'en-tête "
                          "(code, indicator, period, value, comment, source, dim:…)", file=name)
    header_line = lines[0]
    lines = [ln for ln in lines[1:] if ln.page == header_line.page]
    columns: list[str] = []
    unknown: list[str] = []
    for cell in header_line.cells:
        raw = " ".join(cell.split())
        low = raw.lower()
        if low.startswith("dim:") and raw[4:].strip():
            columns.append("dim:" + raw[4:].strip())
        elif low in MEASUREMENT_HEADERS:
            columns.append(MEASUREMENT_HEADERS[low])
        else:
            columns.append("")
            if raw:
                unknown.append(raw)
    problems = []
    if unknown:
        problems.append("colonne(s) inconnue(s) : " + ", ".join(unknown))
    dupes = sorted({c for c in columns if c and columns.count(c) > 1})
    if dupes:
        problems.append("colonne(s) en double : " + ", ".join(dupes))
    missing = [c for c in ("period", "value") if c not in columns]
    if "indicator_id" not in columns and not {"code", "indicator"} <= set(columns):
        missing.insert(0, "code + indicator (ou indicator_id)")
    if missing:
        problems.append("colonne(s) manquante(s) : " + ", ".join(missing))
    if problems:
        raise IngestError("en-tête incorrect, " + " ; ".join(problems) + " (attendu : "
                          + ", ".join(TEMPLATE_HEADER) + ", dim:…)", file=name,
                          line=header_line.number)
    rows: list[tuple[int, dict]] = []
    skipped = 0
    for ln in lines:
        row = {col: (ln.cells[i].strip() if i < len(ln.cells) else "")
               for i, col in enumerate(columns) if col}
        if not row.get("period") and not row.get("value"):
            skipped += 1  # a template row left blank
            continue
        rows.append((ln.number, row))
    return rows, skipped


class MeasurementUploadForm(forms.Form):
    file = forms.FileField(label=_lazy("Fichier de mesures (CSV, XLSX ou ODS)"), required=False)
    accept_valid = forms.BooleanField(
        label=_lazy("Enregistrer les lignes valides"), required=False,
        help_text=_lazy("Si le fichier contient des lignes en erreur, enregistrer quand même les "
                        "lignes valides. Sans cette case, rien n'est enregistré tant qu'une ligne "
                        "est en erreur."))
    pending = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[int, dict]] | None = None
        self.skipped = 0
        self.filename = ""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        name, data = read_upload(upload)
        try:
            self.rows, self.skipped = measurement_rows(name, data)
        except IngestError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.filename = name
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("pending") and "file" not in self.errors:
            self.add_error("file", _("Choisissez un fichier."))
        return data
