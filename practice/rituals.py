"""Weekly rituals (filled in by the rituals work)."""

import zoneinfo

from couples.models import Couple


def couple_timezone(couple: Couple) -> zoneinfo.ZoneInfo:
    """The couple's time zone: their ritual's, else UTC."""
    return zoneinfo.ZoneInfo("UTC")
