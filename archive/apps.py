"""django-axes under a Japanese name in the admin (it has no Japanese catalogue; its model names are in ours)."""

from axes.apps import AppConfig


class LoginRecordsConfig(AppConfig):
    verbose_name = "ログインの記録"
