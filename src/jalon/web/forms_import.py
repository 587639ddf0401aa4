"""Forms of the plan import (upload, preview corrections) and of the measurement upload."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jalon.core.values import format_date
from jalon.ingest import IngestError, PlanDraft, parse_bytes
from jalon.ingest.mapping import EXTRA, FIELDS, normalise_header
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

    def __init__(self, *args, read_up_to: int | None = None, **kwargs):
        """``read_up_to``: a larger file is only checked for size here, and read later (by the
        task worker); ``draft`` stays None."""
        super().__init__(*args, **kwargs)
        self.read_up_to = read_up_to
        self.fields["file"].help_text = _(
            "PDF, DOCX, XLSX, ODS, CSV, texte ou JSON Jalon ; %(max)s au plus. Rien n'est "
            "enregistré avant votre confirmation.") % {"max": filesizeformat(max_bytes())}
        self.draft: PlanDraft | None = None
        self.content = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name, data = read_upload(upload)
        self.content = data
        self.filename = name
        if self.read_up_to is not None and len(data) > self.read_up_to:
            return upload
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


# labels of the contract fields a column can be mapped to (jalon.ingest.mapping.FIELDS)
FIELD_LABELS = {
    "code": _lazy("Code"), "parent": _lazy("Code du parent"), "level": _lazy("Niveau"),
    "title": _lazy("Titre"),
    "level_title": _lazy("Titres d'un niveau (une colonne par niveau)"),
    "start": _lazy("Début"), "end": _lazy("Fin"), "deadline": _lazy("Échéance"),
    "departments": _lazy("Départements"), "owners": _lazy("Responsables"),
    "team": _lazy("Équipe"), "mandataire": _lazy("Mandataire"), "partners": _lazy("Partenaires"),
    "steering": _lazy("Pilotage"), "budget_eur": _lazy("Budget (€)"), "fte": _lazy("ETP"),
    "funding": _lazy("Financement"), "progress": _lazy("Avancement (%)"),
    "status": _lazy("Statut"), "indicators": _lazy("Indicateur (nom)"),
    "indicator_target": _lazy("Cible de l'indicateur"),
    "indicator_baseline": _lazy("Valeur de départ de l'indicateur"),
    "indicator_unit": _lazy("Unité de l'indicateur"), "risks": _lazy("Risques"),
    "deliverables": _lazy("Livrables"), "comment": _lazy("Commentaire"),
    "description": _lazy("Description"), "domain": _lazy("Domaine"),
    "timing": _lazy("Calendrier"), "enablers": _lazy("Leviers"), "context": _lazy("Contexte"),
    "objective": _lazy("Objectif"), "tags": _lazy("Étiquettes"),
}
# where a column's field came from (draft.columns[…]["source"])
SOURCE_LABELS = {
    "vocabulary": _lazy("reconnue par son en-tête"),
    "content": _lazy("devinée d'après les valeurs"),
    "profile": _lazy("profil d'import"), "user": _lazy("votre choix"),
    "unknown": _lazy("non reconnue"),
}
IGNORE = ""


def mapping_choices() -> list[tuple[str, str]]:
    return [(EXTRA, _("garder comme champ libre")), (IGNORE, _("ignorer"))] + [
        (key, str(FIELD_LABELS.get(key, key))) for key in FIELDS]


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def display_value(text: str) -> str:
    """A value as the preview shows it: an ISO date (a spreadsheet's date cell) as 31/12/2026."""
    if isinstance(text, str) and ISO_DATE.match(text):
        try:
            return format_date(dt.date.fromisoformat(text))
        except ValueError:
            pass
    return text


def mapped_columns(columns: list[dict]) -> list[dict]:
    """The columns the mapping step shows: one per normalised header (the first table's), with
    the value of its select."""
    out, seen = [], set()
    for col in columns:
        key = normalise_header(col.get("header") or "")
        if not key or key in seen:
            continue
        seen.add(key)
        value = IGNORE if col.get("ignored") else (col.get("field") or EXTRA)
        out.append({**col, "key": key, "value": value, "name": f"col_{len(out)}",
                    "samples": [display_value(v) for v in col.get("samples") or []],
                    "source_label": SOURCE_LABELS.get(col.get("source", ""), "")})
    return out


class ColumnMappingForm(forms.Form):
    """One select per column of a tabular source: a contract field, «ignorer» or «garder comme
    champ libre».  ``mapping()`` is what ``parse_bytes(mapping=)`` takes."""

    def __init__(self, columns: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = mapped_columns(columns)
        choices = mapping_choices()
        for col in self.columns:
            self.fields[col["name"]] = forms.ChoiceField(
                label=col["header"], choices=choices, required=False, initial=col["value"])

    def rows(self):
        return [(col, self[col["name"]]) for col in self.columns]

    def clean(self):
        data = super().clean()
        titles = [c["header"] for c in self.columns if data.get(c["name"]) == "title"]
        if len(titles) > 1:
            raise forms.ValidationError(
                _("Une seule colonne peut donner les titres (ici : %(cols)s).")
                % {"cols": ", ".join(f"« {t} »" for t in titles)})
        return data

    def mapping(self) -> dict[str, str]:
        return {c["key"]: self.cleaned_data.get(c["name"]) or IGNORE for c in self.columns}

    def changed(self) -> list[str]:
        """One French line per column whose mapping the user changed."""
        labels = dict(mapping_choices())
        return [f"colonne « {c['header']} » : {labels.get(self.cleaned_data.get(c['name']) or '', '')}"
                for c in self.columns
                if (self.cleaned_data.get(c["name"]) or IGNORE) != c["value"]]


class ProfilePickForm(forms.Form):
    """Apply one of the organization's saved import profiles to this file."""

    profile = forms.ModelChoiceField(label=_lazy("Appliquer un profil enregistré"),
                                     queryset=None, empty_label=None)

    def __init__(self, profiles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class DraftSaveForm(forms.Form):
    replace = forms.ModelChoiceField(
        label=_lazy("Nouvelle version de"), required=False, queryset=Plan.objects.none(),
        empty_label=_lazy("— aucun : créer un nouveau plan —"),
        help_text=_lazy("Choisir un plan existant pour le mettre à jour (éléments appariés par "
                        "leur code) : le rapport des différences est montré avant d'appliquer."))

    profile = forms.CharField(
        label=_lazy("Enregistrer la correspondance des colonnes comme profil"), required=False,
        max_length=100,
        help_text=_lazy("Nom du profil d'import, proposé à nouveau pour les prochains fichiers "
                        "aux mêmes en-têtes. Laisser vide pour ne pas l'enregistrer."))

    def __init__(self, plans, *args, tabular: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replace"].queryset = plans
        if not tabular:
            del self.fields["profile"]

    def clean_profile(self):
        return " ".join(self.cleaned_data.get("profile", "").split())


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
        raise IngestError(_("pas un tableau : fournir un CSV, XLSX ou ODS avec une ligne "
                            "d'en-tête (%(columns)s, dim:…)")
                          % {"columns": ", ".join(template_header(get_language()))}, file=name)
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
        problems.append(_("colonne(s) inconnue(s) : %(names)s") % {"names": ", ".join(unknown)})
    dupes = sorted({c for c in columns if c and columns.count(c) > 1})
    if dupes:
        problems.append(_("colonne(s) en double : %(names)s") % {"names": ", ".join(dupes)})
    missing = [c for c in ("period", "value") if c not in columns]
    if "indicator_id" not in columns and not {"code", "indicator"} <= set(columns):
        missing.insert(0, _("code + indicator (ou indicator_id)"))
    if missing:
        problems.append(_("colonne(s) manquante(s) : %(names)s") % {"names": ", ".join(missing)})
    if problems:
        raise IngestError(_("en-tête incorrect, %(problems)s (attendu : %(columns)s, dim:…)")
                          % {"problems": _(" ; ").join(problems),
                             "columns": ", ".join(template_header(get_language()))},
                          file=name, line=header_line.number)
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
