"""Upload measurements from a CSV/XLSX file, and download the template to fill in.

Every row error is shown at once with its row number; nothing is written while one row is in
error unless the user ticks «Enregistrer les lignes valides» and submits again (the checked
rows wait in this session's upload store, so the file need not be chosen a second time).
"""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from jalon.core.cells import safe_text
from jalon.plans.access import plan_for
from jalon.tracking.models import Indicator
from jalon.tracking.services import BulkRejected, import_measurements

from . import upload_store
from .forms_import import MeasurementUploadForm, template_header

KIND = "measurements"


@login_required
@require_http_methods(["GET", "POST"])
def measurement_upload(request, pk: int):
    plan = plan_for(request.user, pk, "change")
    form = MeasurementUploadForm(request.POST or None, request.FILES or None)
    ctx = {"plan": plan, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "jalon/measurements_upload.html", ctx,
                      status=400 if form.errors else 200)
    token = form.cleaned_data["pending"]
    if form.rows is not None:  # a (new) file: it replaces any pending one
        if token:
            upload_store.discard(request, token)
        token, rows, skipped, filename = "", form.rows, form.skipped, form.filename
    else:
        payload = upload_store.read(request, token, KIND)
        if payload.get("plan") != plan.pk:
            raise Http404
        rows = [(int(n), dict(row)) for n, row in payload["rows"]]
        skipped, filename = payload.get("skipped", 0), payload.get("filename", "")
    try:
        result = import_measurements(plan, rows, accept_valid=form.cleaned_data["accept_valid"],
                                     by=request.user, filename=filename, channel="upload")
    except BulkRejected as exc:
        if not token:
            token = upload_store.create(request, {
                "kind": KIND, "user": request.user.pk, "plan": plan.pk, "filename": filename,
                "rows": rows, "skipped": skipped})
        ctx.update(result=exc.result, filename=filename, skipped=skipped, rejected=True,
                   form=MeasurementUploadForm(initial={"pending": token}))
        return render(request, "jalon/measurements_upload.html", ctx, status=422)
    if token:
        upload_store.discard(request, token)
    ctx.update(result=result, filename=filename, skipped=skipped, written=True,
               form=MeasurementUploadForm())
    return render(request, "jalon/measurements_upload.html", ctx)


def _dimension_names(indicators) -> list[str]:
    names: list[str] = []
    for ind in indicators:
        for d in ind.dimensions or []:
            name = d.get("name") if isinstance(d, dict) else str(d)
            if name and name not in names:
                names.append(name)
    return names


@login_required
@require_GET
def measurement_template(request, pk: int):
    """A CSV (UTF-8 with BOM, «;» as Excel expects in Belgium) with one row per indicator."""
    plan = plan_for(request.user, pk, "change")
    indicators = list(Indicator.objects.filter(node__plan=plan).select_related("node")
                      .order_by("node__depth", "node__position", "node_id", "position", "id"))
    dims = _dimension_names(indicators)
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    out.writerow([*template_header(get_language()), *(safe_text(f"dim:{d}") for d in dims)])
    for ind in indicators:
        out.writerow([safe_text(ind.node.code), safe_text(ind.name), "", "", "", "",
                      *([""] * len(dims))])
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"mesures-{slugify(plan.title)[:40] or plan.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
