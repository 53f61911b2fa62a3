"""A couple with something of everything, for the authorisation matrix.

The owner and their partner are paired; the owner started a check-in that ended early
and one that is live, proposed a boundary, completed the attachment assessment, set up
the weekly ritual (and holds its calendar feed token), and made the invite the partner
used. An outsider is paired with someone else. `former_world()` is the same world after
the partner left the couple: the partner is then the former partner.

Every object is made through the services the app itself uses. A feature with routes
that take parameters adds what it needs to `World.extra` in `build_world` (see
EXTRA_BUILDERS).
"""

import uuid
from dataclasses import dataclass, field
from datetime import time

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from couples import assessment, attachment_services
from couples import services as couple_services
from couples.models import AssessmentResult, User
from couples.tokens import hash_token
from practice import boundaries, rituals, services
from practice.models import Boundary, CheckIn
from tests.factories import make_user
from tests.personal_world import personal_objects
from tests.prompts_world import prompt_objects


@dataclass
class World:
    owner: User
    partner: User
    outsider: User
    outsider_partner: User
    couple: object
    live: CheckIn
    ended: CheckIn
    boundary: Boundary
    result: AssessmentResult
    feed_token: str
    invite_token: str
    reset_uid: str
    extra: dict = field(default_factory=dict)

    def reset_token(self) -> str:
        """A valid password reset token for the owner, now (logging in invalidates older)."""
        return default_token_generator.make_token(self.owner)

    def user(self, role: str) -> User | None:
        return {
            "anonymous": None,
            "outsider": self.outsider,
            "former": self.partner,
            "partner": self.partner,
            "owner": self.owner,
        }[role]


def act(checkin: CheckIn, user: User, action: str, data: dict | None = None):
    result = services.checkin_act(
        checkin_id=checkin.pk, user=user, action=action, data=data or {}, client_id=uuid.uuid4()
    )
    assert isinstance(result, services.Accepted), f"{action} refused: {result}"
    return result


def pair(owner: User, partner: User):
    couple = couple_services.couple_create(creator=owner)
    invite = couple_services.invite_create(user=owner)
    couple_services.invite_accept(token_hash=hash_token(invite.token), user=partner)
    return couple, invite.token


# Features add builders here: fn(world) -> dict merged into world.extra.
EXTRA_BUILDERS: list = [personal_objects, prompt_objects]


def build_world() -> World:
    owner = make_user("owner@example.com", "Owner")
    partner = make_user("partner@example.com", "Partner")
    outsider = make_user("outsider@example.com", "Outsider")
    outsider_partner = make_user("outsiders-partner@example.com", "Outsider's partner")
    couple, invite_token = pair(owner, partner)
    pair(outsider, outsider_partner)

    ended = services.checkin_start(user=owner, agenda="listening")
    act(ended, owner, "take_floor")
    act(ended, owner, "share", {"text": "I missed our walks."})
    act(ended, partner, "mirror", {"text": "You missed our walks."})
    act(ended, owner, "end_early")
    live = services.checkin_start(user=owner, agenda="weekly")

    boundary = boundaries.boundary_propose(
        user=owner,
        data={
            "statement": "When I'm on a call, I need quiet.",
            "consequence": "",
            "review_weeks": 4,
        },
    )
    attachment_services.draft_save(user=owner, answers={item.id: 4 for item in assessment.ITEMS})
    result = attachment_services.assessment_complete(user=owner).result
    ritual = rituals.ritual_save(
        couple=couple,
        data={
            "weekday": 6,
            "local_time": time(19, 0),
            "time_zone": "UTC",
            "duration_minutes": 45,
            "agenda": "weekly",
            "appreciations": 3,
            "reminder_minutes": 60,
        },
    )
    feed_token = rituals.feed_regenerate(ritual=ritual)
    world = World(
        owner=owner,
        partner=partner,
        outsider=outsider,
        outsider_partner=outsider_partner,
        couple=couple,
        live=live,
        ended=ended,
        boundary=boundary,
        result=result,
        feed_token=feed_token,
        invite_token=invite_token,
        reset_uid=urlsafe_base64_encode(force_bytes(owner.pk)),
    )
    for builder in EXTRA_BUILDERS:
        world.extra.update(builder(world))
    return world


def former_world() -> World:
    """The same world after the partner left: they are now the former partner."""
    world = build_world()
    couple_services.couple_leave(user=world.partner)
    return world
