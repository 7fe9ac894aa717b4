"""What a reader types into the search box, read into terms. Pure Python.

Syntax (shown on the search page):

- words separated by spaces must all match: `停戦 交渉`
- `"a phrase"` (or 「a phrase」) matches as written, spaces included
- `-word` excludes posts that have it
- `OR` between words matches either: `台湾 OR 尖閣`
- `title:word` (or `title:"a phrase"`) matches in a title: the post's or a quote's
- `in:quote`, `in:commentary` or `in:article`: where every word must be (several: any of them;
  `-in:article`: anywhere but there)
- `outlet:name` (a name, another spelling or a web domain: `outlet:aboluowang.com`): posts that
  quote the outlet, each word in its own text (several: any of them; `-outlet:name` leaves its posts out)

Operators combine with the rest: `title:台湾 OR title:尖閣`, `-title:"台湾 有事"`. Outlet names stay
as written here; the pages resolve them (they need the database).

Any input is accepted: characters that are not letters, digits or CJK are
separators (`&|!:*()<->` included), so nothing typed can reach PostgreSQL as
syntax. What had to be ignored is said in `problems`.

    >>> q = parse_query('停戦 "John Ratcliffe" -ロシア 台湾 OR 尖閣')
    >>> [(c.negated, [t.text for t in c.terms]) for c in q.clauses]
    [(False, ['停戦']), (False, ['John Ratcliffe']), (True, ['ロシア']), (False, ['台湾', '尖閣'])]
    >>> q = parse_query('title:台湾 in:quote outlet:"Gateway Pundit"')
    >>> q.clauses[0].terms[0].fields, q.parts, q.outlets
    (('title', 'original_title', 'translated_title'), ('quote',), ('Gateway Pundit',))
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from posts.search.tokens import Match, query_match

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
PART_NAMES = ("quote", "commentary", "article")  # what `in:` takes, as the `part` parameter does
TITLE_FIELDS = ("title", "original_title", "translated_title")  # the fields `title:` looks in
_ITEM_RE = re.compile(r'(-?)(?:([A-Za-z]+):(?=\S))?(?:"([^"]*)"?|「([^」]*)」?|(\S+))')


@dataclass(frozen=True)
class Term:
    text: str  # as typed (NFKC), for display and highlighting
    match: Match  # how the database finds it
    fields: tuple[str, ...] = ()  # the fields of a post it must be found in (`title:`); empty: any


@dataclass(frozen=True)
class Clause:
    """Terms of which one must match (OR); or, negated, none may."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...] = ()
    problems: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # `in:`: of PART_NAMES, where every term must be; empty: anywhere
    outlets: tuple[str, ...] = ()  # `outlet:` names as written
    excluded_outlets: tuple[str, ...] = ()  # `-outlet:` names as written

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        return tuple(term.text for clause in self.positive for term in clause.terms)

    def __bool__(self) -> bool:
        return bool(self.clauses or self.parts or self.outlets or self.excluded_outlets)


def parse_query(text: str) -> ParsedQuery:
    text = unicodedata.normalize("NFKC", text or "").strip()
    problems = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        problems.append(f"検索語が長すぎるため、最初の{MAX_QUERY_CHARS}文字で検索しました。")
    clauses: list[Clause] = []
    parts, unwanted_parts, outlets, excluded = [], [], [], []
    join_next = False
    ignored = False
    for match in _ITEM_RE.finditer(text):
        negated = match.group(1) == "-"
        operator = (match.group(2) or "").lower()
        written = next(g for g in match.group(3, 4, 5) if g is not None)
        if operator and operator not in ("outlet", "title", "in"):
            operator, written = "", f"{match.group(2)}:{written}"  # a URL, a time: text like any other
        if operator in ("outlet", "in"):
            value = written.strip()
            if operator == "outlet" and value:
                (excluded if negated else outlets).append(value)
            elif operator == "in" and value.lower() in PART_NAMES:
                (unwanted_parts if negated else parts).append(value.lower())
            elif operator == "in":
                problems.append(f"「in:」に使えるのは {'・'.join(PART_NAMES)} です(「{value}」は使えません)。")
            else:
                problems.append("「outlet:」の後に情報源の名前がありません。")
            join_next = False
            continue
        if not operator and written.lower() in ("outlet:", "title:", "in:"):
            problems.append(f"「{written.lower()}」の後に何もありません(「{written.lower()}」と値の間に空白は入れません)。")
            join_next = False
            continue
        if not negated and not operator and written in ("OR", "|"):
            join_next = bool(clauses) and not clauses[-1].negated
            continue
        match = query_match(written)
        if match is None:
            if operator:
                problems.append(f"「{operator}:」の後に検索できる語がありません。")
            else:
                ignored = ignored or bool(written.strip())
            join_next = False
            continue
        term = Term(written.strip(), match, TITLE_FIELDS if operator == "title" else ())
        if join_next and not negated:
            clauses[-1] = Clause((*clauses[-1].terms, term))
        else:
            clauses.append(Clause((term,), negated))
        join_next = False
    if ignored:
        problems.append("文字や数字を含まない語は無視しました。")
    if sum(len(c.terms) for c in clauses) > MAX_TERMS:
        problems.append(f"語が多すぎるため、最初の{MAX_TERMS}語で検索しました。")
        clauses = _first_terms(clauses, MAX_TERMS)
    if unwanted_parts and not parts:
        parts = list(PART_NAMES)
    kept_parts = tuple(name for name in PART_NAMES if name in parts and name not in unwanted_parts)
    if (parts or unwanted_parts) and not kept_parts:
        problems.append("「in:」の指定で探す場所が残りません。")
        kept_parts = ("",)  # nowhere: nothing matches
    return ParsedQuery(
        text, tuple(clauses), tuple(problems), kept_parts, tuple(dict.fromkeys(outlets)), tuple(dict.fromkeys(excluded))
    )


def _first_terms(clauses: list[Clause], limit: int) -> list[Clause]:
    kept, left = [], limit
    for clause in clauses:
        if left <= 0:
            break
        kept.append(Clause(clause.terms[:left], clause.negated))
        left -= len(kept[-1].terms)
    return kept
