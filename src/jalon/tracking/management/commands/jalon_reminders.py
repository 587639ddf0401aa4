"""jalon manage jalon_reminders: the weekly e-mail digest of reminders (run it from a scheduler,
e.g. every Monday at 7:00).  The digests are sent by the task worker (``jalon worker``); with
``--now`` by this command itself.  A day's digests go out once (``--again`` to resend)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jalon.tracking.digests import send_digests
from jalon.tracking.tasks import send_digests as send_task


class Command(BaseCommand):
    help = "Envoyer le récapitulatif hebdomadaire des rappels par e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="date du jour (AAAA-MM-JJ)")
        parser.add_argument("--dry-run", action="store_true",
                            help="compter les récapitulatifs sans rien envoyer")
        parser.add_argument("--now", action="store_true",
                            help="envoyer tout de suite, sans passer par le service de tâches")
        parser.add_argument("--again", action="store_true",
                            help="envoyer même si les récapitulatifs du jour sont déjà partis")

    def handle(self, *args, **opts):
        today = opts["today"] or timezone.localdate()
        if opts["dry_run"] or opts["now"]:
            try:
                sent = send_digests(today, dry_run=opts["dry_run"], again=opts["again"])
            except OSError as exc:  # the mail server (smtplib's errors are OSErrors)
                raise CommandError(f"envoi des récapitulatifs du {today:%d/%m/%Y} interrompu : "
                                   f"{exc} ; le jour n'est pas noté comme fait, relancez la "
                                   "commande") from exc
            self._report(sent, today)
            return
        result = send_task.enqueue(today.isoformat(), opts["again"])
        if result.is_finished:  # an immediate backend ran it already
            self._report(result.return_value, today)
        else:
            self.stdout.write(f"récapitulatifs du {today:%d/%m/%Y} confiés au service de tâches "
                              f"(jalon worker) : tâche {result.id}")

    def _report(self, sent, today):
        if sent is None:
            self.stdout.write(f"récapitulatifs du {today:%d/%m/%Y} déjà envoyés : rien envoyé "
                              "(--again pour les renvoyer)")
        else:
            self.stdout.write(f"{sent} récapitulatif(s) envoyé(s)")
