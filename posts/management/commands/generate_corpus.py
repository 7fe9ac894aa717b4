import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from posts.corpus import generate_post


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


def write_corpus(out: Path, posts: int, seed: int = 0, jobs: int = 1) -> int:
    """Write the corpus; return its size in bytes. Files already there with the right size are kept."""
    out.mkdir(parents=True, exist_ok=True)
    tasks = [(out, n, seed) for n in range(posts)]
    context = multiprocessing.get_context("spawn")
    with tqdm(total=posts, unit="post", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        if jobs <= 1:
            sizes = [_write(task) for task in tasks]
        else:
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                sizes = []
                for size in pool.map(_write, tasks, chunksize=64):
                    sizes.append(size)
                    bar.update()
    return sum(sizes)


def _write(task) -> int:
    out, n, seed = task
    data = generate_post(n, seed).encode("utf-8")
    path = out / f"{n:06d}.txt"
    if not path.exists() or path.stat().st_size != len(data):
        path.write_bytes(data)
    return len(data)
