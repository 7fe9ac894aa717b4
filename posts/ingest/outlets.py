"""Outlets (news sources) and how their names are recognised. Pure Python.

Posts spell the same outlet several ways (`JBプレス` / `JBpress`,
`阿波羅新聞網` / `阿波罗新闻网`). An `OutletDirectory` maps every spelling and web
domain to one canonical name. `KNOWN_OUTLETS` is the built-in starting set; the
database's `Source` rows (editable in the admin) extend and override it.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# What kind of outlet a source is (the values of posts.models.Source.Kind).
NEWS, X_ACCOUNT, JAPANESE, OTHER = "news", "x", "japanese", "other"


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    language: str = ""  # ja, en, zh, other; "" when not known
    region: str = ""  # where it publishes from, in Japanese: 米国, 台湾, …
    kind: str = OTHER


def _en(name: str, aliases=(), domains=(), region: str = "米国") -> Outlet:
    return Outlet(name, aliases, domains, "en", region, NEWS)


def _zh(name: str, aliases=(), domains=(), region: str = "米国") -> Outlet:
    return Outlet(name, aliases, domains, "zh", region, NEWS)


def _ja(name: str, aliases=(), domains=(), region: str = "日本") -> Outlet:
    return Outlet(name, aliases, domains, "ja", region, JAPANESE)


KNOWN_OUTLETS: tuple[Outlet, ...] = (
    # English-language outlets
    _en("The Gateway Pundit", ("Gateway Pundit", "ゲートウェイ・パンディット"), ("thegatewaypundit.com",)),
    _en("Rasmussen Reports", ("Rasmussen", "ラスムセン・レポート"), ("rasmussenreports.com",)),
    _en("Breitbart", ("Breitbart News", "ブライトバート"), ("breitbart.com",)),
    _en("Fox News", ("FOXニュース", "フォックス・ニュース"), ("foxnews.com", "foxbusiness.com")),
    _en("The Epoch Times", ("Epoch Times",), ("theepochtimes.com",)),
    _en("Washington Examiner", ("The Washington Examiner",), ("washingtonexaminer.com",)),
    _en("New York Post", ("NY Post", "The New York Post"), ("nypost.com",)),
    _en("The Daily Caller", ("Daily Caller",), ("dailycaller.com",)),
    _en("The Daily Wire", ("Daily Wire",), ("dailywire.com",)),
    _en("Newsmax", (), ("newsmax.com",)),
    _en("The Federalist", ("Federalist",), ("thefederalist.com",)),
    _en("ZeroHedge", ("Zero Hedge",), ("zerohedge.com",)),
    _en("National Review", (), ("nationalreview.com",)),
    _en("The Washington Times", ("Washington Times",), ("washingtontimes.com",)),
    _en("The Wall Street Journal", ("WSJ", "Wall Street Journal", "ウォール・ストリート・ジャーナル"), ("wsj.com",)),
    _en("The New York Times", ("NYT", "New York Times", "ニューヨーク・タイムズ"), ("nytimes.com",)),
    _en("The Washington Post", ("Washington Post", "ワシントン・ポスト"), ("washingtonpost.com",)),
    _en("Reuters", ("ロイター",), ("reuters.com",), region="英国"),
    _en("Bloomberg", ("ブルームバーグ",), ("bloomberg.com", "bloomberg.co.jp")),
    _en("CNN", (), ("cnn.com", "cnn.co.jp")),
    _en("Politico", (), ("politico.com", "politico.eu")),
    _en("The Hill", (), ("thehill.com",)),
    _en("Newsweek", (), ("newsweek.com",)),
    _ja("Newsweek日本版", ("ニューズウィーク日本版",), ("newsweekjapan.jp",)),
    _en("Financial Times", ("FT",), ("ft.com",), region="英国"),
    _en("The Economist", ("Economist",), ("economist.com",), region="英国"),
    _en("BBC", ("BBC News",), ("bbc.com", "bbc.co.uk"), region="英国"),
    _en("Taipei Times", (), ("taipeitimes.com",), region="台湾"),
    _en("Nikkei Asia", (), ("asia.nikkei.com",), region="日本"),
    _en("RealClearPolitics", ("Real Clear Politics",), ("realclearpolitics.com",)),
    _en("American Thinker", (), ("americanthinker.com",)),
    _en("PJ Media", (), ("pjmedia.com",)),
    _en("Just the News", (), ("justthenews.com",)),
    _en("Washington Free Beacon", ("Free Beacon",), ("freebeacon.com",)),
    # Chinese-language outlets
    _zh("阿波羅新聞網", ("阿波罗新闻网", "阿波羅網", "阿波罗网", "Aboluowang"), ("aboluowang.com",)),
    _zh("大紀元", ("大纪元", "大紀元時報", "大纪元时报"), ("epochtimes.com",)),
    _ja("大紀元日本", ("大紀元 日本",), ("epochtimes.jp",)),
    _zh("看中國", ("看中国", "Secret China"), ("secretchina.com",)),
    _zh("自由時報", ("自由时报", "Liberty Times"), ("ltn.com.tw",), region="台湾"),
    _zh("新唐人", ("新唐人電視台", "新唐人电视台", "NTD"), ("ntdtv.com",)),
    _zh("希望之聲", ("希望之声", "Sound of Hope"), ("soundofhope.org",)),
    _zh("自由亞洲電台", ("自由亚洲电台", "RFA", "Radio Free Asia"), ("rfa.org",)),
    _zh("美國之音", ("美国之音", "VOA", "Voice of America"), ("voachinese.com", "voanews.com")),
    _zh("中央社", ("中央通訊社", "中央通讯社", "CNA"), ("cna.com.tw", "focustaiwan.tw"), region="台湾"),
    _zh("聯合報", ("联合报", "聯合新聞網", "联合新闻网"), ("udn.com",), region="台湾"),
    _zh("德國之聲", ("德国之声", "DW"), ("dw.com",), region="ドイツ"),
    _zh("法廣", ("法广", "RFI"), ("rfi.fr",), region="フランス"),
    _zh("多維新聞", ("多维新闻",), ("dwnews.com",)),
    _zh("環球時報", ("环球时报", "Global Times"), ("globaltimes.cn", "huanqiu.com"), region="中国"),
    _zh("人民日報", ("人民日报", "人民網", "人民网"), ("people.com.cn",), region="中国"),
    # Japanese outlets
    _ja("JBプレス", ("JBpress", "JB Press"), ("jbpress.ismedia.jp",)),
    _ja("日経", ("日本経済新聞", "日経新聞", "日経電子版"), ("nikkei.com",)),
    _ja("産経", ("産経新聞", "産経ニュース", "産経新聞社"), ("sankei.com",)),
    _ja("読売", ("読売新聞", "読売新聞オンライン"), ("yomiuri.co.jp",)),
    _ja("朝日", ("朝日新聞", "朝日新聞デジタル"), ("asahi.com",)),
    _ja("毎日", ("毎日新聞",), ("mainichi.jp",)),
    _ja("東京新聞", (), ("tokyo-np.co.jp",)),
    _ja("NHK", ("NHKニュース",), ("nhk.or.jp",)),
    _ja("時事通信", ("時事", "時事ドットコム"), ("jiji.com",)),
    _ja("共同通信", ("共同",), ("kyodonews.jp", "kyodonews.net")),
    _ja("夕刊フジ", ("zakzak",), ("zakzak.co.jp",)),
    _ja("ダイヤモンド・オンライン", ("ダイヤモンドオンライン", "Diamond Online"), ("diamond.jp",)),
    _ja("東洋経済オンライン", ("東洋経済",), ("toyokeizai.net",)),
    _ja("現代ビジネス", (), ("gendai.media", "gendai.ismedia.jp")),
    _ja("デイリー新潮", (), ("dailyshincho.jp",)),
    _ja("文春オンライン", ("文春",), ("bunshun.jp",)),
    _ja("プレジデントオンライン", ("プレジデント",), ("president.jp",)),
)

MAX_NAME_LENGTH = 100  # no outlet's name is longer

# Sites that carry posts from every outlet: a link there says nothing about the source.
SOCIAL_DOMAINS = frozenset({"twitter.com", "x.com", "t.co", "youtube.com", "youtu.be", "facebook.com"})


@functools.lru_cache(maxsize=8192)  # the same few hundred spellings, for every post an import reads
def name_key(name: str) -> str:
    """Comparison key for outlet spellings: NFKC, case-folded, without spaces or punctuation.

    >>> name_key("ＪＢ Press") == name_key("jbpress")
    True
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZS")


