"""Deployment wiring: settings from the environment, docker compose, the Dockerfile."""

import json
import os
import secrets
import subprocess
import sys

import yaml

from tests.conftest import ROOT


def manage(*args, **env):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "archive.example.org",
    "DATABASE_URL": "postgres://archive@db.example.org:5432/archive",
}


def test_production_settings_pass_the_deploy_checks():
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stderr + done.stdout


def test_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(s.DEBUG, s.ALLOWED_HOSTS, d['ENGINE'], d['HOST'], d['NAME'], s.SESSION_COOKIE_SECURE)"
    )
    done = manage("shell", "-c", code, **PRODUCTION)
    assert done.stdout.strip().splitlines()[-1] == (
        "False ['archive.example.org'] django.db.backends.postgresql db.example.org archive True"
    ), done.stderr


def test_without_database_url_the_embedded_server_is_used():
    done = manage("shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
                  DJANGO_DEBUG="true", DATABASE_URL="")
    assert done.stdout.strip().splitlines()[-1] == "archive.embedded_db", done.stderr


def test_without_the_embedded_packages_only_a_connection_needs_them():
    # As in the Docker image, which installs no `embedded` extra and collects static files without DATABASE_URL.
    code = (
        "import sys; sys.modules['fasteners'] = None\n"  # not installed
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "try:\n    connection.ensure_connection()\nexcept Exception as error:\n    print(type(error).__name__, error)\n"
    )
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**base, "DJANGO_SETTINGS_MODULE": "archive.settings", "DJANGO_DEBUG": "true",
                               "DATABASE_URL": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ImproperlyConfigured DATABASE_URL is not set and the embedded PostgreSQL is not "
                                  "installed (import of fasteners halted"), done.stdout


def test_a_missing_secret_key_outside_debug_is_a_clear_error():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    done = manage("check", **env, DJANGO_SECRET_KEY="")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in done.stderr


def test_env_example_lists_every_setting_read_from_the_environment():
    import re

    read = set(re.findall(r'env(?:_flag|\.\w+)\(\s*"([A-Z_]+)"', (ROOT / "archive" / "settings.py").read_text()))
    example = (ROOT / ".env.example").read_text()
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS"} <= read
    assert [name for name in sorted(read) if f"{name}=" not in example] == []


def test_a_mistyped_flag_is_an_error_not_false():
    done = manage("check", **PRODUCTION, DJANGO_HTTPS="ture")
    assert done.returncode != 0
    assert "DJANGO_HTTPS must be true or false, not 'ture'" in done.stderr


def test_the_forwarded_protocol_is_trusted_only_behind_https():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    assert manage("shell", "-c", code, **PRODUCTION).stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    plain = manage("shell", "-c", code, **PRODUCTION, DJANGO_HTTPS="false")
    assert plain.stdout.strip().splitlines()[-1] == "None"


def test_a_health_check_over_plain_http_is_answered_not_redirected():
    from urllib.parse import urlsplit, urlunsplit

    from tests.conftest import database_url

    server = urlunsplit(urlsplit(database_url())._replace(path="/postgres"))
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='127.0.0.1:8000');"
        "print(c.get('/healthz').status_code, c.get('/').status_code)"
    )
    done = manage("shell", "-c", code, **{**PRODUCTION, "DATABASE_URL": server,
                                          "DJANGO_ALLOWED_HOSTS": "archive.example.org,127.0.0.1"})
    assert done.stdout.strip().splitlines()[-1] == "200 301", done.stderr  # HTTPS is on: other pages redirect


