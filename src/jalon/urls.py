from django.contrib import admin
from django.urls import include, path

from jalon.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("public/", include("jalon.public.urls")),
    path("", include("jalon.reports.urls")),
    path("", include("jalon.web.urls")),
]
