"""Search folds the traditional, simplified and Japanese old and new forms of a Han character into one
(posts/search/tokens.py, `fold`): every passage's runs are made again in that form.

Post by post, each in its own transaction, as `manage.py reindex` does: the index stays, searches go on
while it runs (a post is found by its old or its new runs until it is done), and an interrupted
migration starts again from the beginning. The GIN index takes the new passages in 64 MB merges (see
posts/search/index.py, `bulk_indexing`) and is flushed at the end. Its time on 10,000 posts is in
docs/operations.md.
"""

from django.db import migrations, transaction

from posts.search import passages, tokens
from posts.search.index import BULK_INDEX_MEMORY

QUOTE_FIELDS = (("quote", "original_title"), ("quote", "translated_title"), ("quote", "body"), ("remark", "remark"))


def rebuild_passages(apps, schema_editor):
    Post, Passage = apps.get_model("posts", "Post"), apps.get_model("posts", "Passage")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SET gin_pending_list_limit = '{BULK_INDEX_MEMORY}'")
        cursor.execute(f"SET work_mem = '{BULK_INDEX_MEMORY}'")
    for pk in list(Post.objects.order_by("id").values_list("id", flat=True)):
        with transaction.atomic():
            post = Post.objects.select_for_update().filter(pk=pk).first()
            if post is None:
                continue
            texts = [("title", None, "title", post.title)]
            for quote in post.quotes.order_by("position"):
                texts += [(part, quote, field, getattr(quote, field)) for part, field in QUOTE_FIELDS]
            texts += [("commentary", None, "commentary", post.commentary), ("article", None, "article_body", post.article_body)]
            rows = [
                Passage(post=post, quote=quote, part=part, field=field, start=start, runs=runs)
                for part, quote, field, text in texts
                for start, chunk in passages.passages(text or "")
                if (runs := tokens.document_runs(chunk))
            ]
            Passage.objects.filter(post=post).delete()
            Passage.objects.bulk_create(rows)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('passage_lexemes')")
        cursor.execute("RESET gin_pending_list_limit")
        cursor.execute("RESET work_mem")


class Migration(migrations.Migration):
    atomic = False  # a transaction a post: searches go on meanwhile

    dependencies = [("posts", "0009_trigram_lexemes")]

    operations = [migrations.RunPython(rebuild_passages, migrations.RunPython.noop)]
