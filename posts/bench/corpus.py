"""A deterministic corpus of posts in the seed's format, for benchmarks. No Django: `write_corpus` writes it to files.

Words come from wordfreq's frequency lists for Japanese, Chinese and English,
drawn by their frequency: a Zipf-like mix of very common and very rare words,
so that a benchmark has frequent and rare queries alike. Post `n` of seed `s`
is the same whatever else is generated, so workers can split the work.

    >>> generate_post(3, seed=1) == generate_post(3, seed=1)
    True
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import multiprocessing
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from posts.ingest.dates import TWITTER_EPOCH_MS
from posts.ingest.outlets import KNOWN_OUTLETS

VOCABULARY_SIZE = 40_000
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = 3653  # ten years
MEAN_BYTES, SIGMA = 50_000, 0.6
MIN_BYTES, MAX_BYTES = 2_000, 100_000
SURNAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 清水 横山".split()
GIVEN = "太郎 花子 一郎 恭三 健 誠 洋子 明 弘 直樹 美穂 隆 剛 茂 真一".split()
FOOTER = "良ければ下にあります\n\nを応援クリックよろしくお願いします。"


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def rank_of(self, rng: random.Random, low: float, high: float) -> str:
        """A word whose frequency rank lies between the fractions `low` and `high` of the list."""
        return self.words[rng.randrange(int(len(self.words) * low), max(int(len(self.words) * high), 1))]


@functools.cache
def vocabulary(language: str) -> Vocabulary:
    """The language's most frequent words with their frequencies (wordfreq's data, shipped in its wheel)."""
    from wordfreq import get_frequency_dict

    keep = {"ja": _is_japanese, "zh": _is_chinese, "en": str.isalpha}[language]
    frequencies = get_frequency_dict(language)  # read from the lists: no tokenizer (MeCab) needed
    top = sorted(((f, w) for w, f in frequencies.items() if keep(w)), reverse=True)[:VOCABULARY_SIZE]
    return Vocabulary(tuple(w for _, w in top), tuple(itertools.accumulate(f for f, _ in top)))


def generate_post(n: int, seed: int = 0) -> str:
    """Post number `n` of the corpus `seed`: 2–100 KB (about 50 KB on average) in the seed's format."""
    rng = random.Random(f"{seed}:{n}")
    ja, zh, en = vocabulary("ja"), vocabulary("zh"), vocabulary("en")
    target = min(max(int(rng.lognormvariate(math.log(MEAN_BYTES) - SIGMA**2 / 2, SIGMA)), MIN_BYTES), MAX_BYTES)
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    outlets = _outlets()

    article_outlet = rng.choice([o for o in outlets if _is_japanese(o.name[-1])])
    author = rng.choice(SURNAMES) + rng.choice(GIVEN)
    title = _sentence(rng, ja, 6, 18, end="") + " " + _sentence(rng, ja, 3, 8, end="")
    article_day = published - dt.timedelta(days=1)
    parts = [f"『{title}』({_md(article_day)}{article_outlet.name} {author})について", ""]

    has_article = rng.random() < 0.85
    quote_count = rng.choices(range(11), weights=[4, 6, 9, 12, 14, 14, 12, 10, 8, 6, 5])[0]
    budget = target // 3  # about three bytes a character
    article_chars = int(budget * 0.55) if has_article else 0
    commentary_chars = max(int(budget * 0.08), 80)
    quote_chars = (budget - article_chars - commentary_chars) // max(quote_count, 1)

    for _ in range(quote_count):
        outlet = rng.choice(outlets)
        day = published - dt.timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        chinese = _is_chinese(outlet.name[0]) and not _is_japanese(outlet.name[-1])
        original = _sentence(rng, zh, 8, 20, end="") if chinese else _title_case(en.draw(rng, rng.randint(6, 14)))
        translation = _sentence(rng, ja, 8, 24, end="")
        header = f"{_md(day)}{outlet.name}<{original}={translation}>"
        body = _text(rng, ja, en, max(quote_chars, 60))
        if rng.random() < 0.3:
            header, body = header + body[:80], body[80:]
        links = [f"https://www.{rng.choice(outlet.domains)}/{day:%Y/%m/%d}/{rng.randrange(10**6, 10**7)}.html"]
        if rng.random() < 0.35:
            links.insert(0, f"https://x.com/i/status/{_status_id(rng, day)}")
        parts += [header, body.strip(), "", *itertools.chain.from_iterable((link, "") for link in links)]
        if rng.random() < 0.25:
            parts += ["→" + _sentence(rng, ja, 6, 20), ""]

    parts += [_text(rng, ja, en, commentary_chars).strip(), ""]
    if has_article:
        parts += ["記事", "", _text(rng, ja, en, article_chars).strip(), ""]
    parts.append(FOOTER)
    return "\n".join(parts) + "\n"


