"""Security by default: CSP without inline code, CSRF on every POST, forged hosts, login throttling,
escaping of stored and reflected markup, error pages that tell nothing, on real PostgreSQL."""

import io
import ipaddress
from html.parser import HTMLParser

import django
import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from posts.ingest.importing import import_file, import_text
from posts.models import ImportBatch, Source
from tests.conftest import SEED

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script>"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def seed():
    return import_file(SEED).post


@pytest.fixture
def boss():
    return User.objects.create_superuser("boss", password="correct horse battery staple")


@pytest.fixture
def boss_client(boss):
    client = Client(enforce_csrf_checks=True)
    client.force_login(boss)
    return client


def site_pages(post) -> list[str]:
    source = post.quotes.first().source
    return [
        "/", "/?q=停戦", "/?q=ratcliffe&sort=relevance", f"/posts/{post.pk}/", f"/posts/{post.pk}/?q=停戦",
        "/sources/", source.get_absolute_url(), "/topics/", "/archive/2025/", "/archive/2025/8/",
        "/quotes/", "/quotes/?q=停戦", "/search/facets/source/?q=停戦", f"/links/?url={post.links.first().url}",
    ]


def admin_pages(post) -> list[str]:
    source = post.quotes.first().source
    return [
        "/admin/", "/admin/posts/post/", f"/admin/posts/post/{post.pk}/change/", "/admin/posts/source/",
        f"/admin/posts/source/{source.pk}/change/", "/admin/posts/quote/", "/admin/posts/link/",
        "/admin/posts/topic/", "/admin/posts/topic/add/", "/admin/posts/importbatch/",
        "/admin/posts/importbatch/new/", "/admin/auth/user/", "/admin/password_change/",
    ]


# Content-Security-Policy ------------------------------------------------------------------------------------------------


def test_every_response_carries_a_csp_without_unsafe_sources(client, boss_client, seed):
    for c, url in [(client, "/"), (client, f"/posts/{seed.pk}/"), (boss_client, "/admin/"), (client, LOGIN)]:
        policy = c.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'", url
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy, policy


class InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline scripts and styles, handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name} handler on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_code(html: str) -> list[str]:
    reader = InlineCode()
    reader.feed(html)
    return reader.found


def test_no_page_needs_inline_code_the_policy_would_block(client, boss_client, seed):
    for c, url in [(client, u) for u in site_pages(seed)] + [(boss_client, u) for u in admin_pages(seed)]:
        response = c.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    assert inline_code(Client().get(LOGIN).content.decode()) == []


def test_the_inline_code_finder_finds_inline_code():
    found = inline_code('<script>x()</script><p style="a" onclick="b"><a href="javascript:c">d</a><style></style>')
    assert len(found) == 5
    assert inline_code('<script src="/static/x.js"></script><script type="application/json">{}</script>') == []


# CSRF on every POST ------------------------------------------------------------------------------------------------------


def test_every_post_without_a_csrf_token_is_refused(boss_client, seed):
    """Public pages, data formats and every admin page refuse a POST that carries no token, even from staff."""
    urls = site_pages(seed) + admin_pages(seed) + [
        "/posts.json", "/posts.csv", f"/posts/{seed.pk}.json", "/sources.json", "/feed/", "/healthz",
        "/admin/logout/", f"/admin/posts/post/{seed.pk}/delete/",
    ]
    for url in urls:
        response = boss_client.post(url, {"q": "x", "action": "delete_selected", "_selected_action": [seed.pk]})
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode(), url
    assert Source.objects.exists() and seed.__class__.objects.filter(pk=seed.pk).exists()


def test_every_admin_form_that_posts_carries_a_token(boss_client, seed):
    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.forms: list[dict] = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.forms.append({"method": (attrs.get("method") or "get").lower(), "token": False})
            if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken" and self.forms:
                self.forms[-1]["token"] = True

    posting = 0
    for url in admin_pages(seed):
        reader = Forms()
        reader.feed(boss_client.get(url).content.decode())
        for form in reader.forms:
            if form["method"] == "post":
                posting += 1
                assert form["token"], url
    assert posting >= 8


# Hosts, errors ------------------------------------------------------------------------------------------------------------


def assert_tells_nothing(body: str) -> None:
    for secret in ("Traceback", "SECRET-DETAIL", "Django", django.get_version(), "psycopg", "settings", "Python"):
        assert secret not in body, secret


def test_a_forged_host_header_gets_400_and_a_plain_page(client):
    response = client.get("/", HTTP_HOST="evil.example.org")
    assert response.status_code == 400
    body = response.content.decode()
    assert "リクエストを処理できません" in body
    assert "evil.example.org" not in body
    assert_tells_nothing(body)


@pytest.mark.urls("tests.failing_urls")
def test_a_server_error_shows_a_plain_page_without_details():
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "サーバーでエラーが起きました" in body
    assert_tells_nothing(body)


def test_not_found_and_forbidden_pages_are_plain_and_reflect_nothing(client, seed):
    for url in ["/posts/999999999/", f"/sources/{HOSTILE}/", f"/nothing/{HOSTILE}"]:
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.content.decode()
        assert "ページが見つかりません" in body and "<script>" not in body and "alert" not in body
        assert_tells_nothing(body)
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "フォームの有効期限が切れました" in response.content.decode()
    assert_tells_nothing(response.content.decode())


# Login throttling ------------------------------------------------------------------------------------------------------------


