"""Read replicas with PostgreSQL's own streaming replication (archive/replicas.py), tested on a real hot standby.

The test runs its own primary (`initdb` on a free port; initdb's pg_hba.conf lets 127.0.0.1 replicate, which the
CI server's does not) and a standby made from it by `pg_basebackup -R`, both logging every statement, and serves the
archive with gunicorn against the two. The Django test runner's databases are not used: with a replica configured,
the runner would make it a TEST MIRROR of the test database, one database under two names, and a page's reads
landing "on the replica" would prove nothing. Which server a page read from is told by the servers' own logs.
"""

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from posts.bench.benchmark import free_port
from tests.conftest import ROOT, small_post
from tests.servers import Browser, gunicorn

pytestmark = pytest.mark.slow

BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))[-1])
PASSWORD = "replica-test-password-1"
MAX_LAG = 2  # seconds: DATABASE_REPLICA_MAX_LAG_SECONDS of the served archive
READS_ARCHIVE = 'FROM "posts_'  # in a statement: the request read the archive's tables there


def searching(words: str, page: str = "/") -> str:
    return f"{page}?q={urllib.parse.quote(words)}"


def as_postgres(*args: str) -> list[str]:
    """PostgreSQL's servers refuse to run as root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


class Server:
    def __init__(self, data: Path, port: int):
        self.data, self.port, self.log = data, port, data.parent / f"{data.name}.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/archive"

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c log_statement=all "
                   "-c fsync=off -c wal_receiver_status_interval=1")
        subprocess.run(as_postgres(f"{BIN}/pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                                   "start"), check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(as_postgres(f"{BIN}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"),
                       check=True, capture_output=True)

    def query(self, sql: str, database: str = "archive"):
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database,
                             autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else None

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, size: int) -> str:
        with self.log.open("rb") as log:
            log.seek(size)
            return log.read().decode(errors="replace")


@contextlib.contextmanager
def reads(primary: Server, replica: Server) -> Iterator[dict]:
    """What the two servers logged during the block: {"primary": text, "replica": text}."""
    sizes = primary.log_size(), replica.log_size()
    seen: dict = {}
    yield seen
    seen["primary"], seen["replica"] = primary.log_since(sizes[0]), replica.log_since(sizes[1])


def manage(*args: str, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true", "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    env.pop("DATABASE_REPLICA_URLS", None)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def replicated():
    """A primary with the archive migrated and the seed post, its streaming standby, and gunicorn on both."""
    directory = Path(tempfile.mkdtemp(prefix="replicas-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    primary = Server(directory / "primary", free_port())
    replica = Server(directory / "replica", free_port())
    started = []
    try:
        subprocess.run(as_postgres(f"{BIN}/initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust",
                                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), check=True, capture_output=True)
        primary.start()
        started.append(primary)
        primary.query("CREATE DATABASE archive", database="postgres")
        manage("migrate", "--no-input", url=primary.url)
        manage("createsuperuser", "--no-input", "--username", "editor", "--email", "editor@example.com",
               url=primary.url)
        manage("import_posts", "seeds/", url=primary.url)
        subprocess.run(as_postgres(f"{BIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                                   "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
                       check=True, capture_output=True)
        replica.start()
        started.append(replica)
        assert replica.query("SELECT pg_is_in_recovery()") == [(True,)]
        # The page cache off: these tests watch where each page reads the archive (tests/web/test_caching.py).
        with gunicorn(DATABASE_URL=primary.url, DATABASE_REPLICA_URLS=replica.url, DJANGO_RATELIMIT="false",
                      DJANGO_PAGE_CACHE="false", DATABASE_REPLICA_MAX_LAG_SECONDS=str(MAX_LAG), DATABASE_REPLICA_RETRY_SECONDS="1") as (base, _):
            yield base, primary, replica
    finally:
        for server in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    pytest.fail(f"not within {seconds} s: {what}")


def test_search_pages_feeds_and_exports_read_from_the_replica(replicated):
    base, primary, replica = replicated
    for path in [searching("関税"), "/feed/", searching("関税", "/posts.json"), "/posts.csv"]:
        with reads(primary, replica) as seen:
            status, _ = Browser(base).get(path)
        assert status == 200, path
        assert READS_ARCHIVE in seen["replica"], path
        assert READS_ARCHIVE not in seen["primary"], path


def test_the_admin_reads_and_writes_the_primary(replicated):
    base, primary, replica = replicated
    editor = Browser(base)
    assert editor.log_in("editor", PASSWORD) == 200
    with reads(primary, replica) as seen:
        assert editor.get("/admin/posts/post/")[0] == 200
    assert READS_ARCHIVE in seen["primary"]
    assert READS_ARCHIVE not in seen["replica"]


def test_an_admin_import_runs_on_the_primary_and_reaches_the_replica_after_its_lag(replicated):
    base, primary, replica = replicated
    editor = Browser(base)
    assert editor.log_in("editor", PASSWORD) == 200
    with reads(primary, replica) as seen:
        status, _ = editor.post("/admin/posts/importbatch/new/", {"text": small_post("複製の試験", day=6)})
        assert status == 200 and "/review/" in editor.url
        status, page = editor.post(editor.url.removeprefix(base), {})
        assert status == 200 and "取り込みました。" in page
    assert 'INSERT INTO "posts_post"' in seen["primary"]
    assert 'INSERT INTO "posts_post"' not in seen["replica"]

    # The editor who imported reads the primary for the next seconds, and finds the post at once.
    with reads(primary, replica) as seen:
        status, page = editor.get(searching("複製の試験"))
    assert status == 200 and "複製の試験" in page
    assert READS_ARCHIVE in seen["primary"] and READS_ARCHIVE not in seen["replica"]

    # A reader reads the replica, which has the post once it has replayed the import.
    wait_for(lambda: replica.query("SELECT count(*) FROM posts_post WHERE title LIKE '%複製の試験%'") == [(1,)],
             "the replica replays the import")
    with reads(primary, replica) as seen:
        status, page = Browser(base).get(searching("複製の試験"))
    assert status == 200 and "複製の試験" in page
    assert READS_ARCHIVE in seen["replica"] and READS_ARCHIVE not in seen["primary"]


def test_a_lagging_replica_is_skipped_and_the_primary_serves(replicated):
    base, primary, replica = replicated
    replica.query("SELECT pg_wal_replay_pause()")
    try:
        primary.query("CREATE TABLE lag_probe (id integer)")  # a change the paused standby receives, not replays
        wait_for(lambda: replica.query(
            "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp()) > %d "
            "AND pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()" % MAX_LAG) == [(True,)],
            "the standby falls behind")
        with reads(primary, replica) as seen:
            status, _ = Browser(base).get(searching("関税"))
        assert status == 200
        assert READS_ARCHIVE in seen["primary"] and READS_ARCHIVE not in seen["replica"]
        status, health = Browser(base).get("/healthz")
        assert status == 200 and health.startswith("degraded\nreplica1: lagging"), health
    finally:
        replica.query("SELECT pg_wal_replay_resume()")
        primary.query("DROP TABLE IF EXISTS lag_probe")
    wait_for(lambda: Browser(base).get("/healthz") == (200, "ok\n"), "the standby catches up")


def test_a_stopped_replica_leaves_every_page_up_and_the_health_check_degraded(replicated):
    base, primary, replica = replicated
    (post_id,), = primary.query("SELECT min(id) FROM posts_post")
    assert Browser(base).get("/healthz") == (200, "ok\n")
    replica.stop()
    try:
        for path in ["/", searching("関税"), f"/posts/{post_id}/", f"/posts/{post_id}.json", "/posts.json", "/posts.csv",
                     "/quotes/", "/sources/", "/topics/", "/archive/", "/feed/", "/sitemap.xml"]:
            with reads(primary, replica) as seen:
                status, _ = Browser(base).get(path)
            assert status == 200, path
            assert READS_ARCHIVE in seen["primary"], path
        status, health = Browser(base).get("/healthz")
        assert status == 200 and health.startswith("degraded\nreplica1: unreachable"), health
    finally:
        replica.start()
    wait_for(lambda: Browser(base).get("/healthz") == (200, "ok\n"), "the standby is back")


def test_a_replica_that_fails_a_read_mid_request_leaves_the_page_to_the_primary(replicated):
    base, primary, replica = replicated
    # A standby that answers the health check but fails every read of the archive (no search path to its tables),
    # as one that stops between the check and the page's queries would.
    failing = f"{replica.url}?options={urllib.parse.quote('-c search_path=nowhere')}"
    with gunicorn(DATABASE_URL=primary.url, DATABASE_REPLICA_URLS=failing, DJANGO_RATELIMIT="false",
                  DJANGO_PAGE_CACHE="false", DATABASE_REPLICA_RETRY_SECONDS="0") as (other, _):
        for path in ["/", searching("関税"), "/posts.json", "/quotes/", "/feed/"]:
            with reads(primary, replica) as seen:
                status, _ = Browser(other).get(path)
            assert status == 200, path
            assert 'ERROR:  relation "posts_' in seen["replica"], path
            assert READS_ARCHIVE in seen["primary"], path
