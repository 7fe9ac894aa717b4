"""The archive's data version: raised by every committed change of the public data (posts, quotes, links, passages,
sources, topics, revisions), by triggers in PostgreSQL (migration 0020_data_version says how and why).

    version = data_version()      # DataVersion(number=1234, own=None, changed_at=datetime(...))
    version.tag                   # "1234"; in a transaction that has written: "1234.87" (its last write)

The public pages' caches are keyed by the tag (posts/web/caching.py), so that nothing goes stale after an import or
an edit.
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class DataVersion:
    number: int  # the committed changes
    own: int | None  # the last write of this connection's open transaction, seen by it alone
    changed_at: dt.datetime

    @property
    def tag(self) -> str:
        return f"{self.number}.{self.own}" if self.own else str(self.number)


def data_version() -> DataVersion:
    """The version as this connection sees it now: one query over sixteen rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(version)::bigint, nullif(current_setting('archive.data_version_own', true), '')::bigint,"
            " max(changed_at) FROM posts_data_version"
        )
        return DataVersion(*cursor.fetchone())
