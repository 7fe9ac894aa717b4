"""Fault injection, outside the default suite (`make faults`, a few minutes): they kill processes and restart
the PostgreSQL the tests run on. Each prints the figures the README's table of checks reports.

- kill -9 of `import_posts` at 20 random moments of a 500-file import: every post wholly present or wholly
  absent, and a re-run completes with no duplicates;
- PostgreSQL restarted under load: errors only while it is down, and the same gunicorn recovers.
"""

import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection, connections

from posts.bench.corpus import write_corpus
from posts.ingest.importing import plan_text
from posts.models import Post
from posts.search.index import passages_of
from tests.conftest import database_url, manage_py
from tests.servers import gunicorn

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

FILES = 500
KILLS = 20


def assert_whole(checked: set[int]) -> None:
    """Every post not yet checked has all its quotes, links and search passages; none is half there."""
    assert not Post.objects.filter(passages__isnull=True).exists()
    for post in Post.objects.exclude(pk__in=checked):
        parsed = plan_text(post.raw_text).parsed
        assert post.quotes.count() == len(parsed.quotes), post.source_file
        assert post.links.count() == len(parsed.links), post.source_file
        assert post.passages.count() == len(passages_of(post, post.texts())), post.source_file
        checked.add(post.pk)


def test_kill_9_during_an_import_leaves_no_half_post_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, FILES, seed=11, jobs=2)
    rng = random.Random(20261126)
    checked: set[int] = set()
    stored_at_kill = []
    for _ in range(KILLS):
        run = manage_py("import_posts", str(corpus), "--jobs", "2", database_url=database_url(),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(1.0, 4.0))  # past start-up (about a second), somewhere in the import
        os.killpg(run.pid, signal.SIGKILL)  # the command and its worker processes, as a crash would
        run.wait()
        assert_whole(checked)
        stored_at_kill.append(Post.objects.count())

    assert any(0 < n < FILES for n in stored_at_kill), stored_at_kill  # kills landed inside the import
    final = manage_py("import_posts", str(corpus), "--jobs", "2", database_url=database_url(),
                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    summary = final.communicate(timeout=1800)[0].strip().splitlines()[-1]
    assert final.returncode == 0, summary
    assert_whole(checked)
    assert Post.objects.count() == FILES
    again = manage_py("import_posts", str(corpus), database_url=database_url(), stdout=subprocess.PIPE, text=True)
    assert again.communicate(timeout=1800)[0].strip().endswith(f"0 created / 0 updated / {FILES} unchanged / 0 failed")
    print(f"\nkill -9 x{KILLS}: posts stored at each kill {stored_at_kill}; re-run: {summary}; "
          f"{Post.objects.count()} posts, none half-stored, none twice")


def postgres_cluster() -> list[str]:
    """The pg_ctlcluster arguments of the machine's PostgreSQL that the tests run on (by its port)."""
    params = connection.get_connection_params()
    if params.get("host") not in ("127.0.0.1", "localhost"):
        pytest.fail("this test restarts the machine's PostgreSQL: run it with DATABASE_URL on 127.0.0.1 (make faults)")
    port = str(params.get("port") or 5432)
    for line in subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout.splitlines():
        version, name, cluster_port = line.split()[:3]
        if cluster_port == port:
            return ["pg_ctlcluster", "--skip-systemctl-redirect", version, name]
    pytest.fail(f"no PostgreSQL cluster of this machine listens on port {port}")


def test_postgresql_restarted_under_load_errors_only_while_down_and_gunicorn_recovers():
    from posts.ingest.importing import import_file
    from tests.conftest import SEED

    post = import_file(SEED).post
    paths = ["/", "/?q=" + urllib.parse.quote("停戦"), "/?q=ratcliffe", f"/posts/{post.pk}/", "/sources/"]
    events: list[tuple[float, int]] = []  # (seconds since start when asked, HTTP status or 0 for no answer)
    stop = threading.Event()

    with gunicorn(workers=3, DJANGO_CONN_MAX_AGE="60") as (base, master):
        pid = master.pid
        began = time.monotonic()

        def load(n):
            i = n
            while not stop.is_set():
                asked = time.monotonic() - began
                try:
                    with urllib.request.urlopen(base + paths[i % len(paths)], timeout=10) as response:
                        status = response.status
                except urllib.error.HTTPError as error:
                    status = error.code
                except OSError:
                    status = 0
                events.append((asked, status))
                i += 1

        threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        cluster = postgres_cluster()
        connections.close_all()
        down_at = time.monotonic() - began
        subprocess.run([*cluster, "stop", "-m", "fast"], check=True)
        time.sleep(5)
        subprocess.run([*cluster, "start"], check=True)
        up_at = time.monotonic() - began
        time.sleep(8)
        stop.set()
        for thread in threads:
            thread.join()
        assert master.pid == pid and master.is_running()  # the same gunicorn throughout

    # A request asked just before the stop may be cut by it: half a second of grace each side.
    before = [s for t, s in events if t < down_at - 0.5]
    during = [s for t, s in events if down_at - 0.5 <= t <= up_at + 1]
    after = [s for t, s in events if t > up_at + 1]
    assert before and set(before) == {200}
    assert after and set(after) == {200}, sorted(set(after))
    errors = [s for s in during if s != 200]
    assert errors, "no request failed while PostgreSQL was down: the restart was not felt"
    connection.ensure_connection()
    print(f"\nPostgreSQL down {up_at - down_at:.1f} s under load: {len(before)} requests before (all 200), "
          f"{len(during)} while down or starting ({len(errors)} errors: {sorted(set(errors))}), "
          f"{len(after)} after (all 200), same gunicorn master")
