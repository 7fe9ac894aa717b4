"""What a site answers besides its pages: /robots.txt for crawlers, /favicon.ico for browsers that ask for it."""

from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400)
def robots_txt(request):
    """Crawlers: the pages and feeds, not the admin, the exports or the searches (which the rate limit would
    refuse), and the sitemap."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap": sitemap}, content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400)
def favicon(request):
    """The icon of templates/base.html's <link rel="icon">, for clients that ask /favicon.ico (temporary: the
    static file's name changes with its content)."""
    return redirect(static("img/favicon.svg"))
