"""Search passages keep their runs (text) instead of a tsvector; the GIN index is on the lexemes
PostgreSQL makes from them (see posts/search/tokens.py and posts/models/lookups.py).

Rebuilds every post's passages, as `manage.py reindex` does: a few minutes for 10,000 posts.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

import posts.models.lookups
from posts.search import passages, tokens

# The lexemes of `tokens.document_runs` output: each CJK run's bigrams (its last character alone), each
# word (marked with _) whole. Only spaces separate runs. Twin of `tokens.lexemes`, which the tests compare it with.
LEXEMES = r"""
CREATE OR REPLACE FUNCTION posts_lexemes(runs text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(array_remove(string_to_array(
        regexp_replace(cjk, '([^ ][^ ]?)', '\1 ', 'g') || ' ' ||
        regexp_replace(regexp_replace(cjk, '(^| )[^ ]', '\1', 'g'), '([^ ][^ ]?)', '\1 ', 'g') || ' ' ||
        translate(regexp_replace(runs, '(^| )[^_ ][^ ]*', '\1', 'g'), '_', ''),
        ' '), ''))
    FROM (SELECT regexp_replace(runs, '_[^ ]*', '', 'g') AS cjk) AS words_removed
$$
"""


def rebuild_passages(apps, schema_editor):
    Post, Passage = apps.get_model("posts", "Post"), apps.get_model("posts", "Passage")
    for post in Post.objects.order_by("id").iterator(chunk_size=100):
        texts = [("title", None, "title", post.title)]
        for quote in post.quotes.order_by("position"):
            texts += [
                ("quote", quote, "original_title", quote.original_title),
                ("quote", quote, "translated_title", quote.translated_title),
                ("quote", quote, "body", quote.body),
                ("remark", quote, "remark", quote.remark),
            ]
        texts += [("commentary", None, "commentary", post.commentary), ("article", None, "article_body", post.article_body)]
        rows = []
        for part, quote, field, text in texts:
            for start, chunk in passages.passages(text or ""):
                runs = tokens.document_runs(chunk)
                if runs:
                    rows.append(Passage(post=post, quote=quote, part=part, field=field, start=start, runs=runs))
        Passage.objects.filter(post=post).delete()
        Passage.objects.bulk_create(rows)
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the new rows now, so that the index can be built


class Migration(migrations.Migration):
    dependencies = [("posts", "0006_record_labels_and_wide_positions")]

    operations = [
        migrations.RunSQL(LEXEMES, "DROP FUNCTION IF EXISTS posts_lexemes(text)"),
        migrations.RemoveIndex(model_name="passage", name="passage_vector"),
        migrations.RemoveField(model_name="passage", name="vector"),
        migrations.AddField(model_name="passage", name="runs", field=models.TextField(default=""), preserve_default=False),
        migrations.RunPython(rebuild_passages, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="passage",
            index=django.contrib.postgres.indexes.GinIndex(posts.models.lookups.Lexemes("runs"), name="passage_lexemes"),
        ),
    ]
