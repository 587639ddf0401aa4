"""Evaluations as a council runs them: another person validates, with a role the organization
chose; publishing is a separate act with its own right and date; an evaluation «situation au»
a past date shows the plan as the journal stood then."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from jalon.accounts.models import Membership, Role
from jalon.orgadmin.services import set_evaluation_roles
from jalon.reports import services
from jalon.reports.models import Evaluation, Publication
from jalon.tracking.services import post_update


@pytest.fixture(autouse=True)
def french():
    """French messages whatever an earlier test left active, and nothing left behind."""
    with translation.override("fr"):
        yield


@pytest.fixture
def submitted(followed):
    e = services.create_evaluation(followed.plan, kind="annual", as_of=dt.date(2023, 12, 31),
                                   by=followed.editor, overall="Année de lancement")
    return services.submit(e, by=followed.editor)


def status_of(e) -> str:
    return Evaluation.objects.values_list("status", flat=True).get(pk=e.pk)


# -- services ---------------------------------------------------------------------------------

def test_the_submitter_never_validates_their_own_evaluation(followed):
    w = followed
    e = services.submit(services.create_evaluation(w.plan, by=w.org_admin), by=w.org_admin)
    with pytest.raises(services.NotAllowed, match="une autre personne"):
        services.validate(e, by=w.org_admin)
    with pytest.raises(services.NotAllowed):
        services.validate(e, by=None)  # nobody: refused too
    assert status_of(e) == "submitted"
    Membership.objects.create(user=w.editor, organization=w.org, role=Role.ORG_ADMIN)
    e = services.validate(e, by=w.editor)
    assert (e.status, e.submitted_by, e.validated_by) == ("validated", w.org_admin, w.editor)


def test_only_the_roles_the_organization_chose_validate(submitted, followed):
    w = followed
    for user in (w.reader, w.owner, w.dept_editor, w.outsider):
        with pytest.raises(services.NotAllowed, match="rôle"):
            services.validate(submitted, by=user)
    set_evaluation_roles(w.org, validators=[Role.READER], publishers=[Role.ORG_ADMIN],
                         by=w.org_admin)
    with pytest.raises(services.NotAllowed):
        services.validate(submitted, by=w.org_admin)  # no longer a validating role here
    assert status_of(submitted) == "submitted"
    assert services.validate(submitted, by=w.reader).validated_by == w.reader


def test_validating_does_not_publish_and_publishing_has_its_own_right_and_date(submitted,
                                                                             followed):
    w = followed
    e = services.validate(submitted, by=w.org_admin)
    assert services.latest_published(w.plan) is None and e.public_since is None
    with pytest.raises(services.NotAllowed):
        services.publish(e, by=w.editor)
    set_evaluation_roles(w.org, validators=[Role.ORG_ADMIN], publishers=[Role.PLAN_EDITOR],
                         by=w.org_admin)
    with pytest.raises(services.NotAllowed):
        services.publish(e, by=w.org_admin)
    services.publish(e, by=w.editor)
    publication = Publication.objects.get(evaluation=e)
    assert publication.published_by == w.editor and publication.published_at is not None
    assert services.latest_published(w.plan) == e
    assert publication.history.get().history_user == w.editor  # the act is in the audit
    with pytest.raises(services.TransitionError):
        services.publish(e, by=w.editor)  # once
    services.withdraw(e, by=w.editor)
    assert services.latest_published(w.plan) is None and status_of(e) == "validated"


def test_a_draft_or_submitted_evaluation_cannot_be_published(submitted, followed):
    with pytest.raises(services.TransitionError):
        services.publish(submitted, by=followed.org_admin)
    assert not Publication.objects.exists()


def test_publishing_leaves_the_locked_row_untouched(submitted, followed):
    e = services.validate(submitted, by=followed.org_admin)
    before = Evaluation.objects.filter(pk=e.pk).values().get()
    services.publish(e, by=followed.org_admin)
    assert Evaluation.objects.filter(pk=e.pk).values().get() == before


# -- the journal as it stood ------------------------------------------------------------------

def test_a_back_dated_evaluation_shows_the_progress_and_status_of_its_date(client, followed):
    w = followed  # «1.1»: 40 % in progress on 30/06/2023 (fixture)
    post_update(w.action, date=dt.date(2024, 3, 31), progress=100, status="done")
    post_update(w.hr_action, date=dt.date(2024, 3, 31), progress=70)
    back = services.create_evaluation(w.plan, as_of=dt.date(2023, 12, 31), by=w.editor)
    nodes = {n["code"]: n for n in back.snapshot["nodes"]}
    assert (nodes["1.1"]["progress"], nodes["1.1"]["status"]) == (40, "in_progress")
    assert nodes["1.2"]["progress"] == 10
    assert back.snapshot["totals"]["progress"] == 25  # (40 + 10) / 2, not today's 85
    today = services.create_evaluation(w.plan, by=w.editor)
    assert today.snapshot["totals"]["progress"] == 85
    client.force_login(w.reader)
    page = client.get(reverse("evaluation_detail", args=[back.pk])).content.decode()
    assert "Avancement global : 25 %" in page


# -- web --------------------------------------------------------------------------------------

def act(client, e, action):
    return client.post(reverse("evaluation_transition", args=[e.pk, action]))


def test_the_web_refuses_the_submitter_as_validator(client, followed):
    w = followed
    e = services.create_evaluation(w.plan, by=w.org_admin)
    client.force_login(w.org_admin)
    assert act(client, e, "submit").status_code == 302
    page = client.get(reverse("evaluation_detail", args=[e.pk])).content.decode()
    assert "Une autre personne que vous doit la valider" in page
    assert reverse("evaluation_transition", args=[e.pk, "validate"]) not in page
    assert act(client, e, "validate").status_code == 403
    e2 = services.create_evaluation(w.plan)  # a site admin has every role, not this right
    client.force_login(w.site_admin)
    act(client, e2, "submit")
    assert act(client, e2, "validate").status_code == 403
    assert (status_of(e), status_of(e2)) == ("submitted", "submitted")


def test_publication_through_the_web_is_a_separate_step(client, submitted, followed):
    w = followed
    w.plan.published = True
    w.plan.save()
    public = reverse("public_plan", args=[w.org.slug, w.plan.pk])
    client.force_login(w.org_admin)
    assert act(client, submitted, "validate").status_code == 302
    assert "Année de lancement" not in client.get(public).content.decode()
    page = client.get(reverse("evaluation_detail", args=[submitted.pk])).content.decode()
    assert "Pas publiée" in page
    client.force_login(w.editor)
    assert act(client, submitted, "publish").status_code == 403
    client.force_login(w.org_admin)
    assert act(client, submitted, "publish").status_code == 302
    today = dt.date.today().strftime("%d/%m/%Y")
    assert f"publiée le {today}" in client.get(public).content.decode()
    listing = client.get(reverse("evaluation_list", args=[w.plan.pk])).content.decode()
    assert listing.count(today) >= 2  # validated and published today
    assert act(client, submitted, "withdraw").status_code == 302
    assert "Année de lancement" not in client.get(public).content.decode()


def test_the_organization_admin_chooses_who_validates_and_publishes(client, followed):
    w = followed
    url = reverse("orgadmin_evaluations", args=[w.org.slug])
    client.force_login(w.editor)
    assert client.get(url).status_code == 403
    client.force_login(w.org_admin)
    page = client.get(url).content.decode()
    assert "Administrateur de l&#x27;organisation" in page
    response = client.post(url, {"validators": ["org_admin", "plan_editor"],
                                 "publishers": ["reader"]})
    assert response.status_code == 302
    e = services.submit(services.create_evaluation(w.plan, by=w.org_admin), by=w.org_admin)
    assert services.validate(e, by=w.editor).validated_by == w.editor
    services.publish(e, by=w.reader)
    assert client.post(url, {"validators": [], "publishers": ["reader"]}).status_code == 400


# -- Django admin -----------------------------------------------------------------------------

def test_the_admin_actions_go_through_the_same_rules(client, followed):
    from django.contrib.auth.models import User

    w = followed
    e = services.create_evaluation(w.plan)
    changelist = reverse("admin:reports_evaluation_changelist")
    client.force_login(w.site_admin)

    def run(action):
        return client.post(changelist, {"action": action, "_selected_action": [e.pk]},
                           follow=True).content.decode()

    run("submit_selected")
    assert status_of(e) == "submitted"
    page = run("validate_selected")
    assert "une autre personne doit la valider" in page and status_of(e) == "submitted"
    other = User.objects.create_user("root2", is_superuser=True, is_staff=True)
    client.force_login(other)
    run("validate_selected")
    assert status_of(e) == "validated"
    assert not Publication.objects.exists()  # validating did not publish
    run("publish_selected")
    assert Publication.objects.get(evaluation=e).published_by == other
