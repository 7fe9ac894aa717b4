"""Read a commentary post (see post-format.md) into dataclasses. Pure Python.

`parse_post(text)` never raises: whatever it cannot read becomes a warning with
a line number, and every piece of text lands in some part of the result.

    >>> post = parse_post("『題』(8/4日経 山田)について\\n\\n本文")
    >>> post.article.outlet, post.commentary
    ('日経', '本文')
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import accumulate

from posts.ingest import dates, syntax
from posts.ingest.dates import FUTURE_SLACK, MonthDay
from posts.ingest.outlets import KNOWN, OutletDirectory
from posts.ingest.parsed import ArticleRef, ParsedPost, ParsedQuote, ParseWarning
from posts.ingest.syntax import join, trim

__all__ = ["parse_post", "ParsedPost", "ParsedQuote", "ArticleRef", "ParseWarning"]


def parse_post(text: str, *, outlets: OutletDirectory = KNOWN, today: dt.date | None = None) -> ParsedPost:
    """Parse one decoded post. `today` (the import date) stands in for the year when the post gives none."""
    return _Parser(outlets, today or dt.date.today()).parse(text)


@dataclass
class _Header:
    index: int  # 0-based line index
    written_date: MonthDay
    outlet: str
    original_title: str
    title: str
    after: str  # text after the closing bracket: the start of the body
    problems: list[str]  # warning codes
    date: dt.date | None = None


@dataclass
class _Title:
    title: str = ""
    written_date: MonthDay | None = None
    outlet: str = ""
    author: str = ""
    outlet_as_written: str = ""


@dataclass
class _Parser:
    outlets: OutletDirectory
    today: dt.date
    warnings: list[ParseWarning] = field(default_factory=list)
    line_links: list[tuple[list[str], bool]] = field(default_factory=list)  # per line: its URLs, a URL line?
    url_lines_before: list[int] = field(default_factory=list)  # [i]: how many URL lines precede line i

    def linked(self, start: int, stop: int) -> bool:
        """Whether lines[start:stop] hold a URL line."""
        return self.url_lines_before[stop] > self.url_lines_before[start]

    def warn(self, index: int | None, code: str, **params: str) -> None:
        """A warning of `code` (posts/ingest/parsed.py: MESSAGES) on line `index` (0-based), or on the whole post."""
        self.warnings.append(ParseWarning(None if index is None else index + 1, code, tuple(params.items())))

    def parse(self, text: str) -> ParsedPost:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            self.warn(None, "empty")
            return self._post(_Title(), None, [], [], [], "", [])

        starts_with_quote = syntax.header_match(lines[first]) and not lines[first].strip().startswith("『")
        if starts_with_quote:
            self.warn(first, "no_title_line")
            title, body_start = _Title(), first
        else:
            title, body_start = self._title(lines[first], first), first + 1

        footer_at = syntax.footer_start(lines, body_start)
        footer, lines = join(lines[footer_at:]), lines[:footer_at]
        self.line_links = [syntax.line_urls(line) for line in lines]
        self.url_lines_before = list(accumulate((alone for _, alone in self.line_links), initial=0))
        headers = self._plausible(self._headers(lines, body_start))
        marker = self._article_marker(lines, headers)
        if marker is not None:
            for header in (h for h in headers if h.index > marker):
                self.warn(header.index, "header_after_article")
            headers = [h for h in headers if h.index < marker]
        for header in headers:
            for problem in header.problems:
                self.warn(header.index, problem)
        self._unbracketed_headers(lines, headers, body_start, marker)

        urls = [url for found, _ in self.line_links for url in found]
        article_date = self._date_headers(title, headers, urls, first)
        end = marker if marker is not None else len(lines)
        quotes, spans, commentary = self._quotes(lines, headers, body_start, end)
        article = lines[marker + 1 :] if marker is not None else []
        owners: list[int | None] = [None] * len(lines)
        for n, (start, stop) in enumerate(spans):
            owners[start:stop] = [n] * (stop - start)
        link_quotes = [owners[i] for i, (found, _) in enumerate(self.line_links) for _url in found]
        return self._post(title, article_date, quotes, commentary, article, footer, urls, link_quotes)

    def _post(self, title: _Title, article_date, quotes, commentary, article, footer, urls, link_quotes=()) -> ParsedPost:
        dated = [q.date for q in quotes if q.date] + ([article_date] if article_date else [])
        if not dated:
            self.warn(None, "no_dated_header")
        return ParsedPost(
            title=title.title,
            article=ArticleRef(article_date, title.outlet, title.author, title.outlet_as_written),
            published_on=max(dated, default=self.today),
            quotes=tuple(quotes),
            commentary=join(commentary),
            article_body=join(article),
            links=tuple(urls),
            warnings=tuple(self.warnings),
            footer=footer,
            link_quotes=tuple(link_quotes),
        )

    # The title line ------------------------------------------------------------

    def _title(self, line: str, index: int) -> _Title:
        stripped = line.strip()
        opening = max(stripped.rfind("("), stripped.rfind("（"))
        tail = syntax.TITLE_TAIL_RE.fullmatch(stripped, max(opening, 0)) if opening >= 0 else None
        if tail and tail.group("after").strip() not in ("", "について"):
            tail = None
        head = stripped[:opening].strip() if tail else ""
        bracketed = len(head) >= 2 and head[0] == "『" and head[-1] == "』"
        date = syntax.DATE_RE.match(tail.group("meta")) if tail else None
        if not (bracketed or date):
            self.warn(index, "title_form")
            return _Title(stripped)
        title = head[1:-1].strip() if bracketed else head
        if head.count("『") != head.count("』"):
            self.warn(index, "title_brackets")
        if not title:
            self.warn(index, "no_title")
        if not date:
            self.warn(index, "no_title_date", written=tail.group("meta"))
            return _Title(title, None, *self._outlet_and_author(tail.group("meta").strip(), index))
        rest = self._day_mark_or_outlet(date, tail.group("meta")[date.end() :].strip(), self.outlets.split_known_prefix)
        return _Title(title, syntax.month_day(date), *self._outlet_and_author(rest, index))

    def _day_mark_or_outlet(self, date: re.Match, rest: str, known) -> str:
        """`8月4日経`: the 日 read as the day's mark begins the outlet when only then is the outlet known (日経)."""
        if date.group("mark") and not known(rest) and known("日" + rest):
            return "日" + rest
        return rest

    def _outlet_and_author(self, rest: str, index: int) -> tuple[str, str, str]:
        """(canonical outlet, author, outlet as written) from the title line's `outlet author`."""
        if not rest:
            self.warn(index, "no_title_outlet")
            return "", "", ""
        known = self.outlets.split_known_prefix(rest)
        if known:
            canonical, author = known
            return canonical, author, rest[: len(rest) - len(author)].strip()
        words = rest.rsplit(None, 1)
        outlet, author = (words[0], words[1]) if len(words) == 2 else (rest, "")
        if len(outlet) > syntax.MAX_OUTLET_LENGTH:
            self.warn(index, "title_outlet_too_long")
            return "", rest, ""
        if author:
            self.warn(index, "unknown_title_outlet", outlet=outlet, author=author)
        else:
            self.warn(index, "unknown_title_outlet_no_author", outlet=outlet)
        return outlet, author, outlet

    # Quote headers and the article marker ----------------------------------------

    def _headers(self, lines: list[str], start: int) -> list[_Header]:
        headers = []
        for index in range(start, len(lines)):
            match = syntax.header_match(lines[index])
            if match:
                inside, after, bracket_problem = syntax.bracketed(match.group("rest"))
                original, translated, title_problem = syntax.split_title(inside)
                outlet = self._day_mark_or_outlet(match, match.group("outlet").strip(), self.outlets.by_name)
                problems = [p for p in (bracket_problem, title_problem) if p]
                if not outlet:
                    problems.insert(0, "header_no_outlet")
                headers.append(_Header(index, syntax.month_day(match), outlet, original, translated, after, problems))
        return headers

    def _unbracketed_headers(self, lines: list[str], headers: list[_Header], start: int, marker: int | None) -> None:
        """Warn about lines that read like a quote header without its <…>: `8/4Reuters Title=訳`."""
        taken = {h.index for h in headers}
        previous = None  # the last line with text before this one
        for index in range(start, len(lines) if marker is None else marker):
            line = lines[index]
            # Where a header would stand: first in the body, or after a URL line.
            in_place = previous is None or self.line_links[previous][1]
            if line.strip():
                previous = index
            if not in_place or index in taken or not any(eq in line for eq in syntax.EQUALS):
                continue
            date = syntax.DATE_RE.match(line)
            if date and not any(b in line for b in syntax.OPEN) and self.outlets.split_known_prefix(line[date.end() :]):
                self.warn(index, "header_without_brackets")

    def _plausible(self, headers: list[_Header]) -> list[_Header]:
        """Drop header-like body lines: an unknown outlet right after a quote that has not given its links."""
        kept: list[_Header] = []
        for header in headers:
            if kept and not self.linked(kept[-1].index + 1, header.index):
                if not self.outlets.by_name(header.outlet):
                    self.warn(header.index, "header_without_link_before")
                    continue
                self.warn(kept[-1].index, "quote_without_url")
            kept.append(header)
        return kept

    def _article_marker(self, lines: list[str], headers: list[_Header]) -> int | None:
        """The first `記事` line that is not inside a quote's body (before that quote's links)."""
        starts = [h.index for h in headers]
        for index, line in enumerate(lines):
            if line.strip() != syntax.ARTICLE_MARKER:
                continue
            n = bisect.bisect_left(starts, index)  # headers before this line
            if n:
                next_header = starts[n] if n < len(starts) else len(lines)
                if not self.linked(starts[n - 1] + 1, index) and self.linked(index + 1, next_header):
                    continue  # a line of the quote's body, before its links
            return index
        return None

    # Dates -------------------------------------------------------------------------

    def _date_headers(self, title: _Title, headers: list[_Header], urls: list[str], title_index: int) -> dt.date | None:
        """Give every quote header its date; return the commented article's."""
        written = [h.written_date for h in headers] + ([title.written_date] if title.written_date else [])
        evidence = dates.year_evidence(written, urls, self.today)
        if evidence.source == "import date" and written:
            self.warn(None, "no_year", today=self.today.isoformat())
        for header in headers:
            header.date = self._resolve(header.written_date, evidence, header.index)
        return self._resolve(title.written_date, evidence, title_index) if title.written_date else None

    def _resolve(self, written: MonthDay, evidence: dates.YearEvidence, index: int) -> dt.date | None:
        resolved = dates.resolve(written, evidence.anchor, not_after=self.today + FUTURE_SLACK)
        if resolved is None:
            year = f"{written.year:04d}/" if written.year is not None else ""
            self.warn(index, "not_a_date", written=written.written or f"{year}{written.month}/{written.day}")
        elif resolved > self.today + FUTURE_SLACK:
            self.warn(index, "after_import_date", date=resolved.isoformat())
        return resolved

    # Quotes, remarks and commentary ----------------------------------------------------

    def _quotes(self, lines: list[str], headers: list[_Header], start: int, end: int):
        """The quotes, the span of lines each owns, and the commentary lines (after the last quote, or all)."""
        if not headers:
            return [], [], lines[start:end]
        preamble = trim(lines[start : headers[0].index])
        if preamble:
            self.warn(start, "text_before_quotes")
        quotes, spans, commentary = [], [], []
        for n, header in enumerate(headers):
            stop = headers[n + 1].index if n + 1 < len(headers) else end
            quote, commentary = self._quote(header, lines, stop, last=n + 1 == len(headers))
            quotes.append(quote)
            spans.append((header.index, stop - len(commentary)))
        if preamble:
            commentary = preamble + [""] + trim(commentary)
        return quotes, spans, commentary

    def _quote(self, header: _Header, lines: list[str], stop: int, last: bool) -> tuple[ParsedQuote, list[str]]:
        """One quote from its header to `stop`; after the last quote, also the commentary lines that follow it."""
        first_line = header.index + 1
        url_lines = [i for i in range(first_line, stop) if self.line_links[i][1]]
        body, remark, commentary = lines[first_line:stop], [], []
        if url_lines:
            first_url = last_url = url_lines[-1]
            while first_url > first_line and (self.line_links[first_url - 1][1] or not lines[first_url - 1].strip()):
                first_url -= 1
            body, remark = lines[first_line:first_url], lines[last_url + 1 : stop]
            if last:
                remark, commentary = syntax.split_remark(remark)
        elif last:
            self.warn(header.index, "last_quote_without_url")
        links = tuple(url for i in range(header.index, stop - len(commentary)) for url in self.line_links[i][0])
        quote = ParsedQuote(
            line=header.index + 1,
            date=header.date,
            outlet=self._outlet(header, links),
            outlet_as_written=header.outlet,
            original_title=header.original_title,
            title=header.title,
            body=join(([header.after] if header.after.strip() else []) + body),
            remark=join(remark),
            links=links,
        )
        return quote, commentary

    def _outlet(self, header: _Header, links: tuple[str, ...]) -> str:
        written = " ".join(header.outlet.split())
        known = self.outlets.by_name(written) if written else None
        if known:
            return known
        by_link = self.outlets.resolve("", links)
        if by_link:
            self.warn(header.index, "outlet_from_link", written=written, outlet=by_link)
            return by_link
        return written
