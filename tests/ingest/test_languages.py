import pytest

from posts.ingest.languages import title_language, title_tag
from posts.models import Language


@pytest.mark.parametrize(
    "title, lang",
    [
        ("関税の行方", "ja"),
        ("ｶﾀｶﾅの見出し", "ja"),
        ("周晓辉:FBI在新西兰设办事处 中共为何不满", "zh"),
        ("臺灣新聞", "zh"),
        ("CIA Director John Ratcliffe", "en"),
        ("Tariffs & Taiwan: 周晓辉", "en"),
        ("Café politics", "en"),
        ("Élections à Paris", "other"),
        ("한국 뉴스", "other"),
        ("Россия", "other"),
        ("2025", "other"),
        ("", "other"),
    ],
)
def test_the_original_titles_language_comes_from_its_scripts(title, lang):
    assert title_language(title) == lang


def test_every_language_read_is_a_quote_language():
    read = {title_language(t) for t in ("あ", "中", "a", "")}
    assert read == set(Language.values)


@pytest.mark.parametrize(
    "title, outlet_language, tag",
    [
        ("CIA Director John Ratcliffe", "", "en"),
        ("関税の行方", "", "ja"),
        ("周晓辉:FBI在新西兰设办事处 中共为何不满", "zh", "zh-Hans"),
        ("川普關稅戰升級 臺灣經濟受衝擊", "zh", "zh-Hant"),
        ("日米首脳会談", "ja", "ja"),  # Han only, from an outlet that writes in Japanese
        ("日米首脳会談", "", "zh"),  # the scripts alone cannot tell
        ("미국 관세 인상", "", "ko"),
        ("Россия и Китай", "", "ru"),
        ("Україна і Росія", "", "uk"),
        ("Élections à Paris", "", "und"),
        ("2025", "", ""),
    ],
)
def test_the_lang_tag_says_which_chinese_and_which_other_script(title, outlet_language, tag):
    assert title_tag(title, outlet_language) == tag


def test_a_han_title_from_a_japanese_outlet_is_japanese():
    assert title_language("日米首脳会談", "ja") == "ja" and title_language("日米首脳会談", "zh") == "zh"
