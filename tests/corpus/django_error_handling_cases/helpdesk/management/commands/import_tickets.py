import csv

from django.core.management.base import BaseCommand, CommandError

from helpdesk.models import Ticket


class Command(BaseCommand):
    help = "Import tickets from the old tracker's CSV export"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        failed = 0
        with open(options["path"], newline="") as fh:
            for row in csv.DictReader(fh):
                try:
                    Ticket.objects.update_or_create(external_id=row["id"], defaults={"subject": row["subject"]})
                except Exception:  # expect: error-handling
                    pass
                try:
                    Ticket.objects.filter(external_id=row["id"]).update(priority=int(row["priority"]))
                except Exception as exc:  # ok: error-handling
                    failed += 1
                    self.stderr.write(f"row {row['id']}: {exc}")
        if failed:
            raise CommandError(f"{failed} rows failed")