def url_host(url: str) -> str:
    """The lower-case host of `url` without a leading `www.`; '' when there is none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


class OutletDirectory:
    """Every known spelling and domain of every outlet, resolved to a canonical name."""

    def __init__(self, outlets: Iterable[Outlet]):
        self._by_key: dict[str, str] = {}
        self._by_domain: dict[str, str] = {}
        for outlet in outlets:
            # First one wins: callers put their authoritative entries first.
            for spelling in (outlet.name, *outlet.aliases):
                key = name_key(spelling)
                if key:
                    self._by_key.setdefault(key, outlet.name)
            for domain in outlet.domains:
                domain = domain.strip().lower().removeprefix("www.")
                if domain:
                    self._by_domain.setdefault(domain, outlet.name)

    def by_name(self, written: str) -> str | None:
        return self._by_key.get(name_key(written))

    def by_url(self, url: str) -> str | None:
        """The outlet whose domain is the longest suffix of the URL's host."""
        labels = url_host(url).split(".")
        for i in range(len(labels)):
            name = self._by_domain.get(".".join(labels[i:]))
            if name:
                return name
        return None

    def find(self, written: str) -> str | None:
        """The outlet a reader means: a spelling of its name, or a web domain (`aboluowang.com`, `www.cnn.com`)."""
        written = written.strip()
        return self.by_name(written) or (self.by_url(f"//{written}") if "." in written else None)

    def resolve(self, written: str, urls: Iterable[str] = ()) -> str | None:
        """Canonical name for an outlet written as `written`, helped by its links' domains."""
        found = self.by_name(written) if written.strip() else None
        if found:
            return found
        for url in urls:
            if url_host(url) not in SOCIAL_DOMAINS:
                found = self.by_url(url)
                if found:
                    return found
        return None

    def split_known_prefix(self, text: str) -> tuple[str, str] | None:
        """Split `text` into (known outlet, author), or None when no known outlet starts it.

        Outlet names may hold spaces, so the split is tried at each space from the
        right; only text without spaces is split where the script changes
        (`JBプレス横山恭三`), so that `日経ビジネス 山田` is not read as 日経.

        >>> KNOWN.split_known_prefix("JBプレス 横山恭三")
        ('JBプレス', '横山恭三')
        """
        text = text.strip()
        whole = self.by_name(text)
        if whole:
            return whole, ""
        spaces = [i for i, ch in enumerate(text[: MAX_NAME_LENGTH + 1]) if ch.isspace()]
        for end in reversed(spaces):
            canonical = self.by_name(text[:end])
            if canonical:
                return canonical, text[end:].strip()
        if spaces:
            return None
        for end in range(min(len(text) - 1, MAX_NAME_LENGTH), 0, -1):
            canonical = self.by_name(text[:end])
            if canonical and _script(text[end - 1]) != _script(text[end]):
                return canonical, text[end:]
        return None


def _script(ch: str) -> str:
    """A coarse script class, to tell where an outlet name ends and a name begins."""
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "DIGIT", "HIRAGANA", "KATAKANA", "CJK", "HANGUL"):
        if script in name:
            return script
    return "OTHER"


KNOWN = OutletDirectory(KNOWN_OUTLETS)
