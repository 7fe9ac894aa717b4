from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class PostsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "posts"
    verbose_name = "投稿アーカイブ"

    def ready(self):
        from posts.models import timeouts

        # Migrations rebuild indexes and tables: the web's statement_timeout must not cut them short.
        pre_migrate.connect(timeouts.lift_for_migrate, dispatch_uid="posts.lift_statement_timeout")
        post_migrate.connect(timeouts.restore_after_migrate, dispatch_uid="posts.restore_statement_timeout")
