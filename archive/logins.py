"""Admin login throttling: which failures lock whom out, and for how long (django-axes' handler, AXES_HANDLER).

django-axes records every failed login as a row per user name, address and browser; this handler reads those rows
three ways, each with its own limit (settings.LOGIN_*):

- a user name at one address (LOGIN_FAILURE_LIMIT): guessing one account from one place;
- an address, whatever the user names (LOGIN_ADDRESS_FAILURE_LIMIT): one password sprayed over many accounts;
- a user name, whatever the address (LOGIN_USERNAME_FAILURE_LIMIT): one account guessed from many places.

Failures are remembered for LOGIN_COOLOFF_MAX. Once a count has reached its limit, each further failure locks it for
the cool-off (LOGIN_COOLOFF); for a user name across addresses the cool-off doubles with each failure past the limit,
up to LOGIN_COOLOFF_MAX, so that many addresses get few guesses. Refused tries are not failures
(AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off): a lock ends one cool-off after the last real guess.

Addresses cannot tell the real admin from an attacker behind the same NAT, nor keep a user name open to its owner
while the world guesses it. A browser can: one that logged in as a user name gets a signed cookie (a "device",
valid LOGIN_DEVICE_DAYS and until that user's password changes), and its failures are recorded under a name of its
own (AXES_USERNAME_CALLABLE), counted against it alone with LOGIN_FAILURE_LIMIT. Nobody else's failures lock it out;
its own do, so a stolen cookie buys no more guesses than anybody gets.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

DEVICE_COOKIE = "archive_device"
DEVICE_SALT = "archive.logins.device"
DEVICE_MARK = " [端末 "  # a device's failures are recorded as "<user name> [端末 <id>]", as the axes admin lists them


@dataclass(frozen=True)
class Count:
    failures: int
    last: dt.datetime | None


def count(now: dt.datetime, **match) -> Count:
    """The remembered failures of the rows that `match`, and when the last of them was."""
    found = AccessAttempt.objects.filter(attempt_time__gte=now - settings.LOGIN_COOLOFF_MAX, **match).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return Count(found["failures"] or 0, found["last"])


def username_cool_off(failures: int) -> dt.timedelta:
    """LOGIN_COOLOFF at the limit, doubled for each failure past it, at most LOGIN_COOLOFF_MAX."""
    doublings = min(max(failures - settings.LOGIN_USERNAME_FAILURE_LIMIT, 0), 32)
    return min(settings.LOGIN_COOLOFF * 2**doublings, settings.LOGIN_COOLOFF_MAX)


def locks(request, credentials: dict | None = None) -> list[dt.timedelta]:
    """The cool-offs of the counts that lock this request out now (none: it may try)."""
    now = request.axes_attempt_time or timezone.now()
    username = get_client_username(request, credentials)
    if username and DEVICE_MARK in username:
        checks = [(count(now, username=username), settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_COOLOFF)]
    else:
        address = request.axes_ip_address
        checks = [
            (count(now, username=username, ip_address=address), settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_COOLOFF),
            (count(now, ip_address=address), settings.LOGIN_ADDRESS_FAILURE_LIMIT, settings.LOGIN_COOLOFF),
        ]
        if username:
            across = count(now, username=username)
            checks.append((across, settings.LOGIN_USERNAME_FAILURE_LIMIT, username_cool_off(across.failures)))
    return [cool_off for found, limit, cool_off in checks if found.failures >= limit and found.last > now - cool_off]


def cool_off(request=None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: how long this request is locked out for, as the lockout page says."""
    if request is None or not hasattr(request, "axes_ip_address"):
        return settings.LOGIN_COOLOFF
    return max(locks(request), default=settings.LOGIN_COOLOFF)


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler, with the counts above in place of its single one.

    axes locks a request out when get_failures reaches AXES_FAILURE_LIMIT, which the settings set to 1: here
    get_failures is the number of counts that lock it.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        return len(locks(request, credentials))

    def clean_expired_user_attempts(self, request=None, credentials: dict | None = None) -> int:
        """Forget failures older than LOGIN_COOLOFF_MAX (axes would forget them after one request's cool-off)."""
        deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=timezone.now() - settings.LOGIN_COOLOFF_MAX).delete()
        return deleted


# Devices --------------------------------------------------------------------------------------------------------------


def password_binding(user) -> str:
    """Changes when the user's password does, so that a new password sends every old device back to the crowd."""
    return salted_hmac(DEVICE_SALT, user.password).hexdigest()


def device(request, user=None) -> tuple[str, str] | None:
    """The id and user name of the valid device cookie this request carries (for `user`, when given)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT,
                                      max_age=dt.timedelta(days=settings.LOGIN_DEVICE_DAYS))
    if value.count(":") < 2:
        return None
    device_id, binding, username = value.split(":", 2)
    if user is None:
        user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    if user is None or user.get_username() != username or not constant_time_compare(binding, password_binding(user)):
        return None
    return device_id, username


def axes_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the user name tried, or the name of the device that tries it.

    No user can have a device's name: user names have no spaces or brackets.
    """
    username = (credentials or request.POST).get(get_user_model().USERNAME_FIELD)
    found = device(request) if username and DEVICE_COOKIE in request.COOKIES else None
    if found and found[1] == username:
        return f"{username}{DEVICE_MARK}{found[0]}]"
    return username


def remember_device(request, response) -> None:
    """Gives a browser signed in as a user a device cookie for that user, unless it has a valid one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or device(request, user):
        return
    value = f"{secrets.token_hex(8)}:{password_binding(user)}:{user.get_username()}"
    response.set_signed_cookie(DEVICE_COOKIE, value, salt=DEVICE_SALT, max_age=settings.LOGIN_DEVICE_DAYS * 86400,
                               secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
