"""Hostile and careless input: bounded work, one clear line, never a 500 or a traceback."""

from __future__ import annotations

import datetime as dt
import json
import struct
import zlib
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

API = "/api/v1"


def api_client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def patch(client, path, body):
    return client.patch(API + path, body, content_type="application/json")


# -- ZIP entries that lie about their size -------------------------------------------------------

def lying_docx(actual: int, declared: int = 1000) -> bytes:
    """A DOCX whose word/document.xml declares ``declared`` bytes and inflates to ``actual``."""
    entries = [("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/content-types"><Override PartName="/word/'
                b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                b'wordprocessingml.document.main+xml"/></Types>', None)]
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"<w:p/>" * (1 << 16)
    parts, left = [], actual
    while left > 0:
        parts.append(deflate.compress(block[:left]))
        left -= len(block)
    parts.append(deflate.flush())
    entries.append(("word/document.xml", b"".join(parts), declared))
    out, central = bytearray(), bytearray()
    for name, payload, lie in entries:
        raw = payload if lie is None else payload
        comp = zlib.compress(payload)[2:-4] if lie is None else payload
        size = len(payload) if lie is None else lie
        crc = zlib.crc32(payload) if lie is None else 0
        offset = len(out)
        n = name.encode()
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(comp),
                           size, len(n), 0) + n + comp
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                               len(comp), size, len(n), 0, 0, 0, 0, 0, offset) + n
        del raw
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                       len(central), start, 0)
    return bytes(out)


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(key)


def test_a_docx_whose_entries_lie_is_refused_in_bounded_memory():
    from jalon.ingest import IngestError
    from jalon.ingest.readers import read_bytes

    data = lying_docx(actual=600 * 1024 * 1024)  # 600 MB of XML declared as 1,000 bytes
    assert len(data) < 3 * 1024 * 1024
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
    before = _status("VmRSS")
    with pytest.raises(IngestError) as err:
        read_bytes("rapport.docx", data)
    grown = _status("VmHWM") - before
    assert "contient plus que" in str(err.value) and "word/document.xml" in str(err.value)
    assert grown < 100 * 1024 * 1024, f"memory grew {grown // 1024 // 1024} MB"


def test_an_honest_docx_still_reads():
    import io

    import docx

    from jalon.ingest.readers import read_bytes

    d = docx.Document()
    d.add_paragraph("1. Servir la population")
    buf = io.BytesIO()
    d.save(buf)
    assert "Servir la population" in "\n".join(
        line.text for line in read_bytes("plan.docx", buf.getvalue()).lines)


# -- a 100,000-character title -------------------------------------------------------------------

LONG = "A" * 100_000


def test_a_huge_title_is_refused_by_the_importer_with_line_and_field(world):
    from jalon.ingest.draft import NodeDraft, PlanDraft
    from jalon.plans.loader import DraftTooLarge, load_draft
    from jalon.plans.models import Plan

    draft = PlanDraft(title="Plan", nodes=[NodeDraft(code="1", title=LONG, line=12)])
    count = Plan.objects.count()
    with pytest.raises(DraftTooLarge) as err:
        load_draft(draft, world.org)
    assert str(err.value) == ("ligne 12, élément 1 : titre trop long (100.000 caractères ; "
                              "maximum 1.000)")
    assert Plan.objects.count() == count  # nothing half-written


def test_a_huge_title_is_refused_by_inline_edit_and_api(world):
    client = api_client(world.editor)
    r = client.post(f"/nodes/{world.action.pk}/fields/title/",
                    {"title": LONG, "version": world.action.version},
                    headers={"HX-Request": "true"})
    assert r.status_code == 422
    assert "au plus 1000 caractères (actuellement 100000)" in r.content.decode()
    r = patch(client, f"/nodes/{world.action.pk}", {"title": LONG})
    assert r.status_code == 422 and "1000" in json.dumps(r.json())
    world.action.refresh_from_db()
    assert world.action.title == "Rénover l'accueil"


@pytest.mark.parametrize("node, expected", [
    ({"code": "1", "parent": None, "title": LONG, "line": 3}, "ligne 3, élément 1 : titre trop long"),
    ({"code": "1", "parent": None, "title": "Budget", "line": 4,
      "fields": {"budget_eur": [999999999999999999999999]}},
     "ligne 4, élément 1 : budget hors limites : 999999999999999999999999"),
])
def test_jalon_import_says_one_line_never_a_traceback(db, tmp_path, capsys, node, expected):
    from django.core.management import call_command

    from jalon.plans.models import Plan

    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"plan": {"title": "Plan", "organization": "CPAS de Test"},
                                "nodes": [node]}))
    with pytest.raises(SystemExit) as exit_:
        call_command("jalon_import", str(path))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and expected in lines[0], err
    assert "Traceback" not in err and not Plan.objects.exists()


