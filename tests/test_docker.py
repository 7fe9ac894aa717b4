"""The Docker image and `docker compose up`, without a Docker engine: the Dockerfile's steps carried out on a clean
copy of the tree (tests/docker_steps.py), then the compose `web` service's command run on a fresh database of its own
until /healthz answers.

Stood in for: the base image's Python by a virtualenv of this machine's, the `db` service by the test PostgreSQL, port
8000 by a free port on 127.0.0.1. Left out: the image's user (`useradd`, `USER`); instead, nothing may be written
into the image's folder while it serves, which that user could not do.
"""

import os
import re
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import psycopg
import pytest
import yaml

from posts.bench.benchmark import free_port
from tests.conftest import ROOT, database_url
from tests.docker_steps import BuildFailed, Image, clean_context, health_command, killpg, service_command
from tests.docker_steps import instructions, service_environment

ADMIN = {"DJANGO_SUPERUSER_USERNAME": "admin", "DJANGO_SUPERUSER_EMAIL": "admin@example.org",
         "DJANGO_SUPERUSER_PASSWORD": "a long passphrase for the image"}


@pytest.fixture
def own_database():
    """A database of this test's own on the test server, empty, as a fresh compose volume's is."""
    server = urllib.parse.urlsplit(database_url())
    name = f"{server.path.lstrip('/')}_image"
    maintenance = urllib.parse.urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(server._replace(path=f"/{name}"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine_network() -> dict[str, str]:
    """What pip needs on this machine to reach a package index (its settings and cache in HOME, PIP_*, proxies)."""
    return {name: value for name, value in os.environ.items()
            if name == "HOME" or name.startswith("PIP_") or name.lower().endswith("_proxy")}


def files_of(folder) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_mtime_ns for path in folder.rglob("*")}


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for_health(base: str, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 600  # migrations and the seed on a fresh database; a hung start fails here
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            pytest.fail(f"the web service exited with {server.returncode}:\n{log.read().decode()[-5000:]}")
        try:
            if get(base + "/healthz")[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(1)
    log.seek(0)
    pytest.fail("the web service did not answer /healthz:\n" + log.read().decode()[-5000:])


@pytest.mark.slow
def test_the_image_builds_and_compose_serves_the_archive_from_a_fresh_database(tmp_path, own_database):
    context = clean_context(ROOT, tmp_path / "context")
    image = Image(context, tmp_path / "image", python=sys.executable, build_env=machine_network())
    image.build((context / "Dockerfile").read_text())
    print("left out, as outside a container:", image.skipped)

    web = yaml.safe_load((context / "docker-compose.yml").read_text())["services"]["web"]
    assert web["build"] == "."
    port = free_port()
    home = image.path("/home/archive")
    home.mkdir(parents=True)
    compose = service_environment(web, shell={"DJANGO_SECRET_KEY": secrets.token_hex(32)})
    container = image.environment(**{**compose, "DATABASE_URL": own_database, "GUNICORN_BIND": f"127.0.0.1:{port}",
                                     "HOME": str(home)})
    workdir = image.path(".")
    before = files_of(workdir)
    base = f"http://127.0.0.1:{port}"

    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(service_command(web, image), cwd=workdir, env=container, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_health(base, server, log)
            assert get(base + "/healthz") == (200, "ok\n")

            # The compose health check, as Docker runs it inside the container.
            check = health_command(web)
            assert any("127.0.0.1:8000/healthz" in word for word in check)
            check = [word.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for word in check]
            assert subprocess.run(check, cwd=workdir, env=container, timeout=60).returncode == 0

            # The seed imported, and pages render with the static files collected at build time (DEBUG is off).
            status, page = get(base + "/?q=" + urllib.parse.quote("停戦"))
            assert status == 200 and "<mark>停戦</mark>" in page, page[:2000]
            stylesheet = re.search(r'href="(/static/css/archive\.[0-9a-f]+\.css)"', page).group(1)
            assert get(base + stylesheet)[0] == 200

            # The README's command for an admin login, as `docker compose exec web` runs it (no terminal here).
            readme = (context / "README.md").read_text()
            command = shlex.split(re.search(r"^docker compose exec web (.+?)\s*(#.*)?$", readme, re.M).group(1))
            done = subprocess.run([*command, "--no-input"], cwd=workdir, env={**container, **ADMIN},
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            from tests.servers import Browser

            browser = Browser(base)
            assert browser.log_in(ADMIN["DJANGO_SUPERUSER_USERNAME"], ADMIN["DJANGO_SUPERUSER_PASSWORD"]) == 200
            assert browser.url == base + "/admin/"
        finally:
            killpg(server)

    assert files_of(workdir) == before  # the image's user could not have written there
    assert subprocess.run(check, cwd=workdir, env=container, timeout=60, capture_output=True).returncode != 0


def test_a_step_the_test_cannot_carry_out_fails_it_rather_than_being_left_out(tmp_path):
    image = Image(tmp_path, tmp_path / "image", python=sys.executable, build_env={})
    with pytest.raises(BuildFailed, match="line 2: ARG"):
        image.build("# the base image's version\nARG PYTHON=3.11\nFROM python:${PYTHON}-slim\n")


def test_continued_lines_are_one_instruction():
    steps = instructions("RUN pip install \\\n  # a comment inside\n  --no-cache-dir .\nUSER archive\n")
    assert [(s.keyword, s.argument, s.line) for s in steps] == [
        ("RUN", "pip install --no-cache-dir .", 1), ("USER", "archive", 4)
    ]
