"""The starter topics' keywords, reviewed so that a reader agrees with the topics they give (docs/topics.md).

Out: keywords that find other things. 首相 (英首相, ネタニヤフ首相), 経済 (経済制裁, 経済安全保障), bare 防衛,
軍事 and ミサイル (every war report; 中央軍事委員会), GDP (防衛費のGDP比), 大統領選 (any country's), 朝鲜 (朝鮮日報,
朝鮮半島), 共産党 (日本共産党). In: common forms (Ukrainian, キエフ, 露軍, 米露, CCP, 中華民国, 米議会, 通商,
輸出管理, 防衛費, 日米同盟, 物価, 日銀, 平壌, 拉致問題, …) and exceptions written `-中国語`: text inside them counts
for none of the topic's keywords (民主党 not in 立憲民主党, 安全保障 not in 安全保障理事会).

A topic whose keywords are still those of 0003 gets the new list; one an admin edited gets the same change
(what was taken out goes, what was added comes) and keeps the admin's own keywords. A topic renamed or deleted
is left alone. Posts keep their topics until `manage.py retag` (the migration says so when there are posts).
"""

import importlib

import django.contrib.postgres.fields
from django.db import migrations, models

OLD = importlib.import_module("posts.migrations.0003_starter_topics").STARTER_TOPICS

NEW = {
    "ウクライナ戦争": [
        "ウクライナ", "Ukraine", "Ukrainian", "烏克蘭", "ゼレンスキー", "Zelensky", "Zelenskyy", "澤倫斯基", "泽连斯基",
        "キーウ", "キエフ", "Kyiv", "Kiev", "ドンバス", "ドネツク", "クルスク",
    ],
    "ロシア": [
        "ロシア", "Russia", "Russian", "Russians", "俄羅斯", "プーチン", "Putin", "普京", "クレムリン", "Kremlin",
        "モスクワ", "Moscow", "ラブロフ", "露軍", "米露", "日露", "中露", "露朝", "-ロシアゲート", "-ロシア疑惑",
    ],
    "中国": [
        "中国", "China", "Chinese", "中共", "CCP", "中華人民共和国", "習近平", "Xi Jinping", "北京", "Beijing",
        "人民解放軍", "-中国語", "-中国地方", "-中国新聞", "-中国電力",
    ],
    "台湾": ["台湾", "Taiwan", "Taiwanese", "中華民国", "頼清徳", "蔡英文", "台北", "Taipei", "台獨", "-台湾ドル"],
    "米国政治": [
        "トランプ", "Trump", "バイデン", "Biden", "ホワイトハウス", "White House", "民主党", "共和党", "Democrats",
        "Republicans", "米大統領選", "米国大統領選", "アメリカ大統領選", "米議会", "連邦議会", "米下院", "米上院",
        "中間選挙", "ロシアゲート", "Russiagate", "ロシア疑惑", "-立憲民主党", "-国民民主党", "-自由民主党",
        "-社会民主党", "-共に民主党",
    ],
    "関税・貿易": ["関税", "tariff", "tariffs", "貿易", "通商", "輸出規制", "輸入規制", "輸出管理", "禁輸", "輸入停止", "WTO"],
    "安全保障": [
        "安全保障", "自衛隊", "防衛費", "防衛力", "防衛省", "防衛相", "防衛大臣", "防衛政策", "防衛予算", "防衛協力",
        "防衛産業", "防衛装備", "防衛施設", "ミサイル防衛", "国防費", "国防予算", "国防総省", "国防長官", "NATO", "北約",
        "日米同盟", "抑止力", "反撃能力", "軍事力", "軍事費", "軍事演習", "軍事同盟", "軍事協力", "ICBM",
        "大陸間弾道ミサイル", "-安全保障理事会", "-経済安全保障",
    ],
    "国連": ["国連", "国際連合", "United Nations", "聯合國", "安保理", "安全保障理事会", "グテレス", "Guterres"],
    "日本政治": [
        "自民党", "自由民主党", "立憲民主党", "公明党", "国民民主党", "日本維新の会", "参政党", "衆議院", "参議院", "衆院",
        "参院", "内閣", "首相官邸", "官房長官", "総裁選", "石破", "高市", "岸田", "-美國眾議院", "-美國參議院",
    ],
    "経済": [
        "景気", "経済成長", "成長率", "インフレ", "デフレ", "物価", "金利", "利上げ", "利下げ", "株価", "日経平均", "円安",
        "円高", "為替", "日銀", "FRB", "賃上げ", "最低賃金", "実質賃金", "中国経済", "日本経済", "米国経済", "世界経済",
        "ロシア経済", "economy", "inflation", "recession",
    ],
    "中東": [
        "中東", "イスラエル", "Israel", "Israeli", "以色列", "イラン", "Iran", "Iranian", "伊朗", "ガザ", "Gaza", "ハマス",
        "Hamas", "パレスチナ", "ネタニヤフ", "Netanyahu", "ヒズボラ", "フーシ", "Houthi", "Houthis", "サウジ", "シリア",
        "レバノン", "イエメン", "-シリアル", "-シリアス",
    ],
    "北朝鮮": [
        "北朝鮮", "North Korea", "North Korean", "金正恩", "金与正", "朝鮮労働党", "朝鮮中央通信", "平壌", "Pyongyang",
        "拉致問題", "拉致被害者", "-朝鮮日報",
    ],
}


def changed(current: list[str], before: list[str], after: list[str]) -> list[str]:
    """A topic's keywords moved from `before` to `after`: replaced when an admin never edited them, else the same
    change applied to the admin's list."""
    if current == before:
        return list(after)
    removed = set(before) - set(after)
    kept = [keyword for keyword in current if keyword not in removed]
    return kept + [keyword for keyword in after if keyword not in kept and keyword not in before]


def move(apps, before: dict[str, list[str]], after: dict[str, list[str]]) -> None:
    Topic, Post = apps.get_model("posts", "Topic"), apps.get_model("posts", "Post")
    updated = 0
    for topic in Topic.objects.filter(name__in=after):
        keywords = changed(topic.keywords, before[topic.name], after[topic.name])
        if keywords != topic.keywords:
            topic.keywords = keywords
            topic.save(update_fields=["keywords"])
            updated += 1
    if updated and Post.objects.exists():
        print(f"\n  {updated}件のトピックのキーワードを変えました。投稿のトピックは python manage.py retag で付け直してください"
              "(--dry-run で変わるものだけを先に見られます)。")


def forwards(apps, schema_editor):
    move(apps, OLD, NEW)


def backwards(apps, schema_editor):
    move(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("posts", "0016_quote_title_lang")]

    operations = [
        migrations.AlterField(
            model_name="topic",
            name="keywords",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=100), blank=True, default=list, size=None,
                verbose_name="キーワード",
                help_text="カンマ区切り。投稿の題名・引用の題名・論評(引用への一言を含む)に一つでもあれば、このトピックが付きます。"
                "本文(引用の本文と記事)では、1,000字あたり1回以上、かつ5回以上あるときだけ付きます。"
                "「-中国語」のように - で始まる語は例外で、その中の文字はどのキーワードにも数えません。"
                "変えたら python manage.py retag で投稿に反映します。",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
