"""`{% load paging %}`: the numbered page links of a list, `« 最初 ‹ 前 1 … 4 5 [6] 7 8 … 16 次 › 最後 »`."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def page_numbers(page: Page) -> list:
    """The numbers around `page`, the first and the last, with Paginator.ELLIPSIS for the gaps between."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """This list's URL at page `number`, every other parameter kept; the first page has no `page` at all.

        page_url(context, 1) -> "?q=台湾"   (from "?q=台湾&page=3")
        page_url(context, 4) -> "?q=台湾&page=4"
    """
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    if number != 1:
        params["page"] = number
    return f"?{params.urlencode()}" if params else request.path
