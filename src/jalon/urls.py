from django.contrib import admin
from django.urls import include, path

from jalon.api.api import api
from jalon.web import site

urlpatterns = [
    path("favicon.ico", site.favicon, name="favicon"),
    path("manifest.webmanifest", site.manifest, name="webmanifest"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("public/", include("jalon.public.urls")),
    path("", include("jalon.accounts.urls")),
    path("", include("jalon.reports.urls")),
    path("", include("jalon.web.urls")),
]
