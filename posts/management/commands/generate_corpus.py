import multiprocessing
from pathlib import Path

from django.core.management.base import BaseCommand

from posts.bench.corpus import write_corpus


class Command(BaseCommand):
    help = "Write N deterministic posts in the seed's format (for benchmarks): DIR/000000.txt …"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--jobs", type=int, default=max(multiprocessing.cpu_count(), 1))

    def handle(self, *, posts, out, seed, jobs, **options):
        total = write_corpus(out, posts, seed, jobs)
        self.stdout.write(f"{posts} posts, {total / 1e6:.1f} MB in {out}")