def test_docker_compose_wires_web_to_a_healthy_postgres_18():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, web = compose["services"]["db"], compose["services"]["web"]

    assert db["image"] == "postgres:18"
    volume = db["volumes"][0].split(":")
    assert volume[0] in compose["volumes"] and volume[1] == "/var/lib/postgresql"
    # Over TCP: the image's start-up server, on a fresh volume, answers on the Unix socket only.
    assert "pg_isready -h 127.0.0.1 " in " ".join(db["healthcheck"]["test"])
    assert db["restart"] == web["restart"] == "unless-stopped"

    assert web["build"] == "."
    assert web["depends_on"] == {"db": {"condition": "service_healthy"}}
    env = web["environment"]
    user, password, name = db["environment"]["POSTGRES_USER"], db["environment"]["POSTGRES_PASSWORD"], db["environment"]["POSTGRES_DB"]
    assert env["DATABASE_URL"] == f"postgres://{user}:{password}@db:5432/{name}"
    assert env["DJANGO_DEBUG"] == "false"
    command = web["command"]
    assert command.index("migrate") < command.index("import_posts seeds/") < command.index("gunicorn archive.wsgi")
    assert "import_posts seeds/ || true" in command  # a bad seed file does not keep the site down
    assert web["ports"] == ["127.0.0.1:8000:8000"]
    assert web["healthcheck"]["test"][:2] == ["CMD", "python"]  # the image has no curl
    assert "http://127.0.0.1:8000/healthz" in web["healthcheck"]["test"][-1]  # run by tests/test_docker.py


def test_compose_sizes_postgresql_as_the_operations_guide_says():
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["db"]["command"].split()
    assert command[0] == "postgres"
    settings = [value for flag, value in zip(command[1::2], command[2::2]) if flag == "-c"]
    assert {setting.split("=")[0] for setting in settings} == {"shared_buffers", "effective_cache_size", "work_mem"}
    guide = (ROOT / "docs" / "operations.md").read_text()
    assert [setting for setting in settings if f"`{setting}`" not in guide] == []


def test_the_image_serves_with_gunicorn_and_collected_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "collectstatic --no-input" in dockerfile
    assert 'CMD ["gunicorn", "archive.wsgi"' in dockerfile
    from django.conf import settings

    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


# gunicorn -------------------------------------------------------------------------------------------------------------


def gunicorn_config(**env) -> dict:
    """gunicorn.conf.py's values as gunicorn reads and checks them, in a fresh process with `env`."""
    code = (
        "import json, runpy; from gunicorn.config import Config; values = runpy.run_path('gunicorn.conf.py'); "
        "config = Config(); names = ['bind', 'workers', 'timeout', 'forwarded_allow_ips', 'limit_request_line']; "
        "[config.set(name, values[name]) for name in names]; print(json.dumps({n: getattr(config, n) for n in names}))"
    )
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_gunicorn_listens_on_loopback():
    config = gunicorn_config()
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 3 and config["timeout"] == 120


def test_gunicorn_lets_urls_up_to_its_maximum_through():
    assert gunicorn_config()["limit_request_line"] == 8190  # Django answers what is longer than 4 KB with its page


def test_gunicorn_trusts_forwarded_headers_from_the_same_proxies_as_django():
    assert gunicorn_config()["forwarded_allow_ips"] == []  # not gunicorn's default, 127.0.0.1
    proxies = gunicorn_config(DJANGO_TRUSTED_PROXIES="10.0.0.2,172.16.0.0/12")["forwarded_allow_ips"]
    assert proxies == ["10.0.0.2", "172.16.0.0/12"]
    code = "from django.conf import settings; print([str(n) for n in settings.TRUSTED_PROXIES])"
    done = manage("shell", "-c", code, **PRODUCTION, DJANGO_TRUSTED_PROXIES="10.0.0.2, 172.16.0.0/12")
    assert done.stdout.strip().splitlines()[-1] == "['10.0.0.2/32', '172.16.0.0/12']", done.stderr


def test_the_image_runs_gunicorn_with_its_config_and_no_bind_of_its_own():
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert json.loads(command.removeprefix("CMD ")) == [
        "gunicorn", "archive.wsgi", "--config", "gunicorn.conf.py", "--access-logfile", "-"
    ]
    # In a container loopback is unreachable: the image listens on the container's network, and compose publishes
    # that on the host's loopback only (test_docker_compose_wires_web_to_a_healthy_postgres_18).
    assert "ENV GUNICORN_BIND=0.0.0.0:8000" in dockerfile
    assert gunicorn_config(GUNICORN_BIND="0.0.0.0:8000")["bind"] == ["0.0.0.0:8000"]


def test_compose_runs_gunicorn_with_its_config_and_passes_the_trusted_proxies():
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    assert "exec gunicorn archive.wsgi --config gunicorn.conf.py --access-logfile -" in web["command"]
    assert "--bind" not in web["command"]
    assert web["environment"]["DJANGO_TRUSTED_PROXIES"] == "${DJANGO_TRUSTED_PROXIES:-}"
