"""The cache table every worker shares (settings.CACHES: the search rate limits count in it).

`createcachetable` makes the tables of the database caches the settings name and skips those that exist, so this
is safe to run again; a deployment whose settings add such a cache later runs `manage.py createcachetable`.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("posts", "0013_source_language_region_kind")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
