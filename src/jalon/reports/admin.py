"""Admin: evaluations are read-only once validated (no change, no delete), and the snapshot is
never editable; the workflow (submit, validate, correct) is done through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Evaluation, EvaluationLocked, Publication, ReportSettings


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "kind", "as_of", "version", "status", "validated_at",
                    "public_since")
    list_filter = ("status", "kind")
    search_fields = ("plan__title", "plan__organization__name")
    list_select_related = ("plan", "publication")
    readonly_fields = ("plan", "status", "version", "supersedes", "created_by", "created_at",
                       "submitted_by", "submitted_at", "validated_by", "validated_at")
    fields = ("plan", "kind", "as_of", "status", "version", "supersedes", "overall",
              "assessments", "created_by", "created_at", "submitted_by", "submitted_at",
              "validated_by", "validated_at")
    actions = ["submit_selected", "validate_selected", "publish_selected"]

    def has_add_permission(self, request):
        return False  # an evaluation is created with its snapshot: reports.services

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Evaluation.Status.DRAFT:
            return (*self.readonly_fields, "kind", "as_of")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except EvaluationLocked as exc:  # validated meanwhile
            self.message_user(request, services.message(exc), messages.ERROR)

    def delete_queryset(self, request, queryset):
        try:
            super().delete_queryset(request, queryset)
        except EvaluationLocked as exc:
            self.message_user(request, services.message(exc), messages.ERROR)

    @admin.action(description=_("Soumettre les évaluations sélectionnées"),
                  permissions=["change"])
    def submit_selected(self, request, queryset):
        self._run(request, queryset, services.submit)

    @admin.action(description=_("Valider les évaluations sélectionnées"),
                  permissions=["change"])
    def validate_selected(self, request, queryset):
        self._run(request, queryset, services.validate)

    @admin.action(description=_("Publier les évaluations sélectionnées sur la page publique"),
                  permissions=["change"])
    def publish_selected(self, request, queryset):
        self._run(request, queryset, services.publish)

    def _run(self, request, queryset, service):
        for evaluation in queryset:
            try:
                service(evaluation, by=request.user)
            except (EvaluationLocked, services.TransitionError) as exc:
                self.message_user(request, f"{evaluation} : {services.message(exc)}",
                                  messages.ERROR)
            else:
                self.message_user(request, _("%(evaluation)s : fait.") % {
                    "evaluation": evaluation}, messages.SUCCESS)


@admin.register(ReportSettings)
class ReportSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "primary_color")


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    """Read-only: publishing and withdrawing go through the services (the evaluation page or
    the action on the evaluations list)."""

    list_display = ("evaluation", "published_at", "published_by")
    list_select_related = ("evaluation", "published_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
