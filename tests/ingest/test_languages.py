import pytest

from posts.ingest.languages import title_language
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
