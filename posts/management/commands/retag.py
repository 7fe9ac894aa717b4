import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from posts.ingest.tagging import RetagSummary, retag
from posts.models import Post, Topic


class Command(BaseCommand):
    help = (
        "Re-apply the topics' keyword rules (edited in the admin) to every post, and report what changed: "
        "each changed post, then each topic's posts added and removed. --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    def handle(self, *, dry_run, verbosity, **options):
        rules = Topic.objects.rules()
        names = dict(Topic.objects.values_list("id", "name"))
        posts = Post.objects.prefetch_related("quotes").order_by("id")
        summary = RetagSummary()
        with tqdm(total=posts.count(), unit="post", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            for post in posts.iterator(chunk_size=200):
                with transaction.atomic():
                    change = retag(post, rules, dry_run=dry_run)
                summary.count(change)
                if change is not None and verbosity >= 1:
                    signed = [f"+{names[i]}" for i in sorted(change.added, key=names.get)]
                    signed += [f"-{names[i]}" for i in sorted(change.removed, key=names.get)]
                    with bar.external_write_mode():
                        self.stdout.write(f"post {post.pk} 『{post.title[:40]}』 {' '.join(signed)}")
                bar.update()
        for topic_id in sorted(summary.topics(), key=names.get):
            self.stdout.write(f"{names[topic_id]}: +{summary.added[topic_id]} -{summary.removed[topic_id]}")
        if dry_run:
            self.stdout.write(f"{summary.posts} posts read, {summary.changed} would change (dry run: nothing written)")
        else:
            self.stdout.write(f"{summary.posts} posts retagged, {summary.changed} changed")
