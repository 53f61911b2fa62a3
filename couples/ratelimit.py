"""Fixed-window rate limits on Django's cache (shared through Redis when REDIS_URL is set).

Small enough to own: a counter per (scope, client) per window. Brute force on a
login is also limited per account, whatever address it comes from.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The last entry is the one our proxy appended; anything before it came from
            # the client and would let an attacker pick a fresh address for every try.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(scope: str, ident: str, *, limit: int, period: int) -> bool:
    """Count one attempt; True while the caller is within the limit."""
    window = int(time.time() // period)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"rl:{scope}:{digest}:{window}"
    if cache.add(key, 1, timeout=period + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)
        count = 1
    return count <= limit


def ratelimit(scope: str, *, limit: int, period: int, methods=("POST",)):
    """Answer with a 429 page once a client passes `limit` requests per `period` seconds."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                idents = [f"ip:{client_ip(request)}"]
                account = request.POST.get("username") or request.POST.get("email")
                if account:
                    idents.append(f"account:{account.strip().lower()}")
                allowed = all([hit(scope, ident, limit=limit, period=period) for ident in idents])
                if not allowed:
                    from .views.errors import too_many_requests

                    return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
