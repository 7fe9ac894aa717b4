"""The site's URLs plus one view that fails, to see what a visitor gets from a server error."""

from django.urls import path

from archive.urls import urlpatterns as site


def fail(request):
    raise RuntimeError("a bug the visitor must not see: SECRET-DETAIL")


urlpatterns = [path("fail/", fail), *site]
