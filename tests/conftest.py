import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests (tests/test_properties.py): the suite runs a fixed set of examples, the same on every run;
# `HYPOTHESIS_PROFILE=explore` searches afresh with many more (see the README's table of checks).
settings.register_profile("suite", max_examples=300, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_89363e7e5bbeb1cc.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# A quote to put before the seed's first one: edited_seed(("\n\n8/4The Gateway Pundit<", f"\n\n{INSERTED_QUOTE}8/4…")).
INSERTED_QUOTE = "8/3Reuters<Inserted headline=挿入された見出し>\n\n挿入された本文。\n\nhttps://www.reuters.com/world/2025/08/03/inserted/\n\n"


def edited_seed(*replacements: tuple[str, str]) -> str:
    """The seed's text with each (old, new) replaced once; each `old` must be in it."""
    text = SEED.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    return text


CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, installed by `make test`) for every browser test, driven by Playwright."""
    from playwright import sync_api as playwright

    assert os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium"
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def unlimited(settings):
    """A reader clicking through searches in a few seconds: the per-client limits (tests/web/test_limits.py) would
    count every test's searches from 127.0.0.1 in a cache table no test transaction rolls back. Browser tests use it
    (`pytest.mark.usefixtures("unlimited")`)."""
    settings.RATELIMIT_ENABLE = False


def write_post(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def small_post(title: str = "小さな投稿", day: int = 4, body: str = "本文。") -> str:
    """A minimal well-formed post: title line, one quote with a URL, commentary, article."""
    return (
        f"『{title}』(8/{day}日経 山田太郎)について\n\n"
        f"8/{day}Reuters<Tariffs rise={title}の関税>\n{body}\n\n"
        f"https://www.reuters.com/world/2025/08/0{day}/tariffs/\n\n"
        "私の意見です。\n\n記事\n\n記事の本文。\n"
    )


def post_quoting(title: str, quotes: list[tuple[str, str]], *, article_outlet: str = "日経", commentary: str = "論評。",
                 article: str = "記事の本文。", remark: str = "") -> str:
    """A post's text quoting (outlet, body) pairs in order; `remark` is the blogger's arrow line after the last quote."""
    text = f"『{title}』(8/4{article_outlet} 記者)について\n\n"
    for n, (outlet, body) in enumerate(quotes, start=1):
        text += f"8/{n}{outlet}<Headline {n}=見出し{n}>\n{body}\n\nhttps://example.org/{n}/{len(title)}\n\n"
    return text + (f"→{remark}\n\n" if remark else "") + f"{commentary}\n\n記事\n\n{article}\n"


def database_url() -> str:
    """A DATABASE_URL naming the database the tests run on, for subprocesses."""
    from django.db import connection

    s = connection.settings_dict
    host = connection.get_connection_params().get("host") or s["HOST"]
    if host.startswith("/"):
        return f"postgresql://{s['USER']}:{s['PASSWORD'] or ''}@/{s['NAME']}?host={host}"
    return f"postgresql://{s['USER']}:{s['PASSWORD'] or ''}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def manage_py(*args: str, database_url: str, **popen) -> subprocess.Popen:
    """Start `manage.py ARGS` against the test database."""
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **popen)


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would submit from a form of `html` (the first, or the one with `form_id`)."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.fields, self.in_form, self.select, self.textarea, self.done = [], False, None, None, False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and not self.done and (form_id is None or attrs.get("id") == form_id):
                self.in_form = True
            if not self.in_form:
                return
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file", "image", "reset"):
                if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                    return
                self.fields.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
            elif tag == "select" and name:
                self.select = name
            elif tag == "option" and self.select and "selected" in attrs:
                self.fields.append((self.select, attrs.get("value", "")))
            elif tag == "textarea" and name:
                self.textarea = [name, ""]

        def handle_data(self, data):
            if self.textarea is not None:
                self.textarea[1] += data

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea" and self.textarea is not None:
                value = self.textarea[1][1:] if self.textarea[1].startswith("\n") else self.textarea[1]
                self.fields.append((self.textarea[0], value))
                self.textarea = None
            elif tag == "form" and self.in_form:
                self.in_form, self.done = False, True

    reader = Reader()
    reader.feed(html)
    return reader.fields
