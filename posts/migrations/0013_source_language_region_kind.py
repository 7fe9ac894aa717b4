
import django.contrib.postgres.fields

"""Outlets keep their language, country or region, and kind; the built-in outlets get theirs
(posts/ingest/outlets.py), the others are left for the admin."""

from django.db import migrations, models

from posts.ingest.outlets import KNOWN_OUTLETS


def describe_known_outlets(apps, schema_editor):
    Source = apps.get_model("posts", "Source")
    known = {outlet.name: outlet for outlet in KNOWN_OUTLETS}
    for source in Source.objects.filter(name__in=list(known)):
        outlet = known[source.name]
        source.language, source.region, source.kind = outlet.language, outlet.region, outlet.kind
        source.save(update_fields=["language", "region", "kind"])


class Migration(migrations.Migration):

    dependencies = [
        ('posts', '0012_link_url_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='source',
            name='kind',
            field=models.CharField(choices=[('news', 'ニュースサイト'), ('x', 'Xアカウント'), ('japanese', '日本のメディア'), ('other', 'その他')], default='other', max_length=10, verbose_name='種類'),
        ),
        migrations.AddField(
            model_name='source',
            name='language',
            field=models.CharField(blank=True, choices=[('ja', '日本語'), ('en', '英語'), ('zh', '中国語'), ('other', 'その他')], max_length=5, verbose_name='言語'),
        ),
        migrations.AddField(
            model_name='source',
            name='region',
            field=models.CharField(blank=True, max_length=50, verbose_name='国・地域'),
        ),
        migrations.AlterField(
            model_name='source',
            name='aliases',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=200), blank=True, default=list, size=None, verbose_name='別表記'),
        ),
        migrations.AlterField(
            model_name='source',
            name='domains',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=253), blank=True, default=list, size=None, verbose_name='ドメイン'),
        ),
        migrations.AlterField(
            model_name='source',
            name='name',
            field=models.CharField(max_length=200, unique=True, verbose_name='名前'),
        ),
        migrations.RunPython(describe_known_outlets, migrations.RunPython.noop),
    ]
