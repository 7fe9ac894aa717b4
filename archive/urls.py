from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the browsing pages exist, the admin is the archive's front page.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
