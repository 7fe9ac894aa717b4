from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive import localdb


class Command(BaseCommand):
    help = "Start, stop or show the embedded PostgreSQL used when DATABASE_URL is not set."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, action, **options):
        if settings.DATABASES["default"]["ENGINE"] != "archive.embedded_db":
            raise CommandError("DATABASE_URL is set: there is no embedded database to manage.")
        pgdata = settings.EMBEDDED_PG_DIR
        if action == "start":
            socket_dir = localdb.ensure_running(pgdata)
            self.stdout.write(f"running: pid {localdb.server_pid(pgdata)}, socket in {socket_dir}")
        elif action == "stop":
            self.stdout.write("stopped" if localdb.stop(pgdata) else "not running")
        else:
            pid = localdb.server_pid(pgdata)
            self.stdout.write(f"running: pid {pid}, data in {pgdata}" if pid else f"not running (data in {pgdata})")
