"""Upload measurements from a file: all row errors at once, nothing written unless accepted."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalon.tracking.models import Indicator, Measurement

pytestmark = pytest.mark.usefixtures("var_dir")


@pytest.fixture
def ind(world):
    return Indicator.objects.create(node=world.action, name="Dossiers traités",
                                    frequency="monthly", dimensions=["bureau"])


GOOD = ("code;indicator;period;value;comment;source;dim:bureau\n"
        "1.1;Dossiers traités;2020-01;12;;registre;\n"
        "1.1;Dossiers traités;2020-02;15,5;;registre;Liège\n"
        "1.1;dossiers traités;mars 2020;9;début;registre;\n")
BAD_ROWS = ("1.1;Inconnu;2020-01;1;;;\n"
            "1.1;Dossiers traités;2031-01;1;;;\n"
            "1.1;Dossiers traités;2020-04;beaucoup;;;\n")


def post(client, world, text=None, name="mesures.csv", **data):
    if text is not None:
        data["file"] = SimpleUploadedFile(name, text if isinstance(text, bytes)
                                          else text.encode())
    return client.post(reverse("measurement_upload", args=[world.plan.pk]), data)


def test_a_good_file_is_saved_and_the_counts_are_shown(client, world, ind):
    client.force_login(world.editor)
    r = post(client, world, GOOD)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Mesures enregistrées" in page
    assert "<th scope=\"row\">Créées</th><td>3</td>" in page
    assert Measurement.objects.count() == 3
    assert Measurement.objects.get(period="2020-02").dimensions == {"bureau": "Liège"}
    assert Measurement.objects.get(period="2020-01").entered_by == world.editor


def test_the_same_file_uploaded_twice_creates_no_duplicate(client, world, ind):
    client.force_login(world.editor)
    post(client, world, GOOD)
    r = post(client, world, GOOD)
    page = r.content.decode()
    assert "<th scope=\"row\">Créées</th><td>0</td>" in page
    assert "<th scope=\"row\">Inchangées</th><td>3</td>" in page
    assert Measurement.objects.count() == 3


def test_all_row_errors_are_shown_at_once_and_nothing_is_written(client, world, ind):
    client.force_login(world.editor)
    r = post(client, world, GOOD + BAD_ROWS)
    assert r.status_code == 422
    page = r.content.decode()
    for row, words in ((5, "indicateur inconnu"), (6, "hors du plan"), (7, "non numérique")):
        assert re.search(f'<th scope="row">{row}</th><td>[^<]*{words}', page)
    assert "Rien n'a été enregistré. 3 lignes sont valides." in page
    assert Measurement.objects.count() == 0


def test_valid_rows_are_saved_when_the_user_ticks_the_box_without_choosing_the_file_again(
        client, world, ind, var_dir):
    client.force_login(world.editor)
    r = post(client, world, GOOD + BAD_ROWS)
    token = r.context["form"].initial["pending"]
    assert token and list((var_dir / "imports").glob("*.json"))
    r = post(client, world, pending=token)  # not ticked: still refused
    assert r.status_code == 422 and Measurement.objects.count() == 0
    r = post(client, world, pending=token, accept_valid="on")
    assert r.status_code == 200
    assert "<th scope=\"row\">Créées</th><td>3</td>" in r.content.decode()
    assert "<th scope=\"row\">Lignes en erreur ignorées</th><td>3</td>" in r.content.decode()
    assert Measurement.objects.count() == 3
    assert list((var_dir / "imports").glob("*.json")) == []


def test_valid_rows_are_saved_when_the_file_is_sent_again_with_the_box_ticked(client, world,
                                                                             ind):
    client.force_login(world.editor)
    r = post(client, world, GOOD + BAD_ROWS, accept_valid="on")
    assert r.status_code == 200 and Measurement.objects.count() == 3


def test_an_xlsx_file_is_read_by_its_header(client, world, ind):
    wb = openpyxl.Workbook()
    wb.active.append(["Code", "Indicateur", "Période", "Valeur"])
    wb.active.append(["1.1", "Dossiers traités", "2021", 120])
    buf = io.BytesIO()
    wb.save(buf)
    client.force_login(world.editor)
    r = post(client, world, buf.getvalue(), "mesures.xlsx")
    assert r.status_code == 200
    assert Measurement.objects.get().value == 120


def test_a_wrong_header_is_one_line_linked_to_the_field(client, world, ind):
    client.force_login(world.editor)
    r = post(client, world, "code;indicator;periode;valu\n1.1;Dossiers traités;2020;1\n")
    assert r.status_code == 400
    page = r.content.decode()
    assert "mesures.csv:1: en-tête incorrect" in page and "valu" in page
    assert 'aria-describedby="id_file_error"' in page
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize(("language", "header"), [
    ("fr", "code;indicateur;période;valeur;commentaire;source;dim:bureau"),
    ("nl", "code;indicator;periode;waarde;commentaar;bron;dim:bureau"),
    ("en", "code;indicator;period;value;comment;source;dim:bureau"),
])
def test_the_template_lists_the_plans_indicators_in_the_users_language(client, world, ind,
                                                                       language, header):
    client.force_login(world.editor)
    r = client.get(reverse("measurement_template", args=[world.plan.pk]),
                   headers={"Accept-Language": language})
    assert r["Content-Type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0] == header
    assert text.splitlines()[1].startswith("1.1;Dossiers traités;")
    # the template, once filled in, is accepted as is (whatever the interface's language)
    filled = text.replace("1.1;Dossiers traités;;;", "1.1;Dossiers traités;2020-05;81 %;")
    r = post(client, world, filled.encode("utf-8-sig"), "modele.csv")
    assert r.status_code == 200 and Measurement.objects.get().period == "2020-05"
    assert Measurement.objects.get().value == 81


def test_missing_values_are_accepted_with_their_reason(client, world, ind):
    client.force_login(world.editor)
    r = post(client, world, "code;indicateur;période;valeur;commentaire\n"
                            "1.1;Dossiers traités;2020-01;n.d.;logiciel en panne\n"
                            "1.1;Dossiers traités;2020-02;1.234,5;\n")
    assert r.status_code == 200, r.content.decode()[:2000]
    got = {m.period: (m.value, m.missing) for m in Measurement.objects.all()}
    assert got == {"2020-01": (None, "not_available"), "2020-02": (Decimal("1234.5"), "")}


@pytest.mark.parametrize("who,status", [("outsider", 404), ("reader", 403), ("owner", 403),
                                        ("dept_editor", 403), ("org_admin", 200)])
def test_only_plan_writers_may_upload(client, world, ind, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("measurement_upload", args=[world.plan.pk])).status_code == status
    assert client.get(reverse("measurement_template",
                              args=[world.plan.pk])).status_code == status


def test_a_pending_upload_of_another_session_cannot_be_used(client, world, ind):
    client.force_login(world.editor)
    token = post(client, world, GOOD + BAD_ROWS).context["form"].initial["pending"]
    client.force_login(world.org_admin)
    r = post(client, world, pending=token, accept_valid="on")
    assert r.status_code == 404 and Measurement.objects.count() == 0
