"""A stored parse warning as people read it: in Japanese, from the catalogue (locale/ja/LC_MESSAGES/django.po).

Posts store their warnings as codes with values, `{"code": "not_a_date", "line": 3, "written": "2/30"}`
(posts/ingest/parsed.py: MESSAGES says what each code means); the page, the admin, the JSON and the command
line show them through here:

    >>> warning_text({"code": "not_a_date", "line": 3, "written": "2/30"})
    '3行目: 日付として読めません: 2/30'

A warning stored as plain text (by a version before the codes, or one that did not know this code) is shown
as it is, marked as such, never dropped.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from posts.ingest.parsed import MESSAGES, ParseWarning

LINE = gettext_noop("line %(line)s: %(message)s")
# A warning kept as text: stored before the codes (migration 0019 keeps those it cannot match as
# `{"code": "text", "text": …}`), or of a code this version does not know.
UNREAD = gettext_noop("(a note in an earlier form) %(text)s")


def warning_text(stored: dict | str) -> str:
    """One stored warning as a line of Japanese."""
    if isinstance(stored, str):
        return gettext(UNREAD) % {"text": stored}
    warning = ParseWarning.from_dict(stored)
    try:
        message = gettext(MESSAGES[warning.code]) % dict(warning.params)
    except (KeyError, TypeError, ValueError):  # a code or values this version does not know
        text = stored.get("text") if warning.code == "text" else warning.message
        message = gettext(UNREAD) % {"text": text}
    return gettext(LINE) % {"line": warning.line, "message": message} if warning.line else message


def warning_json(stored: dict | str) -> dict:
    """A stored warning for the JSON: its code, line and values, and its `message` in Japanese."""
    fields = stored if isinstance(stored, dict) else {"code": "text", "line": None, "text": stored}
    return {**fields, "message": warning_text(stored)}
