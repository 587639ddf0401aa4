from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("catalog.json", views.public_catalog, name="public_catalog"),
    path("<slug:org>/<int:pk>/", views.public_plan, name="public_plan"),
    path("<slug:org>/<int:pk>/data.csv", views.public_data_csv, name="public_data_csv"),
    path("<slug:org>/<int:pk>/data.json", views.public_data_json, name="public_data_json"),
]
