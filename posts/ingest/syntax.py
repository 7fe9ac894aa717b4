"""Line-level syntax of a post: the patterns and small pure helpers the parser uses.

Every pattern here runs in linear time on any line: files up to the size limit
are parsed, and a hostile line must not stall an import.
"""

from __future__ import annotations

import re
import unicodedata

from posts.ingest.dates import MonthDay

MAX_OUTLET_LENGTH = 60
SPACE = " \t\u3000"
_SP = f"[{SPACE}]"
# M/D with an optional year; 日 closes a day only in the 8月4日 form (8/4日経 is 8/4 + 日経).
_DATE = r"(?P<year>\d{4}[/／.年])?(?P<month>\d{1,2})[/／月](?P<day>\d{1,2})(?P<mark>(?<=月\d)日|(?<=月\d\d)日)?"

DATE_RE = re.compile(rf"{_SP}*+{_DATE}")
# The parenthesised part that ends a title line: `(8/4JBプレス 横山恭三)について`.
TITLE_TAIL_RE = re.compile(r"[(（](?P<meta>[^()（）]*)[)）](?P<after>.*)")
# A quote header: date, outlet, `<`. An outlet starts with a letter (a digit only after a space).
HEADER_RE = re.compile(
    rf"{_SP}*+{_DATE}{_SP}*+"
    rf"(?P<outlet>(?:[^<>＜＞\d{SPACE}]|(?<=[{SPACE}])\d)[^<>＜＞。、]{{0,{MAX_OUTLET_LENGTH - 1}}}?|)"
    rf"{_SP}*[<＜](?P<rest>.*)"
)
URL_RE = re.compile(r"https?://[!-~]+")  # inside text, a URL ends where ASCII ends
_LONE_URL_RE = re.compile(r"https?://\S+")  # alone on its line, it may hold any character
ARTICLE_MARKER = "記事"
# The closing boilerplate, line by line, exactly (a banner image that was not captured).
FOOTER_RE = re.compile(r"(?:良ければ|よろしければ)下にあります。?|を?応援クリック(?:を)?よろしくお願いします。?")
REMARK_START = ("→", "⇒", "=>", "->")
OPEN, CLOSE, EQUALS = "<＜", ">＞", "=＝"
# Words that start sentences, never outlet names: `8/5に会談<…>` is body text.
NOT_AN_OUTLET_START = frozenset("にのはがをでともへやより、。,.")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\uff66-\uff9f]")  # kana, not ・
_URL_LINE_EXTRA_TEXT = "<>＜＞()（）[]「」【】。、,."
_URL_LINE_EXTRA = set(_URL_LINE_EXTRA_TEXT)


def month_day(match: re.Match) -> MonthDay:
    year = match.group("year")
    written = match.string[match.start("year" if year else "month") : match.end("mark" if match.group("mark") else "day")]
    return MonthDay(int(match.group("month")), int(match.group("day")), int(year[:-1]) if year else None, written)


def header_match(line: str) -> re.Match | None:
    match = HEADER_RE.match(line)
    if match and match.group("outlet")[:1] in NOT_AN_OUTLET_START:
        return None
    return match


def line_urls(line: str) -> tuple[list[str], bool]:
    """The URLs on a line, and whether they are all it holds (a URL line).

    A URL alone on its line may hold any character (`https://ja.wikipedia.org/wiki/日本`);
    inside text it ends where ASCII ends, so `…/xを参照` keeps its Japanese out.
    """
    if "http" not in line:
        return [], False
    lone = line.strip().strip(_URL_LINE_EXTRA_TEXT)
    if _LONE_URL_RE.fullmatch(lone):
        return [trim_url(lone)], True
    urls = URL_RE.findall(line)
    rest = URL_RE.sub("", line)
    alone = bool(urls) and all(ch.isspace() or ch in _URL_LINE_EXTRA or unicodedata.category(ch)[0] == "P" for ch in rest)
    return [trim_url(url) for url in urls], alone


def trim_url(url: str) -> str:
    """A URL without sentence punctuation glued to its end (closing brackets it never opened)."""
    openers = {")": "(", "]": "[", "}": "{"}
    balance = {closer: url.count(opener) - url.count(closer) for closer, opener in openers.items()}
    end = len(url)
    while end and url[end - 1] in ".,;:!?'\")]}>":
        closer = url[end - 1]
        if closer in balance:
            if balance[closer] >= 0:
                break
            balance[closer] += 1
        end -= 1
    return url[:end]


def bracketed(rest: str) -> tuple[str, str, str | None]:
    """Split `title>after` at the `>` that closes a header's `<`: (title, after, a warning code or None)."""
    depth = 1
    for i, ch in enumerate(rest):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth -= 1
            if depth == 0:
                return rest[:i], rest[i + 1 :], None
    last = max(rest.rfind(">"), rest.rfind("＞"))
    if last >= 0:
        return rest[:last], rest[last + 1 :], "header_unbalanced"
    return rest, "", "header_unclosed"


def split_title(inside: str) -> tuple[str, str, str | None]:
    """(original title, Japanese translation, a warning code or None), split at the `=` that starts the translation.

    The translation is Japanese (it has kana) and the original before it has none;
    among several such `=`, the first one followed by a non-ASCII character wins.
    """
    positions = [i for i, ch in enumerate(inside) if ch in EQUALS]
    if not positions:
        return inside.strip(), "", None
    kana = [m.start() for m in _KANA.finditer(inside)]
    if not kana:
        if len(positions) == 1:
            return inside[: positions[0]].strip(), inside[positions[0] + 1 :].strip(), None
        return inside.strip(), "", None
    candidates = [i for i in positions if i < kana[0]]
    if not candidates:
        return inside.strip(), "", None
    chosen = next((i for i in candidates if not inside[i + 1 :].lstrip()[:1].isascii()), candidates[0])
    problem = "several_equals" if len(candidates) > 1 else None
    return inside[:chosen].strip(), inside[chosen + 1 :].strip(), problem


def split_remark(lines: list[str]) -> tuple[list[str], list[str]]:
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


def footer_start(lines: list[str], first: int) -> int:
    """Where the closing boilerplate (`良ければ下にあります` …) starts; len(lines) when there is none."""
    start = end = len(lines)
    while end > first and (not lines[end - 1].strip() or FOOTER_RE.fullmatch(lines[end - 1].strip())):
        end -= 1
        if lines[end].strip():
            start = end
    return start


def trim(lines: list[str]) -> list[str]:
    """`lines` without leading and trailing blank lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return lines[filled[0] : filled[-1] + 1] if filled else []


def join(lines: list[str]) -> str:
    """Lines as one text, without blank lines or spaces at either end."""
    return "\n".join(lines).strip()
