"""Who the client is (archive/clients.py): X-Forwarded-For and X-Forwarded-Proto are believed from configured proxies
only, and a malformed or forged entry never lets a visitor choose their address."""

import ipaddress

import pytest
from django.test import Client

from archive.clients import client_ip

PROXIES = [ipaddress.ip_network("10.0.0.2"), ipaddress.ip_network("172.16.0.0/12")]


@pytest.fixture
def behind_proxies(settings):
    settings.TRUSTED_PROXIES = PROXIES


def ip(rf, remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_ip(rf.get("/", REMOTE_ADDR=remote, **headers))


def test_without_trusted_proxies_the_connection_is_the_client_whatever_the_headers_say(rf, settings):
    settings.TRUSTED_PROXIES = []
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # DJANGO_HTTPS on, as in production
    assert ip(rf, "198.51.100.7", "203.0.113.9") == "198.51.100.7"
    assert ip(rf, "198.51.100.7", "6.6.6.6, 203.0.113.9") == "198.51.100.7"


def test_a_client_that_is_no_trusted_proxy_cannot_choose_its_address(rf, behind_proxies):
    assert ip(rf, "198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_behind_the_proxies_the_first_untrusted_address_from_the_right_is_the_client(rf, behind_proxies):
    assert ip(rf, "10.0.0.2", "203.0.113.9") == "203.0.113.9"
    assert ip(rf, "10.0.0.2", "6.6.6.6, 203.0.113.9") == "203.0.113.9"  # what the client wrote itself is left of it
    assert ip(rf, "10.0.0.2", "6.6.6.6, 203.0.113.9, 172.20.1.1") == "203.0.113.9"  # past a second proxy of ours
    assert ip(rf, "10.0.0.2", " 2001:db8::1 ") == "2001:db8::1"


def test_malformed_entries_stop_the_walk_at_the_last_trusted_address(rf, behind_proxies):
    assert ip(rf, "10.0.0.2", "203.0.113.9, not-an-address") == "10.0.0.2"
    assert ip(rf, "10.0.0.2", "203.0.113.9:443, 172.20.1.1") == "172.20.1.1"  # a port is no address
    assert ip(rf, "10.0.0.2", "6.6.6.6,,") == "10.0.0.2"
    assert ip(rf, "10.0.0.2", "") == "10.0.0.2"
    assert ip(rf, "10.0.0.2") == "10.0.0.2"
    assert ip(rf, "10.0.0.2", "bogus, 203.0.113.9") == "203.0.113.9"  # left of the client: never read


def test_only_trusted_proxies_all_the_way_make_the_left_most_one_the_client(rf, behind_proxies):
    assert ip(rf, "10.0.0.2", "172.16.0.5, 172.20.1.1") == "172.16.0.5"


def test_an_ipv4_address_written_as_ipv6_is_the_same_address(rf, behind_proxies):
    assert ip(rf, "::ffff:10.0.0.2", "::ffff:203.0.113.9") == "203.0.113.9"
    assert ip(rf, "::ffff:198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_a_bad_trusted_proxies_setting_is_a_clear_error():
    from tests.test_deploy import PRODUCTION, manage

    done = manage("check", **PRODUCTION, DJANGO_TRUSTED_PROXIES="10.0.0.2,proxy.example.org")
    assert done.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: 'proxy.example.org' does not appear to be an IPv4 or IPv6 network" in done.stderr


# X-Forwarded-Proto ----------------------------------------------------------------------------------------------------


@pytest.fixture
def https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.django_db
def test_the_forwarded_protocol_is_believed_from_a_trusted_proxy(https, behind_proxies):
    response = Client(REMOTE_ADDR="10.0.0.2").get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_forwarded_protocol_from_anybody_else_is_ignored(https, behind_proxies):
    response = Client(REMOTE_ADDR="198.51.100.7").get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")
