import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from posts.ingest.tagging import retag
from posts.models import Post, Topic


class Command(BaseCommand):
    help = "Re-apply the topics' keyword rules (edited in the admin) to every post."

    def handle(self, *args, **options):
        rules = Topic.objects.rules()
        posts = Post.objects.prefetch_related("quotes").order_by("id")
        seen = changed = 0
        with tqdm(total=posts.count(), unit="post", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            for post in posts.iterator(chunk_size=200):
                with transaction.atomic():
                    changed += retag(post, rules)
                seen += 1
                bar.update()
        self.stdout.write(f"{seen} posts retagged, {changed} changed")
