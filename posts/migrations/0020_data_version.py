"""The archive's data version (posts/models/versions.py): a number that every committed change of the public data
raises, kept by PostgreSQL itself.

Statement-level triggers on the content tables call `posts_bump_data_version()`. Once per transaction it adds one
to its backend's slot of `posts_data_version`; the version is the sum of the slots:

- written in the changing transaction, it becomes visible when that transaction's rows do, never before (a
  sequence alone would be seen before the commit, and a page rendered from the old rows cached under the new number);
- each commit that changed anything adds at least one, and nothing subtracts: no committed number comes back;
- once per transaction, not per statement: a row updated again and again by one transaction leaves a version of
  itself each time that nothing can prune before the commit (a long data migration would slow down quadratically);
- sixteen slots (by backend pid) let concurrent imports (`import_posts --jobs`) each hold their own row's lock until
  they commit instead of queueing on one row.

The writing transaction itself must see each of its statements change the version (a test, a shell session, a
migration reads pages after writes it has not committed): after every statement the trigger also sets the
transaction-local setting `archive.data_version_own` to the next value of a sequence, which only that transaction
sees and which never repeats, not even after a rolled-back savepoint.

A trigger cannot be forgotten by a write path: the importer, the admin's saves and deletes, retag, reparse, merges,
raw SQL and later migrations all raise it. The table is no model: posts/models/versions.py reads it with one query.
"""

from django.core.management import call_command
from django.db import migrations

SLOTS = 16
CONTENT_TABLES = [
    "posts_source", "posts_topic", "posts_post", "posts_post_topics", "posts_revision", "posts_quote", "posts_link",
    "posts_passage",
]

FORWARD = [
    "CREATE SEQUENCE posts_data_version_seq",
    "CREATE TABLE posts_data_version (slot smallint PRIMARY KEY, version bigint NOT NULL DEFAULT 0, "
    "changed_at timestamptz NOT NULL DEFAULT now())",
    f"INSERT INTO posts_data_version (slot) SELECT generate_series(0, {SLOTS - 1})",
    f"""
    CREATE FUNCTION posts_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Both settings are local to the transaction, and undone with a rolled-back savepoint like the UPDATE.
        IF current_setting('archive.data_version_xact', true) IS DISTINCT FROM txid_current()::text THEN
            PERFORM set_config('archive.data_version_xact', txid_current()::text, true);
            UPDATE posts_data_version SET version = version + 1, changed_at = clock_timestamp()
             WHERE slot = pg_backend_pid() % {SLOTS};
        END IF;
        PERFORM set_config('archive.data_version_own', nextval('posts_data_version_seq')::text, true);
        RETURN NULL;
    END $$
    """,
    *(
        f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION posts_bump_data_version()"
        for table in CONTENT_TABLES
    ),
]

BACKWARD = [
    *(f"DROP TRIGGER {table}_data_version ON {table}" for table in CONTENT_TABLES),
    "DROP FUNCTION posts_bump_data_version()",
    "DROP TABLE posts_data_version",
    "DROP SEQUENCE posts_data_version_seq",
]


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("posts", "0019_warning_codes")]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        # The pages' cache table, when the settings keep them in PostgreSQL (settings.CACHES["pages"]).
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
