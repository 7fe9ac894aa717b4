import json
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections, reset_queries
from tqdm import tqdm

from posts.ingest.decoding import RefusedFile
from posts.ingest.importing import (
    CREATED,
    FAILED,
    OUTCOMES,
    UPDATED,
    display_name,
    find_post_files,
    import_file,
    read_post_file,
)
from posts.ingest.parser import parse_post
from posts.ingest.warning_text import warning_json, warning_text
from posts.search.index import bulk_indexing, flush_index


class Command(BaseCommand):
    help = (
        "Import post files (and every *.txt under directories) into the archive. "
        "--dry-run parses with the built-in outlet list only, touching no database."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or directories")
        parser.add_argument("--dry-run", action="store_true", help="parse only; touch no database")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")
        parser.add_argument(
            "--jobs", type=int, default=1, help="import in this many processes at once (each post is still one transaction)"
        )

    def handle(self, *, paths, dry_run, format, verbosity, jobs, **options):
        files = list(find_post_files(paths))
        if dry_run:
            failed = sum(self.print_parsed(path, format) for path in files)
        else:
            failed = self.import_all(files, format, verbosity, jobs)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed", returncode=1)

    def import_all(self, files, format, verbosity, jobs) -> int:
        counts = dict.fromkeys(OUTCOMES, 0)
        with tqdm(total=len(files), unit="file", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            for line in _imported(files, jobs):
                counts[line["outcome"]] += 1
                with bar.external_write_mode():
                    self.report(line, format, verbosity)
                bar.update()
        if counts[CREATED] or counts[UPDATED]:
            self.flush()
        if format == "json":
            self.stdout.write(json.dumps({"summary": counts}))
        else:
            self.stdout.write(" / ".join(f"{counts[o]} {o}" for o in OUTCOMES))
        return counts[FAILED]

    def flush(self) -> None:
        try:
            flush_index()
        except DatabaseError as error:  # the posts are stored; the index merges them later by itself
            self.stderr.write(f"the search index's pending list was not merged: {str(error).splitlines()[0]}")

    def report(self, line: dict, format: str, verbosity: int) -> None:
        if format == "json":
            shown = {"file": line["file"], "outcome": line["outcome"]}
            warnings = [warning_json(warning) for warning in line["warnings"]]
            shown |= {"error": line["error"]} if line["error"] else {"post": line["post"], "warnings": warnings}
            self.stdout.write(json.dumps(shown, ensure_ascii=False))
        elif line["outcome"] == FAILED:
            self.stdout.write(self.style.ERROR(f"failed     {line['file']}: {line['error']}"))
        else:
            counts = f"{line['quotes']} quotes, {len(line['warnings'])} warnings"
            self.stdout.write(f"{line['outcome']:<10} {line['file']}  #{line['post']} {line['title'][:40]} ({counts})")
            if verbosity >= 2:
                for warning in line["warnings"]:
                    self.stdout.write(f"           warning: {warning_text(warning)}")

    def print_parsed(self, path, format) -> bool:
        """Print one file's parsed form; True when the file was refused."""
        name = display_name(path)
        try:
            text, _ = read_post_file(path)
        except RefusedFile as refusal:
            self.stdout.write(json.dumps({"file": name, "error": str(refusal)}, ensure_ascii=False))
            return True
        parsed = parse_post(text)
        if format == "json":
            warnings = [warning_json(w.to_dict()) for w in parsed.warnings]
            self.stdout.write(json.dumps({"file": name, **parsed.to_dict(), "warnings": warnings}, ensure_ascii=False))
        else:
            self.stdout.write(f"{name}: {parsed.title} ({len(parsed.quotes)} quotes, {len(parsed.warnings)} warnings)")
            for warning in parsed.warnings:
                self.stdout.write(f"    warning: {warning_text(warning.to_dict())}")
        return False


WINDOW_PER_JOB = 64


def _imported(files, jobs: int):
    """Each file's outcome, in order, imported here or by `jobs` worker processes."""
    if jobs <= 1:
        yield from map(_import_one, files)
        return
    connections.close_all()  # workers start fresh (spawned, not forked), with their own connections
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=django.setup) as pool:
        # A window of files at a time: `pool.map` over all of them would hold a pending task per file,
        # and the command's memory would grow with the number of files.
        files = iter(files)
        while window := list(islice(files, WINDOW_PER_JOB * jobs)):
            yield from pool.map(_import_one, window, chunksize=4)


def _import_one(path) -> dict:
    reset_queries()  # with DEBUG on, Django logs every query: a long import would keep thousands of large ones
    with bulk_indexing():
        result = import_file(path)
    post = result.post
    return {
        "file": result.name,
        "outcome": result.outcome,
        "error": result.error,
        "post": post.pk if post else None,
        "title": post.title if post else "",
        "quotes": post.quotes.count() if post else 0,
        "warnings": list(result.warnings),
    }
