"""Membership by invitation: an organization administrator picks among the people of their own
organization or invites by e-mail; no other account of the installation can be attached or
looked up, and the answer is the same whether an account has the e-mail or not."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jalon.accounts.models import Membership, Role
from jalon.orgadmin.models import Invitation


def roles_url(world):
    return reverse("orgadmin_roles", args=[world.org.slug])


def link_in(message) -> str:
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)


@pytest.mark.parametrize("who", ["outsider", "site_admin"])
def test_an_org_admin_cannot_attach_another_organizations_user_or_the_superuser(
        client, world, who):
    client.force_login(world.org_admin)
    target = getattr(world, who)
    page = client.get(roles_url(world)).content.decode()
    assert f'<option value="{target.pk}"' not in page  # not offered
    r = client.post(roles_url(world), {"user": target.pk, "role": Role.ORG_ADMIN})
    assert r.status_code == 400
    assert not Membership.objects.filter(user=target, organization=world.org).exists()
    # nor by name or e-mail: the form takes no free text any more
    r = client.post(roles_url(world), {"user": target.get_username(), "role": Role.READER})
    assert r.status_code == 400
    assert not Membership.objects.filter(user=target, organization=world.org).exists()


def test_the_picker_lists_only_people_of_the_organization(client, world):
    client.force_login(world.org_admin)
    page = client.get(roles_url(world)).content.decode()
    for member in (world.reader, world.owner, world.editor):
        assert f'<option value="{member.pk}"' in page
    assert "outsider" not in page and ">root<" not in page


def _invite(client, world, email):
    return client.post(roles_url(world), {"action": "invite", "email": email,
                                          "role": Role.READER}, follow=True)


def test_the_answer_is_the_same_whether_an_account_has_the_email_or_not(client, world):
    world.outsider.email = "olga@bree.example"
    world.outsider.save()
    client.force_login(world.org_admin)
    answers = []
    for email in ("olga@bree.example", "nobody@nowhere.example"):
        r = client.post(roles_url(world), {"action": "invite", "email": email,
                                           "role": Role.READER})
        page = client.get(r["Location"]).content.decode()
        shown = re.search(r'<div class="messages".*?</div>', page, re.S).group(0)
        body = re.sub(r"https?://\S+", "LINK", mail.outbox[-1].body)
        answers.append((r.status_code, r["Location"], shown.replace(email, "EMAIL"),
                        body, mail.outbox[-1].to == [email]))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302 and "Invitation envoyée à EMAIL" in answers[0][2]
    assert not Membership.objects.filter(user=world.outsider, organization=world.org).exists()


def test_an_invitee_with_an_account_accepts_after_signing_in(client, world):
    world.outsider.email = "olga@bree.example"
    world.outsider.save()
    client.force_login(world.org_admin)
    _invite(client, world, "olga@bree.example")
    link = link_in(mail.outbox[-1])
    client.logout()
    r = client.get(link)
    assert r.status_code == 200 and "Connectez-vous pour accepter" in r.content.decode()
    client.force_login(world.outsider)
    assert not Membership.objects.filter(user=world.outsider, organization=world.org).exists()
    r = client.post(link)
    assert r.status_code == 302
    assert Membership.objects.filter(user=world.outsider, organization=world.org,
                                     role=Role.READER).exists()
    r = client.post(link)  # once only
    assert r.status_code == 404 and "déjà été acceptée" in r.content.decode()


def test_an_invitee_without_an_account_creates_one_and_joins(client, world):
    client.force_login(world.org_admin)
    client.post(roles_url(world), {"action": "invite", "email": "new@amay.example",
                                   "role": Role.DEPT_EDITOR, "departments": [world.rh.pk]})
    link = link_in(mail.outbox[-1])
    client.logout()
    r = client.post(link, {"username": "nadia", "first_name": "Nadia", "last_name": "N.",
                           "password1": "un-long-mot-de-passe-42", "password2":
                           "un-long-mot-de-passe-42"})
    assert r.status_code == 302
    nadia = User.objects.get(username="nadia")
    assert nadia.email == "new@amay.example"
    m = Membership.objects.get(user=nadia, organization=world.org)
    assert m.role == Role.DEPT_EDITOR and list(m.departments.all()) == [world.rh]
    assert client.get(reverse("home")).wsgi_request.user == nadia


def test_an_expired_cancelled_or_forged_link_is_refused(client, world):
    client.force_login(world.org_admin)
    _invite(client, world, "late@amay.example")
    link = link_in(mail.outbox[-1])
    inv = Invitation.objects.get(email="late@amay.example")
    Invitation.objects.filter(pk=inv.pk).update(expires=timezone.now() - dt.timedelta(days=1))
    client.force_login(world.reader)
    r = client.post(link)
    assert r.status_code == 404 and "expiré" in r.content.decode()
    r = client.get(link[:-3] + "xx/")
    assert r.status_code == 404 and "pas valable" in r.content.decode()
    Invitation.objects.filter(pk=inv.pk).update(expires=timezone.now() + dt.timedelta(days=1))
    client.force_login(world.org_admin)
    client.post(reverse("orgadmin_invitation_cancel", args=[world.org.slug, inv.pk]))
    client.force_login(world.reader)
    assert client.post(link).status_code == 404
    assert Membership.objects.filter(user=world.reader, organization=world.org).count() == 1


def test_only_an_org_admin_may_invite(client, world):
    client.force_login(world.editor)
    r = client.post(roles_url(world), {"action": "invite", "email": "x@amay.example",
                                       "role": Role.ORG_ADMIN})
    assert r.status_code == 403 and not Invitation.objects.exists() and not mail.outbox


def test_a_mail_server_down_is_one_line_and_keeps_nothing(client, world, monkeypatch):
    from jalon.orgadmin import services

    def down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(services, "send_mail", down)
    client.force_login(world.org_admin)
    r = client.post(roles_url(world), {"action": "invite", "email": "x@amay.example",
                                       "role": Role.READER})
    assert r.status_code == 400 and "pas pu être envoyé" in r.content.decode()
    assert not Invitation.objects.exists()
