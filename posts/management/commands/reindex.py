import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from posts.models import Post


class Command(BaseCommand):
    help = "Rebuild every post's search passages from its stored parts: run after an upgrade changes how text is tokenized."

    def handle(self, *args, **options):
        posts = Post.objects.prefetch_related("quotes").order_by("id")
        done = 0
        with tqdm(total=posts.count(), unit="post", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            for post in posts.iterator(chunk_size=100):
                with transaction.atomic():
                    post.reindex()
                done += 1
                bar.update()
        self.stdout.write(f"{done} posts reindexed")
