import pytest
from django.core.management import call_command

from posts.ingest.importing import import_text
from posts.ingest.topics import matching_topics
from posts.models import Topic


def test_a_keyword_in_the_headlines_or_three_times_in_the_text_applies_the_topic():
    rules = {1: ["台湾"], 2: ["NATO"], 3: ["中東"]}
    assert matching_topics("台湾有事", "", rules) == [1]
    assert matching_topics("", "ＮＡＴＯ nato Nato", rules) == [2]
    assert matching_topics("", "中東 中東", rules) == []


@pytest.mark.django_db
def test_the_starter_topics_are_installed():
    names = set(Topic.objects.values_list("name", flat=True))
    assert {"ウクライナ戦争", "ロシア", "中国", "台湾", "米国政治", "関税・貿易", "安全保障", "国連", "日本政治", "経済", "中東", "北朝鮮"} <= names


@pytest.mark.django_db
def test_topics_are_assigned_at_import(seed_text):
    post = import_text(seed_text, name="seed.txt").post
    assert {"ウクライナ戦争", "ロシア", "関税・貿易"} <= set(post.topics.values_list("name", flat=True))
    assert "北朝鮮" not in set(post.topics.values_list("name", flat=True))


@pytest.mark.django_db
def test_retag_reapplies_edited_rules_to_every_post(seed_text, capsys):
    post = import_text(seed_text, name="seed.txt").post
    Topic.objects.create(name="諜報", slug="諜報", keywords=["機密解除"])
    Topic.objects.filter(name="ロシア").update(keywords=["存在しない語"])
    call_command("retag")
    assert capsys.readouterr().out.strip() == "1 posts retagged, 1 changed"
    names = set(post.topics.values_list("name", flat=True))
    assert "諜報" in names and "ロシア" not in names
