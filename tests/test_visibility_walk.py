"""Every URL of the application, as anonymous, as a reader and as another organization's user:
what a published plan hides (budget, indicators, progress) and the journal's authors never
reach anybody outside the organization.

The URL list is read from the resolver: a new route is walked without touching this file (or
the test says which argument it cannot fill).  Binary answers (XLSX, ODS, DOCX) are unzipped
before looking.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# distinctive values that must never show when hidden
HIDDEN_MARKERS = {
    "indicators": ["Indicateur-Cache-Rho", "Norme-Cachee-Mu"],
    "budget": ["987.654,32", "987654.32", "987654,32", "876.543,21", "876543.21",
               "876543,21", "Financement-Cache-Xi", "Ligne-Cachee-Nu"],
    "progress": ["43,21", "43.21", "43 %", "43%", "43,2"],
    "authors": ["auteur-cache-psi", "Auteur-Cache-Psi"],
}
VISIBLE = "Action-Visible-Omega"  # the node's title: shown to everybody who sees the plan

SKIP_PREFIXES = ("admin/", "i18n/")  # Django's admin (staff only) and the language switch
FORMATS = ("pdf", "docx", "xlsx", "ods", "csv", "json", "txt")
FIELD_NAMES = ("title", "description", "funding")


@pytest.fixture
def hiding(world):
    """World's plan A, published, hiding budget, indicators and progress; one node carries a
    value for each, a journal entry with its author, and a validated evaluation."""
    from django.contrib.auth.models import User

    from jalon.accounts.models import Membership, Role
    from jalon.plans.models import MoneyLine
    from jalon.reports import services as reports
    from jalon.tracking.models import BudgetLine, Indicator
    from jalon.tracking.services import post_update, record_measurement

    w = world
    w.plan.published = True
    w.plan.hidden_fields = ["budget", "indicators", "progress"]
    w.plan.save()
    a = w.action
    a.title = VISIBLE
    a.funding = "Financement-Cache-Xi"
    a.save()
    MoneyLine.objects.create(node=a, amount=Decimal("876543.21"), year=2023,
                             label="Ligne-Cachee-Nu")
    BudgetLine.objects.create(node=a, year=2023, planned=Decimal("987654.32"),
                              spent=Decimal("1000"))
    author = User.objects.create_user("auteur-cache-psi", first_name="Auteur-Cache-Psi")
    Membership.objects.create(user=author, organization=w.org, role=Role.PLAN_EDITOR)
    post_update(a, by=author, date=dt.date(2023, 6, 30), progress=Decimal("43.21"),
                status="in_progress", text="Le chantier avance.")
    ind = Indicator.objects.create(node=a, name="Indicateur-Cache-Rho", unit="%",
                                   norm_text="Norme-Cachee-Mu")
    record_measurement(ind, "2023", 71, by=author)
    e = reports.create_evaluation(w.plan, kind="mid_term", as_of=dt.date(2023, 12, 31),
                                  overall="Bilan.")
    reports.submit(e)
    w.evaluation = reports.validate(e, by=w.org_admin)
    w.indicator = ind
    w.budget_line = BudgetLine.objects.get(node=a)
    w.update = a.updates.get()
    # the objects the remaining routes name (each page must not leak either)
    from django.utils import timezone

    from jalon.accounts.models import ApiToken
    from jalon.orgadmin.models import ImportProfile, Invitation
    from jalon.reports.jobs import ReportJob

    w.token, _ = ApiToken.issue(w.org_admin, "walk")
    w.profile = ImportProfile.objects.create(organization=w.org, name="Profil", signature="s",
                                             mapping={"titre": "title"})
    w.job = ReportJob.objects.create(requested_by=w.org_admin, plan=w.plan, format="xlsx")
    w.invitation = Invitation.objects.create(
        organization=w.org, email="invite@example.org", role=Role.READER, token_hash="h" * 64,
        expires=timezone.now() + dt.timedelta(days=7))
    return w


def walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def fill(route: str, pattern: URLPattern, w) -> list[str]:
    """Every concrete URL for a route (one per format or field name where the route takes
    one)."""
    import re

    ids = {"plan_id": w.plan.pk, "node_id": w.action.pk, "indicator_id": w.indicator.pk,
           "organization_id": w.org.pk, "org_id": w.org.pk, "line_id": w.budget_line.pk,
           "budget_line_id": w.budget_line.pk, "evaluation_id": w.evaluation.pk,
           "update_id": w.update.pk, "slug": w.org.slug, "org": w.org.slug,
           "token": "x", "action": "validate", "step": "validate", "line": w.budget_line.pk}
    from jalon.accounts.models import Membership
    from jalon.plans.models import Person

    # <pk> is named by the word before it
    by_word = {"plans": w.plan.pk, "nodes": w.action.pk, "evaluations": w.evaluation.pk,
               "levels": w.plan.pk, "reimport": w.plan.pk, "<slug:org>": w.plan.pk,
               "people": Person.objects.filter(organization=w.org).first().pk,
               "departments": w.social.pk,
               "roles": Membership.objects.get(user=w.reader).pk, "tokens": w.token.pk,
               "jobs": w.job.pk, "import-profiles": w.profile.pk,
               "invitations": w.invitation.pk}
    route = route.lstrip("^").rstrip("$")
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    choices = {"fmt": FORMATS, "name": FIELD_NAMES}
    urls = [route]
    for name in names:
        if name in choices:
            values = choices[name]
        elif name in ids:
            values = (ids[name],)
        elif name == "pk":
            word = route[:route.index(f"<int:{name}>")].rstrip("/").rsplit("/", 1)[-1]
            if word not in by_word:
                raise AssertionError(f"no value for <{name}> in {route}: add one to fill()")
            values = (by_word[word],)
        else:
            raise AssertionError(f"no value for <{name}> in {route}: add one to fill()")
        urls = [re.sub(rf"<(?:\w+:)?{name}>", str(v), u, count=1) for u in urls for v in values]
    return ["/" + u for u in urls]


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = b"".join(z.read(n) for n in z.namelist())
    return data.decode("utf-8", "replace")


def fetch(client: Client, url: str, headers=None):
    """The answer to ``url``; a council document's link answers with its job: follow it to the
    file (other redirects, e.g. to the sign-in page, are the answer)."""
    r = client.get(url, headers=headers or {})
    if r.status_code == 302 and "/reports/jobs/" in r["Location"]:
        r = client.get(r["Location"], headers=headers or {})
    return r


def all_urls(w) -> list[str]:
    urls = []
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        urls.extend(fill(route, pattern, w))
    return urls


def leaks(client: Client, urls: list[str], groups) -> list[str]:
    found = []
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            r = fetch(client, url, headers)
            assert r.status_code < 500, (url, r.status_code)
            text = body_text(r)
            found += [f"{url} {g}: {m}" for g in groups for m in HIDDEN_MARKERS[g] if m in text]
    return found


def test_the_walk_covers_web_api_public_and_reports(hiding):
    urls = all_urls(hiding)
    for expected in (f"/plans/{hiding.plan.pk}/", f"/nodes/{hiding.action.pk}/",
                     f"/plans/{hiding.plan.pk}/dashboard/", f"/plans/{hiding.plan.pk}/explore/",
                     f"/plans/{hiding.plan.pk}/timeline/", f"/api/v1/nodes/{hiding.action.pk}",
                     f"/public/amay/{hiding.plan.pk}/data.csv",
                     f"/plans/{hiding.plan.pk}/report.xlsx",
                     f"/evaluations/{hiding.evaluation.pk}/report.ods",
                     f"/api/v1/indicators/{hiding.indicator.pk}"):
        assert expected in urls
    assert len(urls) > 60


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_nothing_hidden_reaches_the_public_or_another_organization(hiding, who):
    client = Client()
    if who == "outsider":
        client.force_login(hiding.outsider)
    urls = all_urls(hiding)
    shown = [u for u in urls if VISIBLE in body_text(fetch(client, u))]
    assert len(shown) >= 8  # the plan is readable: the walk looks at real pages
    assert leaks(client, urls, HIDDEN_MARKERS) == []


def test_a_reader_of_the_organization_sees_what_the_public_does_not(hiding):
    """Hidden fields are hidden *from the public*: every member, readers included, sees them
    (docs/roles.md)."""
    client = Client()
    client.force_login(hiding.reader)
    assert "987.654,32" in body_text(client.get(f"/plans/{hiding.plan.pk}/dashboard/"))
    text = body_text(client.get(f"/nodes/{hiding.action.pk}/"))
    assert "Indicateur-Cache-Rho" in text and "987.654,32" in text and "43,21" in text
    assert "auteur-cache-psi" in body_text(client.get(f"/nodes/{hiding.action.pk}/"))
    assert "43" in body_text(client.get(f"/plans/{hiding.plan.pk}/"))
