"""Small builders for test data, through the same services the app uses."""

from django.utils import timezone

from couples import services
from couples.models import User
from couples.tokens import hash_token

PASSWORD = "correct-horse-battery"


def make_user(email: str, name: str, tz: str = "UTC") -> User:
    return User.objects.create_user(
        email, PASSWORD, display_name=name, time_zone=tz, consented_at=timezone.now()
    )


def make_couple(
    a: tuple[str, str] = ("alex@example.com", "Alex"),
    b: tuple[str, str] = ("sam@example.com", "Sam"),
):
    alex = User.objects.filter(email=a[0]).first() or make_user(*a)
    sam = User.objects.filter(email=b[0]).first() or make_user(*b)
    couple = services.couple_create(creator=alex)
    invite = services.invite_create(user=alex)
    services.invite_accept(token_hash=hash_token(invite.token), user=sam)
    return couple, alex, sam


def body(response) -> str:
    """A response's HTML with entities decoded, for assertions on visible wording."""
    import html

    return html.unescape(response.content.decode())
