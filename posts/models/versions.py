"""The archive's data version: raised by every committed change of the public data (posts, quotes, links, passages,
sources, topics, revisions), by triggers in PostgreSQL (migration 0018_data_version says how and why).

    version = data_version()      # DataVersion(number=1234, changed_at=datetime(...))

The public pages' caches are keyed by it (posts/web/caching.py), so that nothing goes stale after an import or an edit.
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class DataVersion:
    number: int
    changed_at: dt.datetime


def data_version() -> DataVersion:
    """The version as of now: one query over sixteen rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(version)::bigint, max(changed_at) FROM posts_data_version")
        number, changed_at = cursor.fetchone()
    return DataVersion(number, changed_at)
