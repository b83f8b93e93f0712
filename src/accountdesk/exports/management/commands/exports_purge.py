from django.core.management.base import BaseCommand

from accountdesk.exports.services import export_job_purge


class Command(BaseCommand):
    help = "Delete background exports (and their files) past their day. Run it hourly or daily (cron)."

    def handle(self, *args, **options):
        deleted = export_job_purge()
        self.stdout.write(f"Deleted {deleted} expired exports.")
