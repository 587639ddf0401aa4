"""The weekly e-mail digest of reminders, sent by the task worker (``tracking.tasks``).

``jalon manage jalon_reminders`` enqueues :func:`jalon.tracking.tasks.send_digests` (or, with
``--now``, sends at once).  A day's digests go out once: the first run records a
:class:`DigestRun` for that day, and a second run the same day (the scheduler and a person, a
task run twice) sends nothing unless asked to send ``again``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import DigestRun
from .reminders import reminders_for


def send_digests(today: dt.date, *, dry_run: bool = False, again: bool = False) -> int | None:
    """Mail every person with reminders their digest; the number of digests (with
    ``dry_run``: that would be sent, nothing mailed nor recorded), or None when the day's
    digests were already sent."""
    run = None
    if not dry_run:
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(day=today)
        except IntegrityError:
            if not again:
                return None
            run = DigestRun.objects.get(day=today)
    try:
        sent = _send(today, dry_run)
    except Exception:
        # the day is not done: recorded, a retry would mail nobody more; forgotten, a retry
        # mails everybody again (a reminder twice rather than a person never reminded)
        if run is not None:
            DigestRun.objects.filter(pk=run.pk).delete()
        raise
    if run is not None:
        DigestRun.objects.filter(pk=run.pk).update(sent=sent, finished_at=timezone.now())
    return sent


def _send(today: dt.date, dry_run: bool) -> int:
    sent = 0
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    for user in users.filter(persons__isnull=False).distinct().order_by("pk"):
        reminders = reminders_for(user, today)
        if not reminders:
            continue
        with translation.override("fr"):
            ctx = {"user": user, "reminders": reminders, "today": today}
            subject = render_to_string("tracking/email/digest_subject.txt", ctx).strip()
            text = render_to_string("tracking/email/digest.txt", ctx)
            html = render_to_string("tracking/email/digest.html", ctx)
        if not dry_run:
            msg = EmailMultiAlternatives(subject, text, to=[user.email])
            msg.attach_alternative(html, "text/html")
            msg.send()
        sent += 1
    return sent
