from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from archive.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Until the browsing pages exist, the admin is the archive's front page.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
