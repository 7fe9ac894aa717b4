"""Stored parse warnings become codes with values, which the pages show in Japanese (posts/ingest/warning_text.py).

Before, a post stored its warnings as English sentences: "line 1: unknown outlet in the title line: took “X” as
the outlet, “Y” as the author". Each sentence the parser wrote is matched here against the wordings it has used
and stored as `{"code": "unknown_title_outlet", "line": 1, "outlet": "X", "author": "Y"}`; a sentence no wording
matches is kept whole as `{"code": "text", "line": 1, "text": "…"}`, shown as it is. Re-reading a post
(the admin's 「読み直す」 action) writes its warnings afresh.

The wordings are copied here, not imported, so that this migration does the same whatever the parser later says.
"""

import re

from django.db import migrations

# (code, English wording) as the parser wrote them, the current wording of each code first.
WORDINGS = [
    ("empty", "the post is empty"),
    ("no_title_line", "no title line: the post starts with a quote"),
    ("title_form", "title line not in the form 『title』(M/D outlet author)について: kept whole as the title"),
    ("title_form", "title line not in the form 『title』(M/D outlet author)について; kept whole as the title"),
    ("title_brackets", "the title's 『』 do not pair up: kept as written"),
    ("no_title", "the title line has no title"),
    ("no_title_date", "no date in the title line's parentheses: (%(written)s)"),
    ("no_title_outlet", "no outlet in the title line"),
    ("title_outlet_too_long", "the title line's parentheses are too long to hold an outlet: read as the author"),
    ("unknown_title_outlet", "unknown outlet in the title line: took “%(outlet)s” as the outlet, “%(author)s” as the author"),
    ("unknown_title_outlet_no_author", "unknown outlet in the title line: “%(outlet)s” (an author could not be told apart)"),
    ("header_no_outlet", "quote header without an outlet"),
    ("header_unclosed", "no closing > in the quote header: the whole line is the title"),
    ("header_unbalanced", "unbalanced < > in the quote header: the title ends at the last >"),
    ("several_equals", "several = in the quote title: split where the Japanese starts"),
    ("several_equals", "several = in the quote title: split at the first one followed by Japanese"),
    ("header_after_article", "looks like a quote header but comes after the 記事 line: read as article text"),
    ("header_without_brackets", "looks like a quote header without its <original=translation>: read as text"),
    ("header_without_link_before", "looks like a quote header but no link came before it: read as text"),
    ("quote_without_url", "this quote has no URL line"),
    ("last_quote_without_url", "the last quote has no URL line: its end is unclear, following text kept in its body"),
    ("text_before_quotes", "text before the first quote: kept in the commentary"),
    ("outlet_from_link", "unknown outlet “%(written)s”: read as %(outlet)s from its link"),
    ("no_year", "no year in the post: dates are taken as the latest before the import date (%(today)s)"),
    ("not_a_date", "not a date: %(written)s"),
    ("after_import_date", "%(date)s is after the import date"),
    ("no_dated_header", "no dated header: published_on is the import date"),
]
LINE = re.compile(r"line (\d+): (.*)", re.DOTALL)
PATTERNS = [
    (code, re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.*)", re.escape(wording)), re.DOTALL))
    for code, wording in WORDINGS
]


def coded(sentence: str) -> dict:
    """`line 3: not a date: 2/30` → {"code": "not_a_date", "line": 3, "written": "2/30"}."""
    numbered = LINE.fullmatch(sentence)
    line, message = (int(numbered[1]), numbered[2]) if numbered else (None, sentence)
    for code, pattern in PATTERNS:
        if match := pattern.fullmatch(message):
            return {"code": code, "line": line, **match.groupdict()}
    return {"code": "text", "line": line, "text": message}


def sentence(warning: dict) -> str:
    """The reverse: a coded warning as the English sentence the earlier code stored."""
    if warning["code"] == "text":
        message = warning["text"]
    else:
        wording = next(wording for code, wording in WORDINGS if code == warning["code"])
        message = wording % warning
    return f"line {warning['line']}: {message}" if warning.get("line") else message


def rewrite(apps, convert, stored_as) -> None:
    for model in (apps.get_model("posts", "Post"), apps.get_model("posts", "ImportFile")):
        changed = []
        for row in model.objects.exclude(warnings=[]).only("id", "warnings").iterator(chunk_size=500):
            if any(isinstance(w, stored_as) for w in row.warnings):
                row.warnings = [convert(w) if isinstance(w, stored_as) else w for w in row.warnings]
                changed.append(row)
        model.objects.bulk_update(changed, ["warnings"], batch_size=500)


def to_codes(apps, schema_editor):
    rewrite(apps, coded, str)


def to_sentences(apps, schema_editor):
    rewrite(apps, sentence, dict)


class Migration(migrations.Migration):

    dependencies = [
        ("posts", "0018_japanese_field_names"),
    ]

    operations = [
        migrations.RunPython(to_codes, to_sentences),
    ]
