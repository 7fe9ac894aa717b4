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


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


KNOWN_OUTLETS: tuple[Outlet, ...] = (
    # English-language outlets
    Outlet("The Gateway Pundit", ("Gateway Pundit", "ゲートウェイ・パンディット"), ("thegatewaypundit.com",)),
    Outlet("Rasmussen Reports", ("Rasmussen", "ラスムセン・レポート"), ("rasmussenreports.com",)),
    Outlet("Breitbart", ("Breitbart News", "ブライトバート"), ("breitbart.com",)),
    Outlet("Fox News", ("FOXニュース", "フォックス・ニュース"), ("foxnews.com", "foxbusiness.com")),
    Outlet("The Epoch Times", ("Epoch Times",), ("theepochtimes.com",)),
    Outlet("Washington Examiner", ("The Washington Examiner",), ("washingtonexaminer.com",)),
    Outlet("New York Post", ("NY Post", "The New York Post"), ("nypost.com",)),
    Outlet("The Daily Caller", ("Daily Caller",), ("dailycaller.com",)),
    Outlet("The Daily Wire", ("Daily Wire",), ("dailywire.com",)),
    Outlet("Newsmax", (), ("newsmax.com",)),
    Outlet("The Federalist", ("Federalist",), ("thefederalist.com",)),
    Outlet("ZeroHedge", ("Zero Hedge",), ("zerohedge.com",)),
    Outlet("National Review", (), ("nationalreview.com",)),
    Outlet("The Washington Times", ("Washington Times",), ("washingtontimes.com",)),
    Outlet("The Wall Street Journal", ("WSJ", "Wall Street Journal", "ウォール・ストリート・ジャーナル"), ("wsj.com",)),
    Outlet("The New York Times", ("NYT", "New York Times", "ニューヨーク・タイムズ"), ("nytimes.com",)),
    Outlet("The Washington Post", ("Washington Post", "ワシントン・ポスト"), ("washingtonpost.com",)),
    Outlet("Reuters", ("ロイター",), ("reuters.com",)),
    Outlet("Bloomberg", ("ブルームバーグ",), ("bloomberg.com", "bloomberg.co.jp")),
    Outlet("CNN", (), ("cnn.com", "cnn.co.jp")),
    Outlet("Politico", (), ("politico.com", "politico.eu")),
    Outlet("The Hill", (), ("thehill.com",)),
    Outlet("Newsweek", (), ("newsweek.com",)),
    Outlet("Newsweek日本版", ("ニューズウィーク日本版",), ("newsweekjapan.jp",)),
    Outlet("Financial Times", ("FT",), ("ft.com",)),
    Outlet("The Economist", ("Economist",), ("economist.com",)),
    Outlet("BBC", ("BBC News",), ("bbc.com", "bbc.co.uk")),
    Outlet("Taipei Times", (), ("taipeitimes.com",)),
    Outlet("Nikkei Asia", (), ("asia.nikkei.com",)),
    Outlet("RealClearPolitics", ("Real Clear Politics",), ("realclearpolitics.com",)),
    Outlet("American Thinker", (), ("americanthinker.com",)),
    Outlet("PJ Media", (), ("pjmedia.com",)),
    Outlet("Just the News", (), ("justthenews.com",)),
    Outlet("Washington Free Beacon", ("Free Beacon",), ("freebeacon.com",)),
    # Chinese-language outlets
    Outlet("阿波羅新聞網", ("阿波罗新闻网", "阿波羅網", "阿波罗网", "Aboluowang"), ("aboluowang.com",)),
    Outlet("大紀元", ("大纪元", "大紀元時報", "大纪元时报"), ("epochtimes.com",)),
    Outlet("大紀元日本", ("大紀元 日本",), ("epochtimes.jp",)),
    Outlet("看中國", ("看中国", "Secret China"), ("secretchina.com",)),
    Outlet("自由時報", ("自由时报", "Liberty Times"), ("ltn.com.tw",)),
    Outlet("新唐人", ("新唐人電視台", "新唐人电视台", "NTD"), ("ntdtv.com",)),
    Outlet("希望之聲", ("希望之声", "Sound of Hope"), ("soundofhope.org",)),
    Outlet("自由亞洲電台", ("自由亚洲电台", "RFA", "Radio Free Asia"), ("rfa.org",)),
    Outlet("美國之音", ("美国之音", "VOA", "Voice of America"), ("voachinese.com", "voanews.com")),
    Outlet("中央社", ("中央通訊社", "中央通讯社", "CNA"), ("cna.com.tw", "focustaiwan.tw")),
    Outlet("聯合報", ("联合报", "聯合新聞網", "联合新闻网"), ("udn.com",)),
    Outlet("德國之聲", ("德国之声", "DW"), ("dw.com",)),
    Outlet("法廣", ("法广", "RFI"), ("rfi.fr",)),
    Outlet("多維新聞", ("多维新闻",), ("dwnews.com",)),
    Outlet("環球時報", ("环球时报", "Global Times"), ("globaltimes.cn", "huanqiu.com")),
    Outlet("人民日報", ("人民日报", "人民網", "人民网"), ("people.com.cn",)),
    # Japanese outlets
    Outlet("JBプレス", ("JBpress", "JB Press"), ("jbpress.ismedia.jp",)),
    Outlet("日経", ("日本経済新聞", "日経新聞", "日経電子版"), ("nikkei.com",)),
    Outlet("産経", ("産経新聞", "産経ニュース", "産経新聞社"), ("sankei.com",)),
    Outlet("読売", ("読売新聞", "読売新聞オンライン"), ("yomiuri.co.jp",)),
    Outlet("朝日", ("朝日新聞", "朝日新聞デジタル"), ("asahi.com",)),
    Outlet("毎日", ("毎日新聞",), ("mainichi.jp",)),
    Outlet("東京新聞", (), ("tokyo-np.co.jp",)),
    Outlet("NHK", ("NHKニュース",), ("nhk.or.jp",)),
    Outlet("時事通信", ("時事", "時事ドットコム"), ("jiji.com",)),
    Outlet("共同通信", ("共同",), ("kyodonews.jp", "kyodonews.net")),
    Outlet("夕刊フジ", ("zakzak",), ("zakzak.co.jp",)),
    Outlet("ダイヤモンド・オンライン", ("ダイヤモンドオンライン", "Diamond Online"), ("diamond.jp",)),
    Outlet("東洋経済オンライン", ("東洋経済",), ("toyokeizai.net",)),
    Outlet("現代ビジネス", (), ("gendai.media", "gendai.ismedia.jp")),
    Outlet("デイリー新潮", (), ("dailyshincho.jp",)),
    Outlet("文春オンライン", ("文春",), ("bunshun.jp",)),
    Outlet("プレジデントオンライン", ("プレジデント",), ("president.jp",)),
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
