"""Report jobs: a council document produced in the background by the task worker.

The web asks for a document (``request_report``), which records a :class:`ReportJob` and
enqueues :func:`jalon.reports.tasks.build_report`; the worker (``jalon worker``) runs
:func:`run_job`, which writes its progress on the job as the renderer reports it, stores the file
under ``MEDIA_ROOT/reports/jobs/`` and marks the job done (or failed, with one translated line).
The web page polls the job and offers the file to whoever asked for it.

Jobs have no django-simple-history record: the job *is* the record of who asked for what, and
its progress is written many times a minute.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.deletion import CASCADE
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

log = logging.getLogger(__name__)

KEEP = dt.timedelta(days=1)  # produced documents are kept one day
PROGRESS_EVERY = 0.5  # seconds between two progress writes (the last step is always written)


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _lazy("En attente")
        RUNNING = "running", _lazy("En cours")
        DONE = "done", _lazy("Prêt")
        FAILED = "failed", _lazy("Échec")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=CASCADE,
                                     related_name="report_jobs",
                                     verbose_name=_lazy("demandé par"))
    plan = models.ForeignKey("plans.Plan", on_delete=CASCADE, related_name="report_jobs",
                             verbose_name=_lazy("plan"))
    evaluation = models.ForeignKey("reports.Evaluation", on_delete=CASCADE, null=True,
                                   blank=True, related_name="report_jobs",
                                   verbose_name=_lazy("évaluation"))
    format = models.CharField(_lazy("format"), max_length=8)
    sections = models.JSONField(_lazy("sections"), default=list, blank=True)
    language = models.CharField(_lazy("langue"), max_length=8, default="fr")
    status = models.CharField(_lazy("statut"), max_length=8, choices=Status.choices,
                              default=Status.QUEUED)
    done = models.PositiveIntegerField(_lazy("étapes faites"), default=0)
    total = models.PositiveIntegerField(_lazy("étapes"), default=0)
    step = models.CharField(_lazy("étape en cours"), max_length=200, blank=True)
    error = models.CharField(_lazy("erreur"), max_length=300, blank=True)
    file = models.FileField(_lazy("fichier"), upload_to="reports/jobs/", blank=True)
    filename = models.CharField(_lazy("nom du fichier"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_lazy("taille (octets)"), default=0)
    task_id = models.CharField(_lazy("tâche"), max_length=64, blank=True)
    revision = models.PositiveIntegerField(_lazy("version du plan"), default=0)
    created_at = models.DateTimeField(_lazy("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_lazy("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_lazy("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _lazy("production de document")
        verbose_name_plural = _lazy("productions de documents")
        indexes = [models.Index(fields=["finished_at"], name="reportjob_finished_idx")]

    def __str__(self) -> str:
        return f"{self.filename or self.format} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def target(self):
        return self.evaluation if self.evaluation_id else self.plan


def request_report(obj, fmt: str, *, sections=None, by) -> ReportJob:
    """Record a job for ``obj`` (a plan or an evaluation) and hand it to the worker — or, when
    the same person asked for the same document today and the plan has not changed since
    (same revision), the job that produced it: its file is offered at once."""
    from jalon.plans.models import Plan

    from .models import Evaluation
    from .tasks import build_report

    sweep()
    evaluation = obj if isinstance(obj, Evaluation) else None
    plan = obj.plan if evaluation else obj
    revision = Plan.objects.filter(pk=plan.pk).values_list("revision", flat=True).first() or 0
    wanted = {"requested_by": by, "plan": plan, "evaluation": evaluation, "format": fmt,
              "sections": list(sections or []),
              "language": translation.get_language() or settings.LANGUAGE_CODE,
              "revision": revision}
    done = (ReportJob.objects.filter(**wanted, status=ReportJob.Status.DONE,
                                     finished_at__date=timezone.localdate())
            .exclude(file="").order_by("-finished_at").first())
    if done is not None and done.file.storage.exists(done.file.name):
        return done
    job = ReportJob.objects.create(**wanted)
    result = build_report.enqueue(job.pk)
    # (the immediate backend has run the job already: do not overwrite what it wrote)
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def run_job(job_id: int) -> None:
    """The task body: render, store the file, record the outcome (never raises for bad input)."""
    from .renderers import FORMATS, filename, render

    job = ReportJob.objects.select_related("plan__organization", "evaluation").filter(
        pk=job_id).first()
    if job is None or job.finished:
        return
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING,
                                               started_at=timezone.now())
    last = [0.0]

    def progress(done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        ReportJob.objects.filter(pk=job.pk).update(done=done, total=total, step=label[:200])

    with translation.override(job.language):
        try:
            obj = job.target
            data = render(obj, job.format, sections=job.sections or None, progress=progress)
            name = filename(obj, job.format)
            job.file.save(f"{uuid.uuid4().hex}.{FORMATS[job.format].extension}",
                          ContentFile(data), save=False)
        except Exception as exc:  # the job says what went wrong; the log keeps the trace
            log.exception("report job %s failed", job.pk)
            message = _("Le document n’a pas pu être produit : %(why)s") % {
                "why": one_line(exc)}
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJob.Status.FAILED, error=message[:300], finished_at=timezone.now())
            return
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE, file=job.file.name, filename=name, size=len(data),
        done=models.F("total"), finished_at=timezone.now())


def one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text[:200]


def sweep() -> None:
    """Forget the jobs finished more than a day ago, and their files."""
    old = ReportJob.objects.filter(finished_at__lt=timezone.now() - KEEP)
    for job in old.exclude(file=""):
        job.file.delete(save=False)
    old.delete()
