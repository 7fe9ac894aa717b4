import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from posts.decoding import RefusedFile
from posts.importing import FAILED, OUTCOMES, ImportResult, display_name, find_post_files, import_file, read_post_file
from posts.parser import parse_post


class Command(BaseCommand):
    help = (
        "Import post files (and every *.txt under directories) into the archive. "
        "--dry-run parses with the built-in outlet list only, touching no database."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or directories")
        parser.add_argument("--dry-run", action="store_true", help="parse only; touch no database")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    def handle(self, *, paths, dry_run, format, verbosity, **options):
        files = list(find_post_files(paths))
        if dry_run:
            failed = sum(self.print_parsed(path, format) for path in files)
        else:
            failed = self.import_all(files, format, verbosity)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed", returncode=1)

    def import_all(self, files, format, verbosity) -> int:
        counts = dict.fromkeys(OUTCOMES, 0)
        with tqdm(total=len(files), unit="file", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            for path in files:
                result = import_file(path)
                counts[result.outcome] += 1
                with bar.external_write_mode():
                    self.report(result, format, verbosity)
                bar.update()
        if format == "json":
            self.stdout.write(json.dumps({"summary": counts}))
        else:
            self.stdout.write(" / ".join(f"{counts[o]} {o}" for o in OUTCOMES))
        return counts[FAILED]

    def report(self, result: ImportResult, format: str, verbosity: int) -> None:
        if format == "json":
            line = {"file": result.name, "outcome": result.outcome}
            line |= {"error": result.error} if result.error else {"post": result.post.pk, "warnings": list(result.warnings)}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        elif result.outcome == FAILED:
            self.stdout.write(self.style.ERROR(f"failed     {result.name}: {result.error}"))
        else:
            post = result.post
            counts = f"{post.quotes.count()} quotes, {len(result.warnings)} warnings"
            self.stdout.write(f"{result.outcome:<10} {result.name}  #{post.pk} {post.title[:40]} ({counts})")
            if verbosity >= 2:
                for warning in result.warnings:
                    self.stdout.write(f"           warning: {warning}")

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
            self.stdout.write(json.dumps({"file": name, **parsed.to_dict()}, ensure_ascii=False))
        else:
            self.stdout.write(f"{name}: {parsed.title} ({len(parsed.quotes)} quotes, {len(parsed.warnings)} warnings)")
            for warning in parsed.warnings:
                self.stdout.write(f"    warning: {warning}")
        return False
