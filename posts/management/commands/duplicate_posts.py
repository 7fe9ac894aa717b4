from django.core.management.base import BaseCommand

from posts.ingest.identity import possible_duplicates


class Command(BaseCommand):
    help = (
        "List pairs of posts that look like one post stored twice (the same title with the article's day in "
        "another year or less than a year apart, the same source file, a text both hold). Nothing is merged."
    )

    def handle(self, **options):
        suspects = possible_duplicates()
        for suspect in suspects:
            self.stdout.write(str(suspect))
        self.stdout.write(f"二重に保存されているかもしれない投稿: {len(suspects)}組")
