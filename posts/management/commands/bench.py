import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from posts import benchmark


class Command(BaseCommand):
    help = (
        "Generate N posts, import them into a fresh database (archive_bench; it is dropped first) and measure import, storage, "
        "search and page latency, baselines (ILIKE, grep) and load (gunicorn + wrk). Writes bench/results/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="import processes")
        parser.add_argument("--load-seconds", type=int, default=60, help="0 skips the load test")
        parser.add_argument("--out", type=Path, default=Path(settings.BASE_DIR) / "bench" / "results")
        parser.add_argument("--database", default=benchmark.DATABASE, help="the database to drop, create and fill")

    def handle(self, *, posts, seed, jobs, load_seconds, out, database, **options):
        results = benchmark.run(posts, seed, jobs, load_seconds, out, database, log=self.stderr.write)
        self.stdout.write(benchmark.markdown(results))
