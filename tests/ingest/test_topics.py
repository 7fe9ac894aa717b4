import importlib

import pytest
from django.core.management import call_command

from posts.ingest.importing import import_text
from posts.ingest.tagging import retag, topic_reasons
from posts.ingest.topics import DENSITY, MIN_MENTIONS, PostText, findings, keywords_and_exceptions, matching_topics
from posts.models import Post, Topic
from tests.conftest import post_quoting

RULES = {1: ["台湾", "Taiwan", "台湾海峡"], 2: ["NATO"], 3: ["中国", "-中国語"], 4: ["民主党", "-立憲民主党"]}
FILLER = "記事の本文です。" * 125  # 1,000 characters that mention no topic


# The rules (pure) --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    PostText(title="台湾有事を考える"),
    PostText(quote_titles=("Taiwan drills", "周辺で演習")),
    PostText(commentary="台湾の人たちは冷静だが、日本も他人事ではない。"),
    PostText(remarks=("→台湾の人は冷静だ。",)),
])
def test_a_keyword_once_in_a_headline_gives_the_topic(text):
    assert matching_topics(text, RULES) == [1]


def test_the_body_gives_a_topic_only_when_its_keywords_are_frequent_for_its_length():
    five_in_a_thousand = PostText(bodies=("台湾。" * 5, FILLER))
    five_in_ten_thousand = PostText(bodies=("台湾。" * 5, FILLER * 10))
    four_in_a_hundred = PostText(bodies=("台湾について。" * 4 + "本文。" * 20,))
    assert matching_topics(five_in_a_thousand, RULES) == [1]
    assert matching_topics(five_in_ten_thousand, RULES) == []  # 0.5 mentions per 1,000 characters: in passing
    assert matching_topics(four_in_a_hundred, RULES) == []  # dense, but too few to be about it
    assert (DENSITY, MIN_MENTIONS) == (1.0, 5)


def test_an_exception_keeps_its_text_from_every_keyword_of_the_topic():
    assert matching_topics(PostText(commentary="上の中国語の記事のように"), RULES) == []
    assert matching_topics(PostText(commentary="中国語の記事によれば中国は"), RULES) == [3]
    assert matching_topics(PostText(title="立憲民主党の代表選"), RULES) == []
    assert matching_topics(PostText(title="米民主党の予備選"), RULES) == [4]


def test_keywords_match_folded_and_words_in_latin_script_only_whole():
    assert matching_topics(PostText(title="ＮＡＴＯ首脳会議"), RULES) == [2]
    assert matching_topics(PostText(title="臺灣海峽"), RULES) == [1]
    assert matching_topics(PostText(title="Senators from Taiwanese-American groups"), RULES) == []
    assert matching_topics(PostText(title="Taiwan's defense"), RULES) == [1]


def test_a_topics_exceptions_are_told_apart_from_its_keywords_as_written():
    assert keywords_and_exceptions(["中国", " China ", "－中国語", "-", ""]) == (["中国", "China"], ["中国語"])


def test_a_stretch_of_text_counts_once_however_many_keywords_it_matches():
    found = findings(PostText(bodies=("台湾海峡の緊張。" * 5,)), RULES)[1]
    assert found.body.mentions == 5
    assert found.reasons == (found.body,)


def test_the_findings_say_which_keyword_gave_the_topic_and_where():
    text = PostText(title="中国軍の演習", quote_titles=("Taiwan drills",), commentary="台湾、台湾。",
                    bodies=("台湾の演習。" * 2, FILLER))
    found = findings(text, RULES)
    assert [str(reason) for reason in found[1].reasons] == ["引用の題名に「Taiwan」", "論評に「台湾」2回"]
    assert str(found[1].body) == "本文の頻度: 「台湾」2回 計2回/1,012字(1,000字あたり2.0回)"
    assert found[1].applies and found[3].applies and 2 not in found


# Tagging stored posts ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_starter_topics_are_installed_with_the_reviewed_keywords():
    keywords = dict(Topic.objects.values_list("name", "keywords"))
    assert {"ウクライナ戦争", "ロシア", "中国", "台湾", "米国政治", "関税・貿易", "安全保障", "国連", "日本政治", "経済", "中東", "北朝鮮"} <= set(keywords)
    assert "首相" not in keywords["日本政治"] and "経済" not in keywords["経済"] and "朝鲜" not in keywords["北朝鮮"]
    assert "-中国語" in keywords["中国"] and "-立憲民主党" in keywords["米国政治"]