# -- NUL and control characters ------------------------------------------------------------------

def test_nul_is_refused_with_400_everywhere(world):
    editor = api_client(world.editor)
    anon = Client()
    assert anon.get(f"{API}/plans/{world.plan.pk}/nodes?q=%00").status_code in (400, 404)
    world.plan.published = True
    world.plan.save()
    r = anon.get(f"{API}/plans/{world.plan.pk}/nodes?q=%00")
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    r = patch(editor, f"/nodes/{world.action.pk}", {"title": "a\u0000b"})
    assert r.status_code == 400
    r = patch(editor, f"/nodes/{world.action.pk}", {"partners": ["a\u0000b"]})
    assert r.status_code == 400
    r = editor.post(f"{API}/nodes/{world.action.pk}/updates", {"text": "a\u0000b"},
                    content_type="application/json")
    assert r.status_code == 400
    r = editor.post(f"/nodes/{world.action.pk}/progress/",
                    {"status": "in_progress", "text": "a\x00b"})
    assert r.status_code == 400 and "NUL" in r.content.decode()
    assert anon.get(f"/plans/{world.plan.pk}/explore/?q=%00").status_code == 400
    world.action.refresh_from_db()
    assert world.action.title == "Rénover l'accueil" and not world.action.updates.exists()


def test_huge_page_numbers_and_positions_are_422(world):
    from jalon.tracking.models import Indicator

    editor = api_client(world.editor)
    for path in (f"/plans/{world.plan.pk}/nodes", f"/nodes/{world.action.pk}/updates"):
        r = editor.get(f"{API}{path}?page=999999999999999999")
        assert r.status_code == 422, (path, r.status_code)
    r = editor.post(f"{API}/nodes/{world.action.pk}/indicators",
                    {"name": "Délai", "position": 40000}, content_type="application/json")
    assert r.status_code == 422
    assert not Indicator.objects.exists()


def test_deleting_a_plan_with_a_validated_evaluation_is_409_with_the_reason(world):
    from jalon.plans.models import Plan
    from jalon.reports import services

    e = services.create_evaluation(world.plan, kind="annual", as_of=dt.date(2023, 12, 31))
    services.submit(e)
    services.validate(e, by=world.org_admin)
    r = api_client(world.org_admin).delete(f"{API}/plans/{world.plan.pk}")
    assert r.status_code == 409
    assert "évaluations validées y font référence" in r.json()["detail"]
    assert Plan.objects.filter(pk=world.plan.pk).exists()


# -- journal dates -------------------------------------------------------------------------------

def test_a_future_journal_date_is_refused_and_never_freezes_progress(world):
    from jalon.tracking.models import ProgressUpdate
    from jalon.tracking.services import FutureDate, post_update

    node = world.action
    editor = api_client(world.editor)
    r = editor.post(f"{API}/nodes/{node.pk}/updates", {"date": "9999-12-31", "progress": 90},
                    content_type="application/json")
    # a rule the schema cannot state: 400 with the reason (api.api)
    assert r.status_code == 400 and "futur" in json.dumps(r.json(), ensure_ascii=False)
    r = editor.post(f"/nodes/{node.pk}/progress/",
                    {"status": "in_progress", "progress": "90", "date": "9999-12-31"})
    assert r.status_code == 400 and "futur" in r.content.decode()
    with pytest.raises(FutureDate):
        post_update(node, date=dt.date(9999, 12, 31), progress=90)
    # an entry from before the rule (written directly) must not freeze the current progress
    ProgressUpdate.objects.create(node=node, date=dt.date(9999, 12, 31), progress=90)
    post_update(node, by=world.editor, date=timezone.localdate(), progress=55)
    node.refresh_from_db()
    assert node.progress == 55


def test_report_rendering_stops_at_its_time_limit(world, settings):
    from jalon.reports.renderers import ReportTooLong, render

    settings.JALON_REPORT_TIME_LIMIT = 0
    with pytest.raises(ReportTooLong, match="trop de temps"):
        render(world.plan, "xlsx")
    settings.JALON_REPORT_TIME_LIMIT = 600
    assert render(world.plan, "xlsx")[:2] == b"PK"
