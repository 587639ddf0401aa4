"""Import a plan with a preview: upload → parse → preview and correct → save (or re-import).

Nothing is written to the database before «Enregistrer»; the parsed draft waits in a file of
this session (``upload_store``).  Saving is one transaction (``load_draft``); a new version of
an existing plan goes through the re-import dry-run report first (``reimport``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jalon.ingest import PlanDraft
from jalon.plans.access import plan_for
from jalon.plans.loader import DraftTooLarge, load_draft
from jalon.plans.models import Plan
from jalon.plans.reimport import reimport

from . import import_edits, upload_store
from .forms_import import (
    CODES_DATALIST,
    DraftItemForm,
    DraftMetaForm,
    DraftReparentForm,
    DraftSaveForm,
    PlanImportForm,
)
from .org_access import organization_for

KIND = "plan"


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request, slug: str):
    org = organization_for(request.user, slug, "add_plan")
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = import_edits.tree_order(form.draft).to_dict()  # parents before children
        token = upload_store.create(request, {
            "kind": KIND, "user": request.user.pk, "org": org.pk, "filename": form.filename,
            "draft": data, "original": data, "edits": []})
        return redirect("plan_import_preview", slug=org.slug, token=token)
    return render(request, "jalon/import_upload.html", {"org": org, "form": form},
                  status=400 if form.errors else 200)


def _pending(request, slug: str, token: str):
    org = organization_for(request.user, slug, "add_plan")
    payload = upload_store.read(request, token, KIND)
    if payload.get("org") != org.pk:
        raise Http404
    return org, payload, PlanDraft.from_dict(payload["draft"])


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
    org, payload, draft = _pending(request, slug, token)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = {action: request.POST} if action else {}
    item = request.GET.get("item", "")
    meta = DraftMetaForm(draft, bound.get("meta"))
    drop = DraftItemForm(draft, bound.get("drop"), prefix="drop", initial={"code": item})
    move = DraftReparentForm(draft, bound.get("move"), prefix="move", initial={"code": item})
    save = DraftSaveForm(_writable_plans(request.user, org), bound.get("save"))
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
        if target is not None:
            return redirect("plan_import_reimport", slug=org.slug, token=token, pk=target.pk)
        try:
            plan = load_draft(draft, organization=org)
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
    }, status=400 if action else 200)


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


def _rows(draft: PlanDraft) -> list[dict]:
    """One row per item of the preview table, in tree order."""
    out = []
    for i, n in enumerate(draft.nodes):
        f = n.fields
        out.append({
            "anchor": f"item-{i}", "code": n.code, "title": n.title, "level": n.level,
            "depth": n.depth, "indent": "· " * n.depth, "line": n.line,
            "printed": f.get("code_as_printed", ""), "derived": n.derived_code,
            "owners": _text(f.get("owners")), "departments": _text(f.get("departments")),
            "when": _text(f.get("deadline") or f.get("end") or f.get("timing")),
            "budget": _text(f.get("budget_eur")), "progress": _text(f.get("progress")),
            "indicators": len(f.get("indicators") or []),
        })
    return out


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_reimport(request, slug: str, token: str, pk: int):
    """A new version of an existing plan: the dry-run report, then «Appliquer»."""
    org, payload, draft = _pending(request, slug, token)
    plan = plan_for(request.user, pk, "change")
    if plan.organization_id != org.pk:
        raise Http404
    if request.method == "POST":
        report = reimport(plan, draft)
        upload_store.discard(request, token)
        messages.success(request, _("Nouvelle version appliquée : %(summary)s")
                         % {"summary": report.summary().splitlines()[0]})
        return redirect("plan_detail", pk=plan.pk)
    report = reimport(plan, draft, dry_run=True)
    return render(request, "jalon/import_reimport.html", {
        "org": org, "token": token, "plan": plan, "report": report,
        "changed": sorted(report.changed.items()), "filename": payload.get("filename", ""),
    })
