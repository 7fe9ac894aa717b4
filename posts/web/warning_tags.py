"""`{{ warning|warning_text }}`: a post's stored parse warning as people read it, in Japanese.

Loaded as `{% load warnings %}` (archive/settings.py) by the post page and the admin's import review.
"""

from django import template

from posts.ingest.warning_text import warning_text as text

register = template.Library()


@register.filter
def warning_text(stored: dict | str) -> str:
    return text(stored)
