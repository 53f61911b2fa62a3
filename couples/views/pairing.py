"""Pairing through an invite link.

The link carries the token once: opening it stores the token's hash in the
session and redirects to a token-free URL, so the token never lingers in
history, logs or referrers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms import ConfirmForm
from ..ratelimit import ratelimit
from ..selectors import active_couple, partner_of
from ..services import PairingError
from ..tokens import hash_token

SESSION_INVITE = "pending_invite"
SESSION_NEW_LINK = "new_invite_token"

# Each refusal's page: (HTTP status, title, explanation). None names anyone.
FAILURES = {
    PairingError.Code.UNKNOWN: (
        404,
        "This invite link doesn't work",
        "We couldn't find an invite for this link. Check that you copied all of it, "
        "or ask for a new one.",
    ),
    PairingError.Code.EXPIRED: (
        410,
        "This invite link has expired",
        "Invite links work for 7 days. Ask the person who invited you to send a new one.",
    ),
    PairingError.Code.USED: (
        410,
        "This invite link has already been used",
        "Each invite link works once. If you expected to use it, ask for a new one.",
    ),
    PairingError.Code.REVOKED: (
        410,
        "This invite link was withdrawn",
        "The person who made it replaced or cancelled it. Ask them for a new one.",
    ),
    PairingError.Code.OWN_LINK: (
        409,
        "This is your own invite link",
        "Send it to your partner: they open it to pair with you.",
    ),
    PairingError.Code.ALREADY_IN_COUPLE: (
        409,
        "You're already paired",
        "You can be in one couple at a time. To accept this invite, leave your current "
        "couple first (from your profile).",
    ),
}


def _failure(request, code: PairingError.Code):
    status, title, message = FAILURES.get(code, FAILURES[PairingError.Code.UNKNOWN])
    return render(
        request,
        "pairing/invite_failed.html",
        {"title": title, "message": message, "code": code.value},
        status=status,
    )


@ratelimit("invite", limit=30, period=300, methods=("GET", "POST"))
@require_GET
def invite_open(request, token: str):
    """Swap the token in the URL for a session entry, then redirect to a clean URL."""
    request.session[SESSION_INVITE] = hash_token(token)
    return redirect("invite-accept")


@ratelimit("invite", limit=30, period=300, methods=("POST",))
@login_required
@require_http_methods(["GET", "POST"])
def invite_accept(request):
    token_hash = request.session.get(SESSION_INVITE)
    if not token_hash:
        return render(request, "pairing/no_invite.html", status=404)
    try:
        if request.method == "POST":
            if "decline" in request.POST:
                request.session.pop(SESSION_INVITE, None)
                messages.info(request, "You declined the invite. Nothing was changed.")
                return redirect("dashboard")
            services.invite_accept(token_hash=token_hash, user=request.user)
            request.session.pop(SESSION_INVITE, None)
            partner = partner_of(request.user)
            messages.success(request, f"You're paired with {partner}. Welcome!")
            return redirect("dashboard")
        invite = services.invite_check(token_hash=token_hash, user=request.user)
    except PairingError as error:
        return _failure(request, error.code)
    return render(request, "pairing/accept.html", {"inviter": invite.created_by, "invite": invite})


@login_required
@require_POST
def couple_create(request):
    try:
        services.couple_create(creator=request.user)
        new = services.invite_create(user=request.user)
    except PairingError as error:
        if error.code == PairingError.Code.ALREADY_IN_COUPLE:
            messages.info(request, "You're already in a couple.")
            return redirect("dashboard")
        raise
    request.session[SESSION_NEW_LINK] = new.token
    return redirect("invite-link")


@login_required
@require_POST
def invite_regenerate(request):
    try:
        new = services.invite_create(user=request.user)
    except PairingError:
        messages.error(request, "There's no open place in your couple to invite someone to.")
        return redirect("dashboard")
    request.session[SESSION_NEW_LINK] = new.token
    return redirect("invite-link")


@login_required
@require_POST
def invite_revoke(request):
    try:
        count = services.invite_revoke(user=request.user)
    except PairingError:
        return redirect("dashboard")
    if count:
        messages.success(request, "Your invite link was withdrawn. It no longer works.")
    else:
        messages.info(request, "There was no open invite link to withdraw.")
    return redirect("dashboard")


@login_required
@require_GET
def invite_link(request):
    """Show a freshly made link once. We keep only its hash, so a reload can't show it again."""
    token = request.session.pop(SESSION_NEW_LINK, None)
    couple = active_couple(request.user)
    if couple is None:
        return redirect("dashboard")
    link = request.build_absolute_uri(reverse("invite-open", args=[token])) if token else None
    response = render(request, "pairing/invite_link.html", {"link": link})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def couple_leave(request):
    couple = active_couple(request.user)
    if couple is None:
        messages.info(request, "You're not in a couple.")
        return redirect("dashboard")
    partner = partner_of(request.user, couple)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            services.couple_leave(user=request.user)
            messages.success(request, "You've left the couple.")
            return redirect("dashboard")
    else:
        form = ConfirmForm()
    return render(request, "pairing/leave.html", {"form": form, "partner": partner})
