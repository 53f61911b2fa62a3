"""Create (or reset) two paired demo users, so a newcomer can try both sides at once."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from couples import services
from couples.models import User
from couples.tokens import hash_token

DEMO_USERS = (
    ("alex@example.com", "Alex", "Europe/London"),
    ("sam@example.com", "Sam", "America/New_York"),
)
DEFAULT_PASSWORD = "hearth-demo-pass"  # noqa: S105 - demo accounts only, printed on purpose


class Command(BaseCommand):
    help = "Create or reset the demo couple alex@example.com and sam@example.com."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for both users.")

    @transaction.atomic
    def handle(self, *args, password, **options):
        User.objects.filter(email__in=[email for email, _, _ in DEMO_USERS]).delete()
        users = [
            User.objects.create_user(
                email, password, display_name=name, time_zone=tz, consented_at=timezone.now()
            )
            for email, name, tz in DEMO_USERS
        ]
        alex, sam = users
        services.couple_create(creator=alex)
        invite = services.invite_create(user=alex)
        services.invite_accept(token_hash=hash_token(invite.token), user=sam)
        from practice.demo import seed_practice

        extra = seed_practice(alex, sam) or ""
        self.stdout.write(self.style.SUCCESS("Demo couple ready."))
        self.stdout.write(
            "Open two browser windows (one private) at http://127.0.0.1:8000/accounts/login/\n"
            f"  Alex: alex@example.com / {password}\n"
            f"  Sam:  sam@example.com / {password}\n"
            "Start a check-in as Alex; Sam sees “Join” appear on the home page."
        )
        if extra:
            self.stdout.write(extra)
