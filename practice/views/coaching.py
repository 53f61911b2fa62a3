"""Live coaching while a partner types: text in, the coach's review out, as JSON.

Nothing is stored here (the review kept with a turn is made when the turn is
accepted). The endpoint only needs a signed-in user: the coach reads no one's data.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from couples.ratelimit import hit

from ..coaching import MAX_CHARS, review_mirror, review_statement, suggest_feelings

# The speaker's piece and its clarifications, for a mirror or for feeling guesses.
MAX_ORIGINAL = MAX_CHARS * 6
MAX_BODY = 64 * 1024
KINDS = ("statement", "mirror", "feelings")


def _error(code: str, message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, **extra}, status=status)


@require_POST
def coach(request):
    if not request.user.is_authenticated:
        return _error("login_required", "Log in to use the coach.", 401)
    limit = getattr(settings, "COACH_RATE_PER_MINUTE", 120)
    if not hit("coach", f"user:{request.user.pk}", limit=limit, period=60):
        response = _error("rate_limited", "The coach is catching its breath. Keep writing.", 429)
        response["Retry-After"] = "60"
        return response
    if len(request.body) > MAX_BODY:
        return _error("too_long", "That's more than the coach reads at once.", 413)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _error("bad_json", "Send a JSON object.", 400)
    if not isinstance(payload, dict):
        return _error("bad_json", "Send a JSON object.", 400)
    kind = payload.get("kind", "statement")
    text = payload.get("text", "")
    original = payload.get("original", "")
    if kind not in KINDS:
        return _error("bad_kind", "“kind” is statement, mirror or feelings.", 400)
    if not isinstance(text, str) or not isinstance(original, str):
        return _error("bad_text", "“text” and “original” must be text.", 400)
    if len(text) > MAX_CHARS:
        return _error(
            "too_long", f"The coach reads up to {MAX_CHARS} characters.", 413, limit=MAX_CHARS
        )
    if len(original) > MAX_ORIGINAL:
        return _error(
            "too_long",
            f"The coach reads up to {MAX_ORIGINAL} characters of the original.",
            413,
            limit=MAX_ORIGINAL,
        )
    if kind == "mirror":
        body = review_mirror(original, text).as_dict()
    elif kind == "feelings":
        body = {"feelings": suggest_feelings(original or text, limit=8)}
    else:
        body = review_statement(text).as_dict()
    return JsonResponse({"type": kind, **body})
