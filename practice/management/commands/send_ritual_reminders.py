"""Email partners before their weekly ritual. Run from cron every few minutes; idempotent."""

from django.core.management.base import BaseCommand

from practice.rituals import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send ritual reminder emails that are due (each at most once per partner per occurrence)."
    )

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
