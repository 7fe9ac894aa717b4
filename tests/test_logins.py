"""Admin login lock-outs (archive/logins.py) against the attacks of the security issue: one password sprayed over many
user names, one user name tried from many addresses, and an attacker behind the admin's own address (a NAT)."""

import datetime as dt
import ipaddress
import itertools

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client

from tests.test_security import log_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
DEVICE_COOKIE = "archive_device"
addresses = (f"198.51.{n // 250}.{n % 250 + 1}" for n in itertools.count())  # a new one for each visitor


@pytest.fixture(autouse=True)
def documented_limits(settings):
    """The defaults of .env.example, whatever the environment running the tests says."""
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 10
    settings.LOGIN_COOLOFF = dt.timedelta(minutes=15)
    settings.LOGIN_COOLOFF_MAX = dt.timedelta(hours=24)
    settings.LOGIN_DEVICE_DAYS = 30


@pytest.fixture
def boss():
    return User.objects.create_superuser("boss", password=PASSWORD)


@pytest.fixture
def behind_proxy(settings):
    """Behind the TLS proxy (DJANGO_HTTPS on), which is the test client's own address."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1")]


def visitor(address: str | None = None) -> Client:
    """A browser; from `address` when it comes through the proxy (X-Forwarded-For), else from 127.0.0.1."""
    return Client(enforce_csrf_checks=True, **({"HTTP_X_FORWARDED_FOR": address} if address else {}))


def minutes_locked(response) -> int | None:
    body = response.content.decode()
    if response.status_code != 429:
        return None
    return int(body.split("ログインを")[-1].split("分間")[0])


def time_passes(minutes: int) -> None:
    """Every failure recorded so far moves `minutes` into the past."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


# One address, many user names -----------------------------------------------------------------------------------------


