from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/evaluations/", views.evaluation_list, name="evaluation_list"),
    path("plans/<int:pk>/report.<str:fmt>", views.report_download, {"kind": "plan"},
         name="plan_report"),
    path("plans/<int:pk>/report/", views.report_build, {"kind": "plan"},
         name="plan_report_build"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/report.<str:fmt>", views.report_download,
         {"kind": "evaluation"}, name="evaluation_report"),
    path("evaluations/<int:pk>/report/", views.report_build, {"kind": "evaluation"},
         name="evaluation_report_build"),
    path("evaluations/<int:pk>/<slug:action>/", views.evaluation_transition,
         name="evaluation_transition"),
    path("reports/files/<str:token>/", views.report_file, name="report_file"),
]