def log_in(client: Client, username: str, password: str):
    client.get(LOGIN)
    return client.post(LOGIN, {"username": username, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_admin_login_is_refused_after_repeated_failures(boss, settings):
    client = Client(enforce_csrf_checks=True)
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert log_in(client, "boss", "wrong").status_code == 200  # the form again, with its error
    locked = log_in(client, "boss", "wrong")
    assert locked.status_code == 429
    assert "ログインを一時停止しています" in locked.content.decode()
    assert f"{settings.LOGIN_COOLOFF.seconds // 60}分間" in locked.content.decode()
    # Locked out: even the right password is refused, and no session is made.
    right = log_in(client, "boss", "correct horse battery staple")
    assert right.status_code == 429
    assert client.get("/admin/").status_code == 302
    # Another user name from the same address is not locked out.
    User.objects.create_superuser("other", password="another good password")
    assert log_in(Client(enforce_csrf_checks=True), "other", "another good password").status_code == 302


def test_a_successful_login_clears_earlier_failures(boss, settings):
    client = Client(enforce_csrf_checks=True)
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "boss", "wrong")
    assert log_in(client, "boss", "correct horse battery staple").status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert log_in(client, "boss", "wrong").status_code == 200
    assert log_in(client, "boss", "correct horse battery staple").status_code == 302


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_login_with_an_unsafe_next_lands_on_the_admin(boss, unsafe):
    client = Client(enforce_csrf_checks=True)
    client.get(f"/admin/login/?next={unsafe}")
    response = client.post(f"/admin/login/?next={unsafe}", {
        "username": "boss", "password": "correct horse battery staple", "next": unsafe,
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    })
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


# Escaping: stored and reflected -------------------------------------------------------------------------------------------


@pytest.fixture
def hostile_post():
    text = (
        f"『{HOSTILE}』(2025/8/4日経 {HOSTILE})について\n\n"
        f"8/4Evil{HOSTILE}<{HOSTILE}={HOSTILE}の見出し>\n本文{HOSTILE}\nhttps://example.org/2025/08/04/x\n→{HOSTILE}\n\n"
        f"論評{HOSTILE}\n\n記事\n\n記事{HOSTILE}\n"
    )
    return import_text(text, name=f"{HOSTILE}.txt").post


def test_stored_markup_is_text_in_every_admin_view(boss_client, hostile_post):
    source = Source.objects.get(name__startswith="Evil")
    batch = ImportBatch.objects.create(user=None)
    urls = admin_pages(hostile_post) + [
        f"/admin/posts/source/{source.pk}/change/", "/admin/posts/post/?q=script", f"/admin/posts/importbatch/{batch.pk}/change/",
    ]
    for url in urls:
        response = boss_client.get(url)
        assert response.status_code == 200, url
        assert "<script>alert" not in response.content.decode(), url
    assert "&lt;script&gt;alert" in boss_client.get(f"/admin/posts/post/{hostile_post.pk}/change/").content.decode()


@pytest.mark.parametrize(
    "url",
    ["/?q={h}", "/?q={h}&source={h}&topic={h}&part={h}&sort={h}&date_from={h}", "/search/feed/?q={h}",
     "/posts.csv?q={h}", "/admin/login/?next={h}", "/sources/?q={h}", "/?page={h}", "/quotes/?q={h}&source={h}&lang={h}",
     "/quotes.csv?q={h}", "/links/?url={h}", "/search/facets/source/?q={h}&filter={h}", "/sources/?name={h}&sort={h}",
     "/?q=outlet:{h} title:{h} in:{h}"],
)
def test_reflected_markup_is_escaped(client, seed, url):
    body = client.get(url.format(h=HOSTILE)).content.decode()
    assert "<script>alert" not in body


def test_query_and_filter_syntax_is_plain_text(client, seed):
    """SQL and tsquery syntax find what they spell, fail nothing, and drop no table."""
    for q in ["'; DROP TABLE posts_post; --", "停戦 & !ratcliffe", "a:* | b <-> c", "1' OR '1'='1", "\\"]:
        assert client.get("/", {"q": q}).status_code == 200, q
        assert client.get("/posts.json", {"q": q, "source": q, "topic": q}).status_code in (200, 400), q
    assert client.get("/", {"q": "停戦"}).content.decode().count(f"/posts/{seed.pk}/") >= 1


def test_a_lock_out_behind_the_proxy_is_for_one_visitor_only(boss, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1")]  # the test client's address: the proxy
    attacker = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(attacker, "boss", "wrong")
    assert log_in(attacker, "boss", "correct horse battery staple").status_code == 429
    owner = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert log_in(owner, "boss", "correct horse battery staple").status_code == 302


# Passwords ---------------------------------------------------------------------------------------------------------------


def test_a_password_shorter_than_12_characters_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_password("kqzvbmwlrtx")  # 11 characters, neither common nor numeric
    assert refused.value.messages == ["このパスワードは短すぎます。最低 12 文字以上必要です。"]
    validate_password("kqzvbmwlrtxp")


def test_createsuperuser_asks_again_for_a_password_shorter_than_12_characters(monkeypatch):
    from django.contrib.auth.management.commands import createsuperuser

    passwords = iter(["kqzvbmwlrtx", "kqzvbmwlrtx", "kqzvbmwlrtxp", "kqzvbmwlrtxp"])
    answers = iter(["admin", "admin@example.org", "n"])  # user name, e-mail, "bypass the validation?" no
    monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": next(passwords))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    errors = io.StringIO()

    call_command("createsuperuser", interactive=True, stdin=FakeTerminal(), stdout=io.StringIO(), stderr=errors)

    assert "このパスワードは短すぎます。最低 12 文字以上必要です。" in errors.getvalue()
    assert User.objects.get(username="admin").check_password("kqzvbmwlrtxp")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True
