"""Upgrading a real database: the migrations run on a database that earlier code made and filled, and the
archive then reads, searches and re-imports its posts as before.

tests/fixtures/flat-layout-447e2d2.sql is `pg_dump --no-owner --no-privileges` of a database made by
commit 447e2d2 (the last one before posts/ was split into stages): `manage.py migrate`, `import_posts seeds/`,
then one more post imported and imported again edited (so it has a revision).
"""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

from tests.conftest import ROOT, SEED

DUMP = ROOT / "tests" / "fixtures" / "flat-layout-447e2d2.sql"

pytestmark = pytest.mark.slow


@pytest.fixture
def old_database(django_db_blocker):
    """A database restored from the dump; its URL."""
    with django_db_blocker.unblock():
        params = connection.get_connection_params()
    server = {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}
    name = f"test_upgrade_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "PGPASSWORD": server.get("password", "")}
        command = ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", name, "-f", str(DUMP)]
        command += [f"--host={server['host']}"] if "host" in server else []
        command += [f"--port={server['port']}"] if "port" in server else []
        command += [f"--username={server['user']}"] if "user" in server else []
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=120)
        host = server.get("host", "")
        location = f"@/{name}?host={host}" if host.startswith("/") else f"@{host}:{server.get('port', 5432)}/{name}"
        yield f"postgresql://{server.get('user', '')}:{server.get('password', '')}{location}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_migrations_upgrade_a_database_made_by_the_flat_layout_and_keep_its_posts(old_database):
    manage(old_database, "migrate", "--no-input")
    assert "[ ]" not in manage(old_database, "showmigrations", "posts")  # every migration applied
    assert "No changes detected" in manage(old_database, "makemigrations", "--check", "--dry-run", "posts")

    # The stored posts read, search and re-import with the code of this checkout.
    report = manage(old_database, "shell", "-c", """
from posts.models import Passage, Post, Revision
from posts.search.index import passages_of
from posts.search.matching import search
from posts.search.query import parse_query
print("posts", Post.objects.count(), "revisions", Revision.objects.count())
for word in ("停戦", "停戰", "改めました", "Tariffs"):
    print(word, sorted(search(Post.objects.all(), parse_query(word)).values_list("source_file", flat=True)))
print("passages as stored", all(post.passages.count() == len(passages_of(post, post.texts())) for post in Post.objects.all()))
""")
    assert "posts 2 revisions 1" in report
    assert f"停戦 ['{SEED.name}']" in report
    assert f"停戰 ['{SEED.name}']" in report  # the traditional form: the passages were made again, folded (0010)
    assert "改めました ['a.txt']" in report
    assert f"Tariffs ['{SEED.name}', 'a.txt']" in report
    assert "passages as stored True" in report
    assert "0 created / 0 updated / 1 unchanged / 0 failed" in manage(old_database, "import_posts", str(SEED))
