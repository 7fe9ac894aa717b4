"""The search form (posts/web/filters.py)."""

import re

import pytest
from django import forms
from django.http import QueryDict

from posts.models import Post, Source, Topic
from posts.web.filters import PostFilter, Select, SelectMultiple

pytestmark = pytest.mark.django_db


def rendered_fields(params: str) -> dict[str, str]:
    form = PostFilter(QueryDict(params), queryset=Post.objects.all()).form
    return {field.name: re.sub(r"\s+", " ", str(field)) for field in form}


def test_the_selects_write_what_djangos_own_select_writes(monkeypatch):
    Source.objects.create(name="Fox <News> & Co", slug="fox")
    Source.objects.create(name="読売新聞", slug="読売新聞")
    Topic.objects.create(name="戦争", slug="war")
    params = "source=読売新聞&topic=war&part=article&sort=old"
    ours = rendered_fields(params)
    monkeypatch.setattr(Select, "template_name", forms.Select.template_name)
    monkeypatch.setattr(SelectMultiple, "template_name", forms.SelectMultiple.template_name)
    djangos = rendered_fields(params)

    for name in ["source", "topic", "part", "sort"]:
        assert ours[name] == djangos[name]
    assert '<option value="fox">Fox &lt;News&gt; &amp; Co</option>' in ours["source"]
    assert '<option value="読売新聞" selected>読売新聞</option>' in ours["source"] and " multiple>" in ours["source"]
    assert '<option value="">すべて</option>' in ours["topic"]
    assert '<option value="old" selected>古い順</option>' in ours["sort"]
