"""A real gunicorn on the test database, for tests that need a server process of their own."""

import contextlib
import http.cookiejar
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil

from posts.bench.benchmark import free_port, wait_for_port
from tests.conftest import ROOT, database_url


@contextlib.contextmanager
def gunicorn(workers: int = 1, **env) -> Iterator[tuple[str, psutil.Process]]:
    """Serve the archive on 127.0.0.1 over plain HTTP; yield its base URL and the master process.

    DEBUG is on unless `env` says otherwise, so that static files need no collectstatic.
    """
    port = free_port()
    environment = {
        **os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "true", "DJANGO_HTTPS": "false",
        "DJANGO_SECRET_KEY": "test-server", "DJANGO_ALLOWED_HOSTS": "127.0.0.1", **env,
    }
    log = tempfile.TemporaryFile()  # not a pipe: nobody reads it while the server runs, and a full one stalls it
    server = psutil.Popen(
        [sys.executable, "-m", "gunicorn", "archive.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "120"],
        cwd=ROOT, env=environment, stdout=log, stderr=log,
    )
    try:
        try:
            wait_for_port(port)
        except RuntimeError:
            log.seek(0)
            raise RuntimeError("gunicorn did not start: " + log.read().decode()[-2000:]) from None
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def peak_rss_mb(process: psutil.Process) -> float:
    """The highest resident memory the process ever had (VmHWM), in MB."""
    for line in open(f"/proc/{process.pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


class Browser:
    """A client for a real server that keeps cookies and streams uploads (urllib, no extra library)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def log_in(self, username: str, password: str) -> int:
        self.get("/admin/login/")
        form = urllib.parse.urlencode({"username": username, "password": password, "next": "/admin/",
                                       "csrfmiddlewaretoken": self.csrf()}).encode()
        return self._open(urllib.request.Request(self.base + "/admin/login/?next=/admin/", data=form))[0]

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        """POST a form (with the CSRF token, as a browser would), following the redirect."""
        if not any(c.name == "csrftoken" for c in self.cookies):
            self.get(path)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(), **fields}).encode()
        return self._open(urllib.request.Request(self.base + path, data=form))

    def upload(self, path: str, field: str, files: list[Path], **fields) -> tuple[int, str]:
        """POST `fields` and `files` as multipart/form-data, streaming the files from disk."""
        boundary = uuid.uuid4().hex
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in {"csrfmiddlewaretoken": self.csrf(), **fields}.items()
        )
        parts = [
            (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{file.name}"\r\n'
             "Content-Type: text/plain\r\n\r\n").encode()
            for file in files
        ]
        tail = f"--{boundary}--\r\n".encode()

        def body():
            yield head
            for part, file in zip(parts, files):
                yield part
                with file.open("rb") as stream:
                    while chunk := stream.read(1 << 16):
                        yield chunk
                yield b"\r\n"
            yield tail

        size = len(head) + sum(len(p) + f.stat().st_size + 2 for p, f in zip(parts, files)) + len(tail)
        request = urllib.request.Request(self.base + path, data=body(), headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(size),
        })
        return self._open(request)

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=120) as response:
                self.url = response.url  # where redirects led
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
