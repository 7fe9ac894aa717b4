"""What a reader types into the search box, read into terms. Pure Python.

Syntax (shown on the search page):

- words separated by spaces must all match: `停戦 交渉`
- `"a phrase"` (or 「a phrase」) matches as written, spaces included
- `-word` excludes posts that have it
- `OR` between words matches either: `台湾 OR 尖閣`

Any input is accepted: characters that are not letters, digits or CJK are
separators (`&|!:*()<->` included), so nothing typed can reach PostgreSQL as
syntax. What had to be ignored is said in `problems`.

    >>> q = parse_query('停戦 "John Ratcliffe" -ロシア 台湾 OR 尖閣')
    >>> [(c.negated, [t.text for t in c.terms]) for c in q.clauses]
    [(False, ['停戦']), (False, ['John Ratcliffe']), (True, ['ロシア']), (False, ['台湾', '尖閣'])]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from posts.search.tokens import Match, query_match

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
_ITEM_RE = re.compile(r'(-?)(?:"([^"]*)"?|「([^」]*)」?|(\S+))')


@dataclass(frozen=True)
class Term:
    text: str  # as typed (NFKC), for display and highlighting
    match: Match  # how the database finds it


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
        return bool(self.clauses)


def parse_query(text: str) -> ParsedQuery:
    text = unicodedata.normalize("NFKC", text or "").strip()
    problems = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        problems.append(f"検索語が長すぎるため、最初の{MAX_QUERY_CHARS}文字で検索しました。")
    clauses: list[Clause] = []
    join_next = False
    ignored = False
    for match in _ITEM_RE.finditer(text):
        negated = match.group(1) == "-"
        written = next(g for g in match.group(2, 3, 4) if g is not None)
        if not negated and written in ("OR", "|"):
            join_next = bool(clauses) and not clauses[-1].negated
            continue
        match = query_match(written)
        if match is None:
            ignored = ignored or bool(written.strip())
            join_next = False
            continue
        term = Term(written.strip(), match)
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
    return ParsedQuery(text, tuple(clauses), tuple(problems))


def _first_terms(clauses: list[Clause], limit: int) -> list[Clause]:
    kept, left = [], limit
    for clause in clauses:
        if left <= 0:
            break
        kept.append(Clause(clause.terms[:left], clause.negated))
        left -= len(kept[-1].terms)
    return kept
