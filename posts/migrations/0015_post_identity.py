"""A post keeps the name of the file it was first imported from, as its identity by file; an earlier
text's hash finds its post. Posts that already look stored twice are reported, never merged.

Each post's `file_name` is its `source_file` when no other post has that name (pasted text has none).
The report goes to the migration's output; `manage.py duplicate_posts` shows it again.
"""

from django.db import migrations, models

from posts.ingest.identity import NO_FILE_NAMES, possible_duplicates


def name_posts_and_report_duplicates(apps, schema_editor):
    Post, Revision = apps.get_model("posts", "Post"), apps.get_model("posts", "Revision")
    named = Post.objects.exclude(source_file__in=NO_FILE_NAMES)
    shared = named.values("source_file").annotate(n=models.Count("pk")).filter(n__gt=1).values("source_file")
    named.exclude(source_file__in=shared).update(file_name=models.F("source_file"))
    suspects = possible_duplicates(Post, Revision)
    if suspects:
        print(f"\n  同じ投稿が二重に保存されているかもしれません({len(suspects)}組、統合はしていません):")
        for suspect in suspects:
            print(f"    {suspect}")


class Migration(migrations.Migration):

    dependencies = [
        ('posts', '0014_cache_table'),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='file_name',
            field=models.CharField(blank=True, help_text='この名前のファイルを取り込むと、この投稿を更新します(最初に取り込んだファイルの名前)。空にすると、ファイル名では結び付けません。', max_length=255, verbose_name='識別用のファイル名'),
        ),
        migrations.AlterField(
            model_name='revision',
            name='content_hash',
            field=models.CharField(db_index=True, max_length=64),
        ),
        migrations.AddConstraint(
            model_name='post',
            constraint=models.UniqueConstraint(condition=models.Q(('file_name', ''), _negated=True), fields=('file_name',), name='post_file_name', violation_error_message='この識別用のファイル名は、ほかの投稿が使っています。'),
        ),
        # After the schema changes: PostgreSQL alters no table that has rows updated in the same transaction.
        migrations.RunPython(name_posts_and_report_duplicates, migrations.RunPython.noop),
    ]
