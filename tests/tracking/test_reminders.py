"""Who gets which reminder, in the app and in the weekly digest."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from jalon.plans.models import Node, Person
from jalon.tracking.models import Indicator
from jalon.tracking.reminders import reminders_for
from jalon.tracking.services import post_update, record_measurement

TODAY = dt.date(2024, 6, 10)


@pytest.fixture
def owned(world):
    """The `owner` user owns hr_action (overdue) and a node due soon; the reader owns nothing."""
    w = world
    w.owner.email = "owner@example.org"
    w.owner.save()
    w.hr_action.end_date = dt.date(2024, 5, 31)
    w.hr_action.save()
    soon = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=2, code="1.3",
                               title="Bientôt", end_date=dt.date(2024, 6, 20))
    soon.owners.add(Person.objects.get(user=w.owner))
    done = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=3, code="1.4",
                               title="Fini", end_date=dt.date(2024, 1, 1), status="done")
    done.owners.add(Person.objects.get(user=w.owner))
    return w, soon


def kinds(rs):
    return sorted((r.kind, r.node.code) for r in rs)


def test_an_owner_is_reminded_of_overdue_due_soon_and_unupdated_items(owned):
    w, soon = owned
    post_update(soon, by=w.owner, date=dt.date(2024, 6, 1), progress=50)
    assert kinds(reminders_for(w.owner, TODAY)) == [
        ("due_soon", "1.3"), ("no_update", "1.2"), ("overdue", "1.2")]


def test_people_who_own_nothing_get_nothing(owned):
    w, _ = owned
    assert reminders_for(w.reader, TODAY) == []
    assert reminders_for(w.outsider, TODAY) == []


def test_stale_and_off_target_indicators_go_to_their_owner(owned):
    w, soon = owned
    post_update(soon, by=w.owner, date=TODAY)
    post_update(w.hr_action, by=w.owner, date=TODAY)
    stale = Indicator.objects.create(node=soon, name="Délai", frequency="monthly")
    record_measurement(stale, "2024-01", 3)
    off = Indicator.objects.create(node=w.hr_action, name="Taux", norm_text="94 %",
                                   frequency="yearly")
    record_measurement(off, "2024", 80)
    ok = Indicator.objects.create(node=w.hr_action, name="Autre", norm_text="50 %",
                                  frequency="yearly")
    record_measurement(ok, "2024", 80)
    got = [(r.kind, r.indicator.name) for r in reminders_for(w.owner, TODAY) if r.indicator]
    assert sorted(got) == [("off_target", "Taux"), ("stale", "Délai")]


def test_the_weekly_digest_mails_each_person_with_reminders_once(owned):
    call_command("jalon_reminders", "--today", TODAY.isoformat())
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["owner@example.org"]
    assert "1.2" in msg.body and "Former le personnel" in msg.body
    assert msg.alternatives and "<li>" in msg.alternatives[0][0]


def test_an_indicator_below_its_period_target_is_off_target_even_without_a_printed_norm(owned):
    from jalon.tracking.models import Target

    w, soon = owned
    post_update(w.hr_action, by=w.owner, date=TODAY)
    post_update(soon, by=w.owner, date=TODAY)
    ind = Indicator.objects.create(node=w.hr_action, name="Dossiers", frequency="yearly")
    Target.objects.create(indicator=ind, period="2024", value=100)
    record_measurement(ind, "2024", 60)
    got = [(r.kind, r.indicator.name) for r in reminders_for(w.owner, TODAY) if r.indicator]
    assert got == [("off_target", "Dossiers")]


def test_the_digest_is_a_task_the_command_enqueues_and_a_day_goes_out_once(owned, settings):
    from io import StringIO

    from jalon.tracking.tasks import send_digests

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    out = StringIO()
    call_command("jalon_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert mail.outbox == [] and "jalon worker" in out.getvalue()  # left to the worker
    from django_tasks import default_task_backend

    (queued,) = default_task_backend.results
    assert queued.task.name == send_digests.name and queued.args[0] == TODAY.isoformat()
    assert send_digests.call(*queued.args) == 1  # the worker runs it
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
    assert send_digests.call(*queued.args) is None  # run twice: sent once
    out = StringIO()
    call_command("jalon_reminders", "--today", TODAY.isoformat(), "--now", stdout=out)
    assert len(mail.outbox) == 1 and "déjà envoyés" in out.getvalue()
    call_command("jalon_reminders", "--today", TODAY.isoformat(), "--now", "--again",
                 stdout=StringIO())
    assert len(mail.outbox) == 2


def test_a_dry_run_counts_without_sending_nor_recording(owned):
    from io import StringIO

    out = StringIO()
    call_command("jalon_reminders", "--today", TODAY.isoformat(), "--dry-run", stdout=out)
    assert mail.outbox == [] and "1 récapitulatif" in out.getvalue()
    call_command("jalon_reminders", "--today", TODAY.isoformat())  # still sent afterwards
    assert len(mail.outbox) == 1


def test_a_digest_run_that_fails_can_be_run_again(owned, monkeypatch):
    """A mail server that fails leaves the day not done: the next run sends the digest (it is
    not taken for «already sent»)."""
    from django.core.mail import EmailMultiAlternatives

    from jalon.tracking.digests import send_digests
    from jalon.tracking.models import DigestRun

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(ConnectionRefusedError):
        send_digests(TODAY)
    assert not DigestRun.objects.filter(day=TODAY).exists()
    monkeypatch.undo()
    assert send_digests(TODAY) == 1 and len(mail.outbox) == 1
    assert send_digests(TODAY) is None  # done now: once a day


def test_the_command_says_in_one_line_that_the_mail_server_failed(owned, monkeypatch):
    from django.core.mail import EmailMultiAlternatives
    from django.core.management.base import CommandError

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(CommandError, match=r"interrompu : smtp down ; .* relancez"):
        call_command("jalon_reminders", "--today", TODAY.isoformat(), "--now")
