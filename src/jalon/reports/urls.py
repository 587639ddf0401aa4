from django.urls import path

from . import views, views_jobs

urlpatterns = [
    path("plans/<int:pk>/evaluations/", views.evaluation_list, name="evaluation_list"),
    path("plans/<int:pk>/report.<str:fmt>", views.report_download, {"kind": "plan"},
         name="plan_report"),
    path("plans/<int:pk>/report/", views_jobs.report_job_start, {"kind": "plan"},
         name="plan_report_build"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/report.<str:fmt>", views.report_download,
         {"kind": "evaluation"}, name="evaluation_report"),
    path("evaluations/<int:pk>/report/", views_jobs.report_job_start, {"kind": "evaluation"},
         name="evaluation_report_build"),
    path("evaluations/<int:pk>/<slug:action>/", views.evaluation_transition,
         name="evaluation_transition"),
    path("reports/jobs/<int:pk>/", views_jobs.report_job, name="report_job"),
    path("reports/jobs/<int:pk>/progress/", views_jobs.report_job_progress,
         name="report_job_progress"),
    path("reports/jobs/<int:pk>/file/", views_jobs.report_job_file, name="report_job_file"),
]
