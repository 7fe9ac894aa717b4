import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from posts.bench import attacks, benchmark


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
        parser.add_argument(
            "--searches-only", action="store_true",
            help="only measure search and page latency in --database as an earlier run left it (to compare two checkouts)",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text", help="--searches-only: output format")
        parser.add_argument(
            "--attacks-only", action="store_true",
            help="only measure the attack figures (worst queries, the home page under attack, the largest post) in --database",
        )

    def handle(self, *, posts, seed, jobs, load_seconds, out, database, searches_only, format, attacks_only, **options):
        if attacks_only:
            try:
                results = attacks.measure(database, out, log=self.stderr.write)
            except DatabaseError as error:
                raise CommandError(f"cannot read {database} (run the benchmark first?): {str(error).strip().splitlines()[0]}") from None
            self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))
            return
        if searches_only:
            try:
                results = benchmark.measure_searches(seed, database, log=self.stderr.write)
            except DatabaseError as error:
                raise CommandError(f"cannot read {database} (run the benchmark first?): {str(error).strip().splitlines()[0]}") from None
            self.stdout.write(json.dumps(results) if format == "json" else "\n".join(benchmark.latency_table(results)))
            return
        results = benchmark.run(posts, seed, jobs, load_seconds, out, database, log=self.stderr.write)
        self.stdout.write(benchmark.markdown(results))