def query_words(seed: int = 0) -> dict[str, list[str]]:
    """Search words for each query class, drawn from the same vocabularies as the corpus."""
    rng = random.Random(f"queries:{seed}")
    ja, zh, en = vocabulary("ja"), vocabulary("zh"), vocabulary("en")
    kanji = [w for w in ja.words[:3000] if len(w) == 1 and _is_han(w)]
    two_common = [w for w in ja.words[:400] if len(w) == 2 and all(map(_is_han, w))]
    two_rare = [w for w in ja.words[8000:30000] if len(w) == 2 and all(map(_is_han, w))]
    long_words = [w for w in ja.words[200:6000] if len(w) >= 4 and all(map(_is_japanese, w))]
    chinese = [w for w in zh.words[500:20000] if len(w) >= 2 and all(map(_is_han, w))]
    english = [w for w in en.words[300:8000] if len(w) >= 5]
    return {
        "kanji": rng.sample(kanji, 5),
        "common_2char": rng.sample(two_common, 5),
        "rare_2char": rng.sample(two_rare, 5),
        "phrase_4plus": rng.sample(long_words, 5),
        "english": rng.sample(english, 5),
        "chinese": rng.sample(chinese, 5),
    }


@functools.cache
def _outlets():
    english = [o for o in KNOWN_OUTLETS if o.name.isascii()][:15]
    chinese = [o for o in KNOWN_OUTLETS if not o.name.isascii() and not any(map(_is_kana, o.name))][:12]
    japanese = [o for o in KNOWN_OUTLETS if any(map(_is_kana, o.name)) or o.name in ("日経", "産経", "読売", "朝日", "毎日", "東京新聞")][:13]
    return tuple(english + chinese + japanese)


def _text(rng: random.Random, ja: Vocabulary, en: Vocabulary, chars: int) -> str:
    """Japanese paragraphs of about `chars` characters, with some English words and numbers in them."""
    paragraphs, length = [], 0
    while length < chars:
        sentences = [_sentence(rng, ja, 10, 40, en=en) for _ in range(rng.randint(1, 5))]
        paragraph = "".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "\n\n".join(paragraphs)


def _sentence(rng, vocab: Vocabulary, low: int, high: int, end: str = "。", en: Vocabulary | None = None) -> str:
    words = vocab.draw(rng, rng.randint(low, high))
    if en is not None and rng.random() < 0.2:
        words[rng.randrange(len(words))] = rng.choice((en.draw(rng, 1)[0], f"{rng.randrange(1, 2030)}年"))
    return "".join(words) + end


def _title_case(words: list[str]) -> str:
    return " ".join(w.capitalize() if i == 0 or len(w) > 3 else w for i, w in enumerate(words))


def _md(day: dt.date) -> str:
    return f"{day.month}/{day.day}"


def _status_id(rng: random.Random, day: dt.date) -> int:
    moment = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), dt.timezone.utc)
    milliseconds = int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS
    return (milliseconds << 22) | rng.randrange(1 << 22)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _is_kana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u30ff" and ch != "・"


def _is_japanese(word: str) -> bool:
    return bool(word) and all(_is_han(ch) or _is_kana(ch) for ch in word)


def _is_chinese(word: str) -> bool:
    return bool(word) and all(map(_is_han, word))


def write_corpus(out: Path, posts: int, seed: int = 0, jobs: int = 1) -> int:
    """Write the corpus; return its size in bytes. Files already there with the right size are kept."""
    out.mkdir(parents=True, exist_ok=True)
    tasks = [(out, n, seed) for n in range(posts)]
    context = multiprocessing.get_context("spawn")
    with tqdm(total=posts, unit="post", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        if jobs <= 1:
            sizes = [_write(task) for task in tasks]
        else:
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                sizes = []
                for size in pool.map(_write, tasks, chunksize=64):
                    sizes.append(size)
                    bar.update()
    return sum(sizes)


def _write(task) -> int:
    out, n, seed = task
    data = generate_post(n, seed).encode("utf-8")
    path = out / f"{n:06d}.txt"
    if not path.exists() or path.stat().st_size != len(data):
        path.write_bytes(data)
    return len(data)
