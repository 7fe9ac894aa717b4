"""The clean URL of a submitted form: a GET form sends every field, the empty ones too (`?q=台湾&part=&sort=new`);
the view answers such a URL with a redirect to the same search without them (`?q=台湾`).

A redirect, not a script that strips the fields before they are sent: it works without JavaScript, and for
URLs written by hand or by other sites the same way as for the form.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpResponseRedirect, QueryDict


def without_defaults(params: QueryDict, defaults: dict[str, str]) -> QueryDict:
    """`params` without empty values and without the values a view takes when none is given.

        without_defaults(QueryDict("q=台湾&part=&sort=new"), {"sort": "new"}) -> QueryDict("q=台湾")
    """
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        wanted = [value for value in values if value != "" and value != defaults.get(name)]
        if wanted:
            kept.setlist(name, wanted)
    return kept


def clean_query(**defaults: str):
    """A view whose URL leaves out empty parameters and `defaults` (`@clean_query(sort="new")`): a request that
    has them is redirected (302) to the URL without them, before the view does any work."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            kept = without_defaults(request.GET, defaults)
            if kept != request.GET:
                return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