def test_one_password_sprayed_over_many_user_names_locks_the_address_out(boss, settings):
    client = visitor()
    statuses = [log_in(client, f"user{n}", "Winter2025!").status_code for n in range(30)]
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit - 1 :] == [429] * (30 - limit + 1)
    # The whole address waits, the real admin there too; elsewhere the admin logs in.
    assert log_in(visitor(), "boss", PASSWORD).status_code == 429
    assert log_in(Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9"), "boss", PASSWORD).status_code == 302


def test_an_address_lock_out_ends_after_the_cool_off(boss, settings):
    client = visitor()
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        log_in(client, f"user{n}", "Winter2025!")
    time_passes(settings.LOGIN_COOLOFF.seconds // 60 + 1)
    assert log_in(visitor(), "boss", PASSWORD).status_code == 302


def test_a_new_x_forwarded_for_on_each_try_does_not_get_around_the_lock_out(boss, settings):
    """DJANGO_HTTPS on (X-Forwarded-Proto trusted), no trusted proxies: the header is the client's own word."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    statuses = [log_in(visitor(next(addresses)), "boss", "a guess").status_code for _ in range(6)]
    assert statuses == [200] * 4 + [429] * 2


# One user name, many addresses ----------------------------------------------------------------------------------------


def test_one_user_name_tried_from_many_addresses_is_locked_out(boss, settings, behind_proxy):
    limit = settings.LOGIN_USERNAME_FAILURE_LIMIT
    statuses = [log_in(visitor(next(addresses)), "boss", f"guess {n}").status_code for n in range(limit + 5)]
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit - 1 :] == [429] * 6
    # A new address with the right password is refused too: it is one more of the many.
    assert log_in(visitor(next(addresses)), "boss", PASSWORD).status_code == 429


def test_a_user_name_cool_off_doubles_with_each_guess_past_the_limit(boss, settings, behind_proxy):
    for n in range(settings.LOGIN_USERNAME_FAILURE_LIMIT - 1):
        log_in(visitor(next(addresses)), "boss", f"guess {n}")
    seen = []
    for _ in range(4):
        seen.append(minutes_locked(log_in(visitor(next(addresses)), "boss", "another guess")))
        time_passes(seen[-1] + 1)  # the lock has passed: one more guess, which locks it again
    assert seen == [15, 30, 60, 120]
    assert log_in(visitor(next(addresses)), "boss", PASSWORD).status_code == 302  # after the last lock


def test_the_user_name_cool_off_stops_at_the_maximum(settings):
    from archive.logins import username_cool_off

    assert username_cool_off(settings.LOGIN_USERNAME_FAILURE_LIMIT) == settings.LOGIN_COOLOFF
    assert username_cool_off(settings.LOGIN_USERNAME_FAILURE_LIMIT + 6) == dt.timedelta(minutes=960)
    assert username_cool_off(settings.LOGIN_USERNAME_FAILURE_LIMIT + 7) == dt.timedelta(hours=24)
    assert username_cool_off(settings.LOGIN_USERNAME_FAILURE_LIMIT + 10_000) == dt.timedelta(hours=24)


# The admin's own browser ----------------------------------------------------------------------------------------------


def admins_browser(address: str | None = None) -> Client:
    """A browser that has logged in as boss before (and logged out)."""
    browser = visitor(address)
    assert log_in(browser, "boss", PASSWORD).status_code == 302
    browser.post("/admin/logout/", {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    return browser


def test_a_browser_that_logs_in_gets_a_device_cookie_only_it_can_read(boss, settings):
    browser = visitor()
    log_in(browser, "boss", PASSWORD)
    cookie = browser.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] == 30 * 86400
    assert "boss" in cookie.value and PASSWORD not in cookie.value
    assert log_in(visitor(), "boss", "a wrong password").cookies.get(DEVICE_COOKIE) is None


def test_an_attacker_behind_the_admins_address_does_not_lock_the_admins_browser_out(boss, settings):
    """No proxy, one NAT: the attacker and the admin are one address."""
    browser = admins_browser()
    attacker = visitor()
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 3):
        log_in(attacker, "boss", "a guess")
    assert log_in(attacker, "boss", PASSWORD).status_code == 429
    assert log_in(browser, "boss", PASSWORD).status_code == 302


def test_an_attack_from_many_addresses_does_not_lock_the_admins_browser_out(boss, settings, behind_proxy):
    browser = admins_browser("203.0.113.9")
    for n in range(settings.LOGIN_USERNAME_FAILURE_LIMIT + 3):
        log_in(visitor(next(addresses)), "boss", f"guess {n}")
    assert log_in(visitor(next(addresses)), "boss", PASSWORD).status_code == 429
    assert log_in(browser, "boss", PASSWORD).status_code == 302
    travelling = visitor(next(addresses))
    travelling.cookies[DEVICE_COOKIE] = browser.cookies[DEVICE_COOKIE].value
    assert log_in(travelling, "boss", PASSWORD).status_code == 302  # the browser, wherever it is


def test_a_device_cookie_buys_no_more_guesses_than_anybody_gets(boss, settings):
    browser = admins_browser()
    statuses = [log_in(browser, "boss", f"guess {n}").status_code for n in range(settings.LOGIN_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.LOGIN_FAILURE_LIMIT - 1) + [429]
    assert minutes_locked(log_in(browser, "boss", PASSWORD)) == settings.LOGIN_COOLOFF.seconds // 60


def test_a_new_password_sends_old_devices_back_to_the_crowd(boss, settings):
    browser = admins_browser()
    boss.set_password("a brand new passphrase")
    boss.save()
    attacker = visitor()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(attacker, "boss", "a guess")
    assert log_in(browser, "boss", "a brand new passphrase").status_code == 429


def test_a_device_cookie_is_for_its_own_user_name_only(boss, settings):
    User.objects.create_superuser("clerk", password="another good passphrase")
    browser = admins_browser()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(visitor(), "clerk", "a guess")
    assert log_in(browser, "clerk", "another good passphrase").status_code == 429


def test_a_forged_device_cookie_is_no_device(boss, settings):
    browser = visitor()
    browser.cookies[DEVICE_COOKIE] = "0123456789abcdef:forged:boss"
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(visitor(), "boss", "a guess")
    assert log_in(browser, "boss", PASSWORD).status_code == 429


def test_public_pages_do_not_vary_by_cookie_for_the_device_cookie(boss, client):
    assert "Cookie" not in client.get("/healthz").get("Vary", "")
