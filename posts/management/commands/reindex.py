import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from posts.models import Post
from posts.search.index import bulk_indexing, flush_index, reindex


class Command(BaseCommand):
    help = "Rebuild every post's search passages from its stored parts: run after an upgrade changes how text is tokenized."

    def handle(self, *args, **options):
        ids = list(Post.objects.order_by("id").values_list("id", flat=True))
        done = 0
        with tqdm(total=len(ids), unit="post", file=sys.stderr, disable=not sys.stderr.isatty()) as bar, bulk_indexing():
            for pk in ids:
                with transaction.atomic():  # read under a lock, so that an import running meanwhile waits
                    post = Post.objects.select_for_update().filter(pk=pk).first()
                    if post:
                        reindex(post)
                done += 1
                bar.update()
        flush_index()
        self.stdout.write(f"{done} posts reindexed")
