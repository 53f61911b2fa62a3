"""Real-time notices through the channel layer (best effort: the database is the truth).

Group names are built here only, so consumers and services agree on them.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def couple_group(couple_id: int) -> str:
    return f"couple.{couple_id}"


def room_group(checkin_id: int) -> str:
    return f"room.{checkin_id}"


def send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # a notice is a hint; never fail the write that caused it
        log.exception("group_send to %s failed", group)


def couple_changed(couple_id: int) -> None:
    send(couple_group(couple_id), {"type": "couple.changed"})


def access_revoked(couple_id: int, user_ids: list[int]) -> None:
    """Close every live socket those users hold on the couple (rooms and dashboards)."""
    for user_id in user_ids:
        send(user_group(user_id), {"type": "access.revoked", "couple_id": couple_id})
