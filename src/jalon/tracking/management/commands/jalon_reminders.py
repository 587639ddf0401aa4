"""jalon manage jalon_reminders: the weekly e-mail digest of reminders (run it from a scheduler,
e.g. every Monday at 7:00)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone, translation

from jalon.tracking.reminders import reminders_for


class Command(BaseCommand):
    help = "Envoyer le récapitulatif hebdomadaire des rappels par e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="date du jour (AAAA-MM-JJ)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        today = opts["today"] or timezone.localdate()
        sent = 0
        users = get_user_model().objects.filter(is_active=True).exclude(email="")
        for user in users.filter(persons__isnull=False).distinct():
            reminders = reminders_for(user, today)
            if not reminders:
                continue
            with translation.override("fr"):
                ctx = {"user": user, "reminders": reminders, "today": today}
                subject = render_to_string("tracking/email/digest_subject.txt", ctx).strip()
                text = render_to_string("tracking/email/digest.txt", ctx)
                html = render_to_string("tracking/email/digest.html", ctx)
            if not opts["dry_run"]:
                msg = EmailMultiAlternatives(subject, text, to=[user.email])
                msg.attach_alternative(html, "text/html")
                msg.send()
            sent += 1
        self.stdout.write(f"{sent} récapitulatif(s) envoyé(s)")
