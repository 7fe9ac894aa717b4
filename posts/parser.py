"""Read a commentary post (see post-format.md) into dataclasses. Pure Python.

`parse_post(text)` never raises: whatever it cannot read becomes a warning with
a line number, and every piece of text lands in some part of the result.

    >>> post = parse_post("『題』(8/4日経 山田)について\\n\\n本文")
    >>> post.article.outlet, post.commentary
    ('日経', '本文')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from posts import dates
from posts.dates import MonthDay
from posts.outlets import KNOWN, OutletDirectory

MAX_OUTLET_LENGTH = 60
_SPACE = r" \t\u3000"
_SP = f"[{_SPACE}]"
# M/D with an optional year; 日 closes a day only in the 8月4日 form (8/4日経 is 8/4 + 日経).
_DATE = r"(?:(?P<year>\d{4})[/／.年])?(?P<month>\d{1,2})[/／月](?P<day>\d{1,2})(?:(?<=月\d)日|(?<=月\d\d)日)?"
TITLE_RE = re.compile(rf"^{_SP}*『(?P<title>.*)』{_SP}*[(（](?P<meta>[^()（）]*)[)）]{_SP}*(?P<suffix>について)?{_SP}*$")
LOOSE_TITLE_RE = re.compile(rf"^{_SP}*(?P<title>.*?){_SP}*[(（](?P<meta>{_DATE}[^()（）]*)[)）]{_SP}*(?P<suffix>について)?{_SP}*$")
META_RE = re.compile(rf"^{_SP}*{_DATE}{_SP}*(?P<rest>.*?){_SP}*$")
HEADER_RE = re.compile(rf"^{_SP}*{_DATE}{_SP}*(?P<outlet>[^<>＜＞\d{_SPACE}][^<>＜＞。、]{{0,{MAX_OUTLET_LENGTH - 1}}}?|){_SP}*[<＜](?P<rest>.*)$")
URL_RE = re.compile(r"https?://[!-~]+")
URL_LINE_RE = re.compile(rf"^{_SP}*https?://[!-~]+{_SP}*$")
ARTICLE_MARKER = "記事"
FOOTER_RE = re.compile(r"良ければ下に|よろしければ下に|応援クリック")
REMARK_START = ("→", "⇒", "=>", "->")
OPEN, CLOSE, EQUALS = "<＜", ">＞", "=＝"
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\uff66-\uff9f]")  # not ・


@dataclass(frozen=True)
class ParseWarning:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class ArticleRef:
    date: dt.date | None
    outlet: str
    author: str


@dataclass(frozen=True)
class ParsedQuote:
    line: int
    date: dt.date | None
    outlet: str  # canonical name
    outlet_as_written: str
    original_title: str
    title: str  # the Japanese translation; "" when the header gives none
    body: str
    remark: str
    links: tuple[str, ...]


@dataclass(frozen=True)
class ParsedPost:
    title: str
    article: ArticleRef
    published_on: dt.date
    quotes: tuple[ParsedQuote, ...]
    commentary: str
    article_body: str
    links: tuple[str, ...]
    warnings: tuple[ParseWarning, ...]
    footer: str = ""  # boilerplate at the end: kept here, out of the article

    def to_dict(self) -> dict:
        """The parsed form of post-format.md (without "file")."""
        return {
            "title": self.title,
            "article": {
                "date": _iso(self.article.date),
                "outlet": self.article.outlet,
                "author": self.article.author,
            },
            "published_on": _iso(self.published_on),
            "quotes": [
                {
                    "date": _iso(q.date),
                    "outlet": q.outlet,
                    "original_title": q.original_title,
                    "title": q.title,
                    "body": q.body,
                    "remark": q.remark,
                    "links": list(q.links),
                }
                for q in self.quotes
            ],
            "commentary": self.commentary,
            "article_body": self.article_body,
            "links": list(self.links),
            "warnings": [str(w) for w in self.warnings],
        }


def parse_post(text: str, *, outlets: OutletDirectory = KNOWN, today: dt.date | None = None) -> ParsedPost:
    """Parse one decoded post. `today` stands in for the year when the post gives no evidence."""
    return _Parser(text, outlets, today or dt.date.today()).parse()


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _join(lines: list[str]) -> str:
    """Lines as one text without leading or trailing blank lines."""
    return "\n".join(lines).strip("\n").strip()


@dataclass
class _Header:
    index: int  # 0-based line index
    written_date: MonthDay | None
    outlet: str
    original_title: str
    title: str
    after: str  # text after the closing bracket, the start of the body
    date: dt.date | None = None


@dataclass
class _Parser:
    text: str
    outlets: OutletDirectory
    today: dt.date
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, index: int | None, message: str) -> None:
        self.warnings.append(ParseWarning(None if index is None else index + 1, message))

    def parse(self) -> ParsedPost:
        lines = self.text.split("\n")
        title_index = next((i for i, line in enumerate(lines) if line.strip()), None)
        if title_index is None:
            self.warn(None, "the post is empty")
            return self._result("", ArticleRef(None, "", ""), [], "", "", "", [])

        title, article_written, article_outlet, author, title_is_header = self._title(lines[title_index], title_index)
        first_body = title_index if title_is_header else title_index + 1
        headers = self._headers(lines, first_body)
        marker = self._article_marker(lines, first_body, headers)
        end_of_quotes = marker if marker is not None else len(lines)

        # Years: from the headers (the title's date among them) and every URL.
        urls = URL_RE.findall(self.text)
        urls = [_trim_url(u) for u in urls]
        written = [h.written_date for h in headers if h.written_date] + ([article_written] if article_written else [])
        evidence = dates.year_evidence(written, urls, self.today)
        if evidence.source == "import date" and written:
            self.warn(None, f"no year in the post: dates assume the year of the import date ({self.today.year})")
        for header in headers:
            if header.written_date:
                header.date = self._resolve(header.written_date, evidence.anchor, header.index)
        article_date = self._resolve(article_written, evidence.anchor, title_index) if article_written else None

        quotes, commentary_lines = self._quotes(lines, headers, first_body, end_of_quotes)
        article_lines = lines[marker + 1 :] if marker is not None else []
        tail = article_lines if marker is not None else commentary_lines
        footer = _split_footer(tail)
        commentary = _join(commentary_lines)
        article_body = _join(article_lines)

        header_dates = [h.date for h in headers if h.date] + ([article_date] if article_date else [])
        published_on = max(header_dates) if header_dates else None
        if published_on is None:
            published_on = self.today
            self.warn(None, "no dated header: published_on is the import date")
        article = ArticleRef(article_date, article_outlet, author)
        return self._result(title, article, quotes, commentary, article_body, footer, urls, published_on)

    def _result(self, title, article, quotes, commentary, article_body, footer, urls, published_on=None) -> ParsedPost:
        return ParsedPost(
            title=title,
            article=article,
            published_on=published_on or self.today,
            quotes=tuple(quotes),
            commentary=commentary,
            article_body=article_body,
            links=tuple(urls),
            warnings=tuple(self.warnings),
            footer=footer,
        )

    def _resolve(self, written: MonthDay, anchor: dt.date, index: int) -> dt.date | None:
        resolved = dates.resolve(written, anchor)
        if resolved is None:
            self.warn(index, f"not a date: {written.month}/{written.day}")
        return resolved

    # The title line --------------------------------------------------------

    def _title(self, line: str, index: int):
        """(title, written date, outlet, author, the line is really a quote header)."""
        match = TITLE_RE.match(line)
        if not match and HEADER_RE.match(line):
            self.warn(index, "no title line: the post starts with a quote")
            return "", None, "", "", True
        match = match or LOOSE_TITLE_RE.match(line)
        if not match:
            self.warn(index, "title line not in the form 『title』(M/D outlet author)について; kept whole as the title")
            return line.strip(), None, "", "", False
        title = match.group("title").strip()
        if not title:
            self.warn(index, "the title line has no title")
        meta = META_RE.match(match.group("meta"))
        if not meta:
            self.warn(index, f"no date in the title line's parentheses: ({match.group('meta')})")
            outlet, author = self._outlet_and_author(match.group("meta").strip(), index)
            return title, None, outlet, author, False
        outlet, author = self._outlet_and_author(meta.group("rest"), index)
        return title, _month_day(meta), outlet, author, False

    def _outlet_and_author(self, rest: str, index: int) -> tuple[str, str]:
        if not rest:
            self.warn(index, "no outlet in the title line")
            return "", ""
        known = self.outlets.split_known_prefix(rest)
        if known:
            return known
        words = rest.rsplit(None, 1)
        outlet, author = (words[0], words[1]) if len(words) == 2 else (rest, "")
        if len(outlet) > MAX_OUTLET_LENGTH:
            self.warn(index, "the title line's parentheses are too long to hold an outlet: read as the author")
            return "", rest
        if author:
            self.warn(index, f"unknown outlet in the title line: took “{outlet}” as the outlet, “{author}” as the author")
        return outlet, author

    # Quote headers and the article marker ------------------------------------

    def _headers(self, lines: list[str], start: int) -> list[_Header]:
        headers = []
        for index in range(start, len(lines)):
            match = HEADER_RE.match(lines[index])
            if match:
                headers.append(self._header(match, index))
        return headers

    def _header(self, match: re.Match, index: int) -> _Header:
        inside, after = self._bracketed(match.group("rest"), index)
        original, translated = self._split_title(inside, index)
        outlet = match.group("outlet").strip()
        if not outlet:
            self.warn(index, "quote header without an outlet")
        return _Header(index, _month_day(match), outlet, original, translated, after)

    def _bracketed(self, rest: str, index: int) -> tuple[str, str]:
        """Split `title>after` at the `>` that closes the header's `<`."""
        depth = 1
        for i, ch in enumerate(rest):
            if ch in OPEN:
                depth += 1
            elif ch in CLOSE:
                depth -= 1
                if depth == 0:
                    return rest[:i], rest[i + 1 :]
        last = max(rest.rfind(">"), rest.rfind("＞"))
        if last >= 0:
            self.warn(index, "unbalanced < > in the quote header: the title ends at the last >")
            return rest[:last], rest[last + 1 :]
        self.warn(index, "no closing > in the quote header: the whole line is the title")
        return rest, ""

    def _split_title(self, inside: str, index: int) -> tuple[str, str]:
        """(original title, Japanese translation) split at the `=` that starts the translation."""
        positions = [i for i, ch in enumerate(inside) if ch in EQUALS]
        if not positions:
            return inside.strip(), ""
        # The translation is Japanese (has kana); the original before it has none.
        candidates = [i for i in positions if _KANA.search(inside[i + 1 :]) and not _KANA.search(inside[:i])]
        if not candidates:
            if len(positions) == 1 and not _KANA.search(inside):
                return inside[: positions[0]].strip(), inside[positions[0] + 1 :].strip()
            return inside.strip(), ""
        if len(candidates) > 1:
            self.warn(index, "several = in the quote title: split at the first one followed by Japanese")
        i = candidates[0]
        return inside[:i].strip(), inside[i + 1 :].strip()

    def _article_marker(self, lines: list[str], start: int, headers: list[_Header]) -> int | None:
        """The `記事` line after which the commented article follows, if any."""
        last_header = headers[-1].index if headers else -1
        markers = [i for i in range(start, len(lines)) if lines[i].strip() == ARTICLE_MARKER]
        for i in markers:
            if i > last_header:
                return i
        if markers:
            self.warn(markers[0], "a 記事 line is followed by quote headers: read as text")
        return None

    # Quotes, remarks and commentary ------------------------------------------

    def _quotes(self, lines, headers, first_body, end):
        """The quotes, and the commentary lines (text after the last quote, or all text when none)."""
        headers = [h for h in headers if h.index < end]
        if not headers:
            return [], lines[first_body:end]
        preamble = lines[first_body : headers[0].index]
        if any(line.strip() for line in preamble):
            self.warn(first_body, "text before the first quote: kept in the commentary")
        quotes, commentary = [], []
        for n, header in enumerate(headers):
            last = n == len(headers) - 1
            stop = end if last else headers[n + 1].index
            block = ([header.after] if header.after.strip() else []) + lines[header.index + 1 : stop]
            quote, trailing = self._quote(header, block, last)
            quotes.append(quote)
            commentary = trailing
        if any(line.strip() for line in preamble):
            commentary = _trim(preamble) + [""] + _trim(commentary)
        return quotes, commentary

    def _quote(self, header: _Header, block: list[str], last: bool) -> tuple[ParsedQuote, list[str]]:
        links = tuple(_trim_url(u) for line in block for u in URL_RE.findall(line))
        url_lines = [i for i, line in enumerate(block) if URL_LINE_RE.match(line)]
        trailing: list[str] = []
        if not url_lines:
            body, remark = block, []
            if last:
                self.warn(header.index, "the last quote has no URL line: its end is unclear, following text kept in its body")
        else:
            last_url = url_lines[-1]
            first_url = last_url
            while first_url > 0 and (URL_LINE_RE.match(block[first_url - 1]) or not block[first_url - 1].strip()):
                first_url -= 1
            body, after = block[:first_url], block[last_url + 1 :]
            if last:
                remark, trailing = _split_remark(after)
            else:
                remark = after
        outlet = self.outlets.resolve(header.outlet, links) or " ".join(header.outlet.split())
        quote = ParsedQuote(
            line=header.index + 1,
            date=header.date,
            outlet=outlet,
            outlet_as_written=header.outlet,
            original_title=header.original_title,
            title=header.title,
            body=_join(body),
            remark=_join(remark),
            links=links,
        )
        return quote, trailing


