"""Import a plan with a preview: upload → parse → preview and correct → save (or re-import).

Nothing is written to the database before «Enregistrer»; the parsed draft waits in a file of
this session (``upload_store``).  Saving is one transaction (``load_draft``); a new version of
an existing plan goes through the re-import dry-run report first (``reimport``).

A file above ``JALON_IMPORT_BACKGROUND_BYTES`` is read by the task worker (``import_jobs``):
the upload answers at once with a progress page that polls the reading, then shows the preview
(or the one-line error).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jalon.core.values import format_money
from jalon.ingest import IngestError, PlanDraft, parse_bytes
from jalon.orgadmin import profiles
from jalon.orgadmin.services import AdminError
from jalon.plans.access import plan_for
from jalon.plans.loader import DraftTooLarge, load_draft
from jalon.plans.models import Plan
from jalon.plans.reimport import reimport

from . import import_edits, import_jobs, upload_store
from .forms_import import (
    CODES_DATALIST,
    ColumnMappingForm,
    DraftItemForm,
    DraftMetaForm,
    DraftReparentForm,
    DraftSaveForm,
    PlanImportForm,
    ProfilePickForm,
    display_value,
    max_bytes,
)
from .org_access import organization_for

KIND = "plan"


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request, slug: str):
    org = organization_for(request.user, slug, "add_plan")
    form = PlanImportForm(request.POST or None, request.FILES or None,
                          read_up_to=import_jobs.background_bytes())
    if request.method == "POST" and form.is_valid():
        base = {"kind": KIND, "user": request.user.pk, "org": org.pk, "filename": form.filename}
        if form.draft is None:  # a large file: the worker reads it, the page follows
            from .tasks import parse_import

            token = upload_store.create(request, {
                **base, "status": import_jobs.QUEUED, "done": 0, "total": import_jobs.STEPS,
                "language": translation.get_language() or "", "queued_at": time.time()})
            upload_store.write_bytes(request, token, form.content)
            parse_import.enqueue(token)  # (the immediate backend has read it already)
            return redirect("plan_import_wait", slug=org.slug, token=token)
        fields, keep, warning = import_jobs.prepare(org, form.filename, form.content, form.draft)
        if warning:
            messages.warning(request, warning)
        token = upload_store.create(request, {**base, **fields})
        if keep:  # kept to read it again with another column mapping
            upload_store.write_bytes(request, token, form.content)
        return redirect("plan_import_preview", slug=org.slug, token=token)
    return render(request, "jalon/import_upload.html", {"org": org, "form": form},
                  status=400 if form.errors else 200)


def _upload(request, slug: str, token: str):
    org = organization_for(request.user, slug, "add_plan")
    payload = upload_store.read(request, token, KIND)
    if payload.get("org") != org.pk:
        raise Http404
    return org, payload


def _ready(payload: dict) -> bool:
    return payload.get("status", import_jobs.READY) == import_jobs.READY


def _to_preview(request, token: str, payload: dict) -> None:
    warning = payload.pop("warning", "")
    if warning:
        messages.warning(request, warning)
        upload_store.write(request, token, payload)


def _render_wait(request, org, token: str, payload: dict, template: str):
    response = render(request, template, {
        "org": org, "token": token, "upload": payload, "percent": import_jobs.percent(payload),
        "filename": payload.get("filename", ""), "stalled": import_jobs.stalled(payload)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def plan_import_wait(request, slug: str, token: str):
    """The reading of a large file: its progress, then the preview (or the error)."""
    org, payload = _upload(request, slug, token)
    if _ready(payload):
        _to_preview(request, token, payload)
        return redirect("plan_import_preview", slug=org.slug, token=token)
    return _render_wait(request, org, token, payload, "jalon/import_wait.html")


@login_required
@require_GET
def plan_import_wait_progress(request, slug: str, token: str):
    """The progress fragment, polled by htmx; once the preview is ready htmx is told to go
    there (``HX-Redirect``), a plain request is redirected."""
    org, payload = _upload(request, slug, token)
    if _ready(payload):
        _to_preview(request, token, payload)
        url = reverse("plan_import_preview", args=[org.slug, token])
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    return _render_wait(request, org, token, payload, "jalon/_import_progress.html")


def _pending(request, slug: str, token: str):
    org, payload = _upload(request, slug, token)
    if not _ready(payload):  # still being read by the worker (or failed): its page says so
        raise _NotReady(redirect("plan_import_wait", slug=org.slug, token=token))
    return org, payload, PlanDraft.from_dict(payload["draft"])


class _NotReady(Exception):
    def __init__(self, response):
        self.response = response


def _store(request, token: str, payload: dict, draft: PlanDraft, edits: list[str]) -> None:
    payload["draft"] = draft.to_dict()
    payload["edits"] = payload.get("edits", []) + edits
    upload_store.write(request, token, payload)
    for line in edits:
        messages.success(request, line[:1].upper() + line[1:] + ".")


def _writable_plans(user, org):
    return Plan.objects.for_user(user, "change").filter(organization=org).order_by("title")


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_preview(request, slug: str, token: str):
    try:
        org, payload, draft = _pending(request, slug, token)
    except _NotReady as wait:
        return wait.response
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = {action: request.POST} if action else {}
    item = request.GET.get("item", "")
    meta = DraftMetaForm(draft, bound.get("meta"))
    drop = DraftItemForm(draft, bound.get("drop"), prefix="drop", initial={"code": item})
    move = DraftReparentForm(draft, bound.get("move"), prefix="move", initial={"code": item})
    save = DraftSaveForm(_writable_plans(request.user, org), bound.get("save"),
                         tabular=bool(draft.columns),
                         initial={"profile": payload.get("profile", "")})
    columns = ColumnMappingForm(draft.columns, bound.get("columns"), prefix="map")
    pick = ProfilePickForm(profiles.profiles_of(org), bound.get("pick"), prefix="pick")
    again = redirect("plan_import_preview", slug=org.slug, token=token)

    if action == "cancel":
        upload_store.discard(request, token)
        messages.info(request, _("Import annulé : rien n'a été enregistré."))
        return redirect("plan_import", slug=org.slug)
    if action == "reset":
        payload["draft"], payload["edits"] = payload["original"], []
        upload_store.write(request, token, payload)
        messages.info(request, _("Corrections annulées : retour au fichier tel que lu."))
        return again
    if action == "meta" and meta.is_valid():
        d = meta.cleaned_data
        draft.title, draft.kind = d["title"], d["kind"]
        draft.period_start, draft.period_end = d["period_start"], d["period_end"]
        edits = [e for old, new in meta.renames()
                 if (e := import_edits.rename_level(draft, old, new))]
        _store(request, token, payload, draft, edits)
        if not edits:
            messages.success(request, _("Métadonnées enregistrées dans l'aperçu."))
        return again
    if action == "columns" and draft.columns and columns.is_valid():
        if _remap(request, token, payload, columns, columns.mapping()):
            return again
    if action == "pick" and draft.columns and pick.is_valid():
        profile = pick.cleaned_data["profile"]
        if _remap(request, token, payload, pick, profile.mapping, profile.name):
            return again
    if action == "drop" and drop.is_valid():
        _store(request, token, payload, draft,
               [import_edits.drop(draft, drop.cleaned_data["code"])])
        return again
    if action == "move" and move.is_valid():
        _store(request, token, payload, draft, [import_edits.reparent(
            draft, move.cleaned_data["code"], move.cleaned_data["parent"])])
        return again
    if action == "save" and save.is_valid():
        target = save.cleaned_data["replace"]
        profile_name = save.cleaned_data.get("profile", "")
        if target is not None:
            payload["save_profile"] = profile_name
            upload_store.write(request, token, payload)
            return redirect("plan_import_reimport", slug=org.slug, token=token, pk=target.pk)
        try:
            with transaction.atomic():
                plan = load_draft(draft, organization=org)
                _save_profile(request, org, profile_name, draft, payload)
        except DraftTooLarge as exc:  # nothing was written
            messages.error(request, _("Import refusé : %(reason)s") % {"reason": exc})
            return again
        upload_store.discard(request, token)
        messages.success(request, _("Plan « %(title)s » enregistré : %(n)d élément(s).")
                         % {"title": plan.title, "n": len(draft.nodes)})
        return redirect("plan_detail", pk=plan.pk)

    return render(request, "jalon/import_preview.html", {
        "org": org, "token": token, "filename": payload.get("filename", ""), "draft": draft,
        "rows": _rows(draft), "counts": sorted(draft.counts_per_level().items(),
                                               key=lambda kv: _level_rank(draft, kv[0])),
        "warnings": _warnings(draft),
        "edits": payload.get("edits", []), "meta": meta, "drop": drop, "move": move,
        "save": save, "datalist": CODES_DATALIST, "kind_label": _kind_label(draft.kind),
        "columns": columns,
        "pick": pick if draft.columns and profiles.profiles_of(org).exists() else None,
        "profile": payload.get("profile", ""),
        "profile_changed": payload.get("profile_changed", False),
        "extra_headers": _extra_headers(draft),
    }, status=400 if action else 200)


def _remap(request, token: str, payload: dict, form, mapping: dict[str, str],
           profile: str | None = None) -> bool:
    """Read the file again with the user's column mapping (or a saved ``profile``'s); the
    corrections made so far are dropped (they were made on the former reading).  False (with a
    form error) when the file cannot be read with this mapping."""
    data = upload_store.read_bytes(request, token)
    if data is None:
        form.add_error(None, _("Le fichier n'est plus disponible : importez-le à nouveau."))
        return False
    try:
        draft = parse_bytes(payload.get("filename", "") or "fichier", data, max_bytes=max_bytes(),
                            mapping=mapping,
                            mapping_source="profile" if profile else "user")
    except IngestError as exc:
        form.add_error(None, str(exc))
        return False
    payload["draft"] = payload["original"] = import_edits.tree_order(draft).to_dict()
    if profile:
        payload["edits"], payload["profile"], payload["profile_changed"] = [], profile, False
    else:
        changes = form.changed()
        payload["edits"] = changes
        payload["profile_changed"] = bool(payload.get("profile")) and (
            payload.get("profile_changed", False) or bool(changes))
    upload_store.write(request, token, payload)
    messages.success(request, _("Aperçu mis à jour avec la correspondance des colonnes."))
    return True


def _save_profile(request, org, name: str, draft: PlanDraft, payload: dict) -> None:
    """Save the mapping as the profile ``name``; the profile that was applied, unchanged, is
    left as it is."""
    if not name or not draft.columns:
        return
    if name == payload.get("profile") and not payload.get("profile_changed"):
        return
    try:
        profile, created = profiles.save_profile(org, name, draft.columns, by=request.user)
    except AdminError as exc:  # nothing to save (no header): the plan is saved all the same
        messages.warning(request, str(exc))
        return
    messages.success(request, (_("Profil d'import « %(name)s » enregistré.") if created else
                               _("Profil d'import « %(name)s » mis à jour."))
                     % {"name": profile.name})


def _extra_headers(draft: PlanDraft) -> list[str]:
    """Headers of the free fields the items carry, in order of appearance."""
    out: list[str] = []
    for n in draft.nodes:
        for k in (n.fields.get("extra") or {}):
            if k not in out:
                out.append(k)
    return out


def _warnings(draft: PlanDraft) -> list[dict]:
    """Warnings by line, each with the anchor of its item's row when the item is still there."""
    anchors = {n.code: f"item-{i}" for i, n in enumerate(draft.nodes)}
    return [{"line": w.line, "message": w.message, "code": w.code,
             "anchor": anchors.get(w.code or "")}
            for w in sorted(draft.warnings, key=lambda w: (w.line is None, w.line or 0))]


