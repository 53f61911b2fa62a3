"""Messages the room sends that aren't state snapshots (see docs/protocol.md)."""

from .models import CheckIn

PROTOCOL_VERSION = 1
FORMER_PARTNER = "Former partner"


def partner_names(checkin: CheckIn) -> dict[str, str]:
    return {
        "a": checkin.partner_a.display_name if checkin.partner_a else FORMER_PARTNER,
        "b": checkin.partner_b.display_name if checkin.partner_b else FORMER_PARTNER,
    }


def welcome_message(checkin_id: int, role: str) -> dict:
    checkin = CheckIn.objects.select_related("partner_a", "partner_b").get(pk=checkin_id)
    return {
        "type": "welcome",
        "protocol": PROTOCOL_VERSION,
        "you": role,
        "names": partner_names(checkin),
        "agenda": checkin.agenda_obj.as_dict(),
        "limits": {"text": 2000},
    }