def _trim(lines: list[str]) -> list[str]:
    """`lines` without leading and trailing blank lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return lines[filled[0] : filled[-1] + 1] if filled else []


def _month_day(match: re.Match) -> MonthDay:
    year = match.group("year")
    return MonthDay(int(match.group("month")), int(match.group("day")), int(year) if year else None)


def _trim_url(url: str) -> str:
    """A URL without sentence punctuation glued to its end (closing brackets it never opened)."""
    while url and url[-1] in ".,;:!?'\")]}>":
        closer = url[-1]
        opener = {")": "(", "]": "[", "}": "{"}.get(closer)
        if opener and url.count(opener) >= url.count(closer):
            break
        url = url[:-1]
    return url


def _split_remark(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the text after the last quote's URLs into (its remark, the commentary).

    The remark is the leading paragraphs that start with an arrow (`→`); the
    blogger's commentary follows them.
    """
    end = 0
    for i, line in enumerate(lines):
        starts_paragraph = line.strip() and (i == 0 or not lines[i - 1].strip())
        if starts_paragraph and not line.strip().startswith(REMARK_START):
            break
        end = i + 1
    return lines[:end], lines[end:]


def _split_footer(lines: list[str]) -> str:
    """Remove the closing boilerplate lines from the end of `lines` (in place) and return them."""
    footer: list[str] = []
    while lines and (not lines[-1].strip() or FOOTER_RE.search(lines[-1])):
        footer.insert(0, lines.pop())
    # Trailing blank lines alone are not a footer; leave them where they were.
    if not any(line.strip() for line in footer):
        lines.extend(footer)
        return ""
    return _join(footer)
