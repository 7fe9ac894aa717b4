"""Each link keeps a key that is the same for the ways one URL is written (posts/ingest/links.py), so that the
posts citing an article can be found; read here for the links already stored."""

import django.contrib.postgres.indexes
from django.db import migrations, models

from posts.ingest.links import url_key


def read_keys(apps, schema_editor):
    Link = apps.get_model("posts", "Link")
    changed = []
    for link in Link.objects.only("id", "url").iterator(chunk_size=5000):
        link.url_key = url_key(link.url)
        changed.append(link)
        if len(changed) == 5000:
            Link.objects.bulk_update(changed, ["url_key"])
            changed = []
    Link.objects.bulk_update(changed, ["url_key"])


class Migration(migrations.Migration):
    dependencies = [("posts", "0011_quote_language")]

    operations = [
        migrations.AddField(
            model_name="link",
            name="url_key",
            field=models.TextField(
                blank=True, help_text="The URL without what varies between copies of it (posts/ingest/links.py)."
            ),
        ),
        migrations.RunPython(read_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="link",
            index=django.contrib.postgres.indexes.HashIndex(fields=["url_key"], name="link_url_key"),
        ),
    ]