@pytest.mark.django_db
def test_the_seed_post_gets_the_topics_a_reader_would_give_it(seed_text):
    post = import_text(seed_text, name="seed.txt").post
    # Not 台湾 (4 mentions in 18,000 characters of quoted and reprinted articles), 中東 (7) or 経済 (経済制裁).
    assert set(post.topics.values_list("name", flat=True)) == {
        "ウクライナ戦争", "ロシア", "中国", "米国政治", "関税・貿易", "安全保障", "国連",
    }


@pytest.mark.django_db
def test_a_posts_topic_reasons_name_the_keyword_and_where_it_was_found(seed_text):
    post = import_text(seed_text, name="seed.txt").post
    lines = topic_reasons(post)
    assert "中国: 題名に「中国」、引用の題名に「中共」2回" in lines
    assert any(line.startswith("国連: 論評に「国連」、本文の頻度: 「国連」12回") for line in lines)
    assert any(line.startswith("台湾(付いていません): 本文の頻度: 「台湾」3回、「Taiwan」 計4回/") for line in lines)


@pytest.mark.django_db
def test_retag_reports_the_posts_whose_topics_changed_and_each_topics_gains_and_losses(seed_text, capsys):
    post = import_text(seed_text, name="seed.txt").post
    import_text(post_quoting("別の投稿", [("Reuters", "本文。")], commentary="中東の話。"), name="other.txt")
    Topic.objects.create(name="諜報", slug="諜報", keywords=["スティール文書"])
    Topic.objects.filter(name="ロシア").update(keywords=["存在しない語"])
    capsys.readouterr()
    call_command("retag")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"post {post.pk} 『{post.title[:40]}』 +諜報 -ロシア",
        "ロシア: +0 -1",
        "諜報: +1 -0",
        "2 posts retagged, 1 changed",
    ]
    names = set(post.topics.values_list("name", flat=True))
    assert "諜報" in names and "ロシア" not in names


@pytest.mark.django_db
def test_retag_dry_run_reports_what_would_change_and_writes_nothing(seed_text, capsys):
    post = import_text(seed_text, name="seed.txt").post
    Topic.objects.filter(name="台湾").update(keywords=["ウクライナ"])
    capsys.readouterr()
    call_command("retag", "--dry-run")
    assert capsys.readouterr().out.splitlines()[-2:] == ["台湾: +1 -0", "1 posts read, 1 would change (dry run: nothing written)"]
    assert "台湾" not in set(post.topics.values_list("name", flat=True))


@pytest.mark.django_db
def test_retag_keeps_the_topics_an_admin_set(seed_text):
    post = import_text(seed_text, name="seed.txt").post
    post.topics.set(Topic.objects.filter(name="北朝鮮"))
    post.record_corrections(["topics"])
    post.save()
    assert retag(Post.objects.get(pk=post.pk), Topic.objects.rules()) is None
    assert list(post.topics.values_list("name", flat=True)) == ["北朝鮮"]
    assert topic_reasons(post)[:2] == ["トピックは管理者が設定したものです(取り込み直しても変わりません)。",
                                       "北朝鮮: 管理者が付けました(規則では付きません)"]


def test_the_admins_help_for_keywords_states_the_rule_the_code_applies():
    help_text = Topic._meta.get_field("keywords").help_text
    assert f"1,000字あたり{DENSITY:g}回以上、かつ{MIN_MENTIONS}回以上" in help_text


# Migration 0016: the reviewed starter keywords ---------------------------------------------------------------

MIGRATION = importlib.import_module("posts.migrations.0017_starter_topic_keywords")


def test_the_keyword_migration_replaces_an_unedited_list_and_applies_its_change_to_an_edited_one():
    before, after = ["経済", "景気", "GDP"], ["景気", "物価", "-GDP比"]
    assert MIGRATION.changed(before, before, after) == after
    # The admin added 日銀 and took out 景気: the first stays, the second is not put back; 経済 goes, 物価 comes.
    assert MIGRATION.changed(["経済", "GDP", "日銀"], before, after) == ["日銀", "物価", "-GDP比"]
    assert MIGRATION.changed(after, after, before) == before  # and back
