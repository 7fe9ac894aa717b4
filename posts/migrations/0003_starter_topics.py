"""The starter set of topics for this blog, with their keyword rules (editable in the admin)."""

from django.db import migrations
from django.utils.text import slugify

STARTER_TOPICS = {
    "ウクライナ戦争": ["ウクライナ", "Ukraine", "乌克兰", "烏克蘭", "ゼレンスキー", "Zelensky", "キーウ"],
    "ロシア": ["ロシア", "プーチン", "Russia", "Putin", "俄罗斯", "俄羅斯", "普京", "クレムリン"],
    "中国": ["中国", "中共", "習近平", "习近平", "China", "Chinese", "北京", "共産党"],
    "台湾": ["台湾", "台灣", "Taiwan", "頼清徳", "賴清德", "赖清德"],
    "米国政治": ["トランプ", "Trump", "バイデン", "Biden", "民主党", "共和党", "ホワイトハウス", "White House", "大統領選"],
    "関税・貿易": ["関税", "关税", "關稅", "tariff", "貿易", "贸易", "輸出規制"],
    "安全保障": ["安全保障", "防衛", "自衛隊", "NATO", "ミサイル", "軍事", "defense"],
    "国連": ["国連", "United Nations", "联合国", "聯合國", "安保理", "安全保障理事会"],
    "日本政治": ["自民党", "首相", "衆議院", "参議院", "衆院", "参院", "内閣", "立憲民主党", "公明党", "石破", "高市"],
    "経済": ["経済", "景気", "インフレ", "金利", "株価", "GDP", "economy", "円安", "為替"],
    "中東": ["中東", "イスラエル", "Israel", "イラン", "Iran", "ガザ", "Gaza", "ハマス", "Hamas"],
    "北朝鮮": ["北朝鮮", "North Korea", "金正恩", "朝鮮労働党", "朝鲜"],
}


def add_topics(apps, schema_editor):
    Topic = apps.get_model("posts", "Topic")
    for name, keywords in STARTER_TOPICS.items():
        Topic.objects.get_or_create(
            name=name, defaults={"slug": slugify(name, allow_unicode=True), "keywords": keywords}
        )


def remove_topics(apps, schema_editor):
    apps.get_model("posts", "Topic").objects.filter(name__in=STARTER_TOPICS).delete()


class Migration(migrations.Migration):
    dependencies = [("posts", "0002_search_passages_and_topic_rules")]

    operations = [migrations.RunPython(add_topics, remove_topics)]
