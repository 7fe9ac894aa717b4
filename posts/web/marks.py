"""`{{ segments|marked }}`: text with the matched pieces in <mark>, every piece of text escaped."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

OPEN, CLOSE = mark_safe("<mark>"), mark_safe("</mark>")  # our own tags; the text between is escaped


@register.filter
def marked(segments):
    """(text, matched) segments as HTML: escaped text, matched pieces wrapped in <mark>."""
    return format_html_join("", "{}{}{}", ((OPEN, text, CLOSE) if hit else ("", text, "") for text, hit in segments))