def _level_rank(draft: PlanDraft, name: str) -> int:
    names = import_edits.level_names(draft)
    return names.index(name) if name in names else len(names)


def _kind_label(kind: str) -> str:
    return str(dict(Plan.Kind.choices).get(kind, kind))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _money(value) -> str:
    """Amounts as 1.234,56 € (a list of amounts joined); printed text left as it is."""
    values = value if isinstance(value, list | tuple) else [value]
    return ", ".join(format_money(v) if isinstance(v, int | float) else _text(v)
                     for v in values if v is not None)


def _rows(draft: PlanDraft) -> list[dict]:
    """One row per item of the preview table, in tree order."""
    out, extra = [], _extra_headers(draft)
    for i, n in enumerate(draft.nodes):
        f = n.fields
        out.append({
            "anchor": f"item-{i}", "code": n.code, "title": n.title, "level": n.level,
            "depth": n.depth, "indent": "· " * n.depth, "line": n.line,
            "printed": f.get("code_as_printed", ""), "derived": n.derived_code,
            "owners": _text(f.get("owners")), "departments": _text(f.get("departments")),
            "when": display_value(_text(f.get("deadline") or f.get("end") or f.get("timing"))),
            "budget": _money(f.get("budget_eur")), "progress": _text(f.get("progress")),
            "indicators": len(f.get("indicators") or []),
            "extra": [_text((f.get("extra") or {}).get(h)) for h in extra],
        })
    return out


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_reimport(request, slug: str, token: str, pk: int):
    """A new version of an existing plan: the dry-run report, then «Appliquer»."""
    try:
        org, payload, draft = _pending(request, slug, token)
    except _NotReady as wait:
        return wait.response
    plan = plan_for(request.user, pk, "change")
    if plan.organization_id != org.pk:
        raise Http404
    if request.method == "POST":
        with transaction.atomic():
            report = reimport(plan, draft)
            _save_profile(request, org, payload.get("save_profile", ""), draft, payload)
        upload_store.discard(request, token)
        messages.success(request, _("Nouvelle version appliquée : %(summary)s")
                         % {"summary": report.summary().splitlines()[0]})
        return redirect("plan_detail", pk=plan.pk)
    report = reimport(plan, draft, dry_run=True)
    return render(request, "jalon/import_reimport.html", {
        "org": org, "token": token, "plan": plan, "report": report,
        "changed": sorted(report.changed.items()), "filename": payload.get("filename", ""),
    })
