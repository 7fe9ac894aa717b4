"""Web requests run under statement_timeout; migrations, the bulk commands and the index flush lift it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import pre_migrate

from posts.search.index import bulk_indexing, flush_index

pytestmark = pytest.mark.django_db


def timeout() -> str:
    """The connection's statement_timeout in ms."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        return cursor.fetchone()[0]


def test_a_new_connection_has_the_settings_timeout(settings):
    assert settings.STATEMENT_TIMEOUT_MS > 0
    assert settings.DATABASES["default"]["OPTIONS"]["options"].endswith(f"-c statement_timeout={settings.STATEMENT_TIMEOUT_MS}")
    fresh = connection.get_new_connection(connection.get_connection_params())  # as a web request's would open
    try:
        assert fresh.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'").fetchone()[0] == str(
            settings.STATEMENT_TIMEOUT_MS
        )
    finally:
        fresh.close()


def test_migrate_runs_without_it_and_restores_it_after(settings):
    seen = []

    def record(sender, **kwargs):
        seen.append(timeout())

    before = timeout()
    assert before != "0"
    pre_migrate.connect(record, dispatch_uid="test.record")  # connected after posts': it sees the lifted value
    try:
        call_command("migrate", verbosity=0)
    finally:
        pre_migrate.disconnect(dispatch_uid="test.record")
    assert seen and set(seen) == {"0"}
    assert timeout() == before


def test_bulk_indexing_lifts_it_for_the_commands_connection():
    before = timeout()
    with bulk_indexing():
        assert timeout() == "0"
    assert before != "0"


@pytest.mark.django_db(transaction=True)  # SET LOCAL lasts to the end of the outermost transaction: none here
def test_the_index_flush_lifts_it_for_its_own_transaction_only(monkeypatch):
    before = timeout()
    seen = []
    real_execute = connection.cursor().__class__.execute

    def spy(cursor, sql, params=None):
        if "gin_clean_pending_list" in sql:
            seen.append(timeout())
        return real_execute(cursor, sql, params)

    monkeypatch.setattr(connection.cursor().__class__, "execute", spy)
    flush_index()
    monkeypatch.undo()
    assert seen == ["0"] and timeout() == before
