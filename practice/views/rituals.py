"""The weekly ritual: its settings, calendar feed, reminders, and this week's check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.selectors import active_couple, partner_of

from .. import rituals, services
from ..calendar_feed import ritual_calendar
from ..forms import RitualForm
from ..models import ReminderOptOut, Ritual
from ..selectors import live_checkin

SESSION_FEED = "new_feed_token"


def _couple_or_404(request):
    couple = active_couple(request.user)
    if couple is None:
        raise Http404
    return couple


def _ritual_or_404(request) -> Ritual:
    ritual = Ritual.objects.filter(couple=_couple_or_404(request)).first()
    if ritual is None:
        raise Http404
    return ritual


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    couple = active_couple(request.user)
    if couple is None:
        return render(request, "rituals/no_couple.html")
    ritual = Ritual.objects.filter(couple=couple).first()
    if request.method == "POST":
        form = RitualForm(request.POST)
        if form.is_valid():
            created = ritual is None
            ritual = rituals.ritual_save(couple=couple, data=form.cleaned_data)
            if created:
                request.session[SESSION_FEED] = rituals.feed_regenerate(ritual=ritual)
            messages.success(request, "Your weekly ritual is saved.")
            return redirect("ritual")
    elif ritual is not None:
        form = RitualForm(
            initial={
                "weekday": ritual.weekday,
                "local_time": ritual.local_time,
                "time_zone": ritual.time_zone,
                "duration_minutes": ritual.duration_minutes,
                "agenda": ritual.agenda,
                "appreciations": couple.appreciations_per_checkin,
                "reminder_minutes": ritual.reminder_minutes,
            }
        )
    else:
        form = RitualForm(
            initial={"time_zone": request.user.time_zone, "local_time": "19:00", "weekday": 6}
        )
    partner = partner_of(request.user, couple)
    context = {"form": form, "ritual": ritual, "partner": partner}
    if ritual is not None:
        upcoming = rituals.next_ritual(ritual)
        token = request.session.pop(SESSION_FEED, None)
        context.update(
            {
                "upcoming": upcoming,
                "mine": upcoming.local(request.user.tzinfo),
                "theirs": upcoming.local(partner.tzinfo) if partner else None,
                "at_home": upcoming.local(rituals.zone(ritual.time_zone)),
                "feed_url": request.build_absolute_uri(reverse("ritual-feed", args=[token]))
                if token
                else None,
                "reminders_on": not ReminderOptOut.objects.filter(
                    ritual=ritual, user=request.user
                ).exists(),
                "streak": rituals.ritual_streak(couple),
            }
        )
    response = render(request, "rituals/settings.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def feed_regenerate(request):
    ritual = _ritual_or_404(request)
    request.session[SESSION_FEED] = rituals.feed_regenerate(ritual=ritual)
    messages.success(request, "Here's your new calendar link. The old one has stopped working.")
    return redirect("ritual")


@require_GET
def feed(request, token: str):
    """The secret calendar feed. The URL is the only credential: calendar apps can't log in."""
    ritual = rituals.ritual_for_feed(token)
    if ritual is None:
        raise Http404
    body = ritual_calendar(ritual, rituals.join_url())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="weekly-check-in.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def reminders(request):
    ritual = _ritual_or_404(request)
    enabled = request.POST.get("enabled") == "1"
    rituals.reminders_set(ritual=ritual, user=request.user, enabled=enabled)
    messages.success(request, "Reminders are on." if enabled else "Reminders are off for you.")
    return redirect("ritual")


@login_required
@require_GET
def now(request):
    """The stable link in the calendar and the reminder: into this week's room."""
    couple = active_couple(request.user)
    if couple is None:
        return redirect("dashboard")
    live = live_checkin(couple)
    if live is not None:
        return redirect(live)
    ritual = Ritual.objects.filter(couple=couple).first()
    return render(
        request,
        "rituals/now.html",
        {"ritual": ritual, "upcoming": rituals.next_ritual(ritual) if ritual else None},
    )


@login_required
@require_POST
def start(request):
    couple = _couple_or_404(request)
    ritual = Ritual.objects.filter(couple=couple).first()
    agenda = ritual.agenda if ritual else "weekly"
    try:
        checkin = services.checkin_start(user=request.user, agenda=agenda)
    except services.CheckInError as error:
        if error.checkin is not None:
            return redirect(error.checkin)
        messages.error(request, error.message)
        return redirect("dashboard")
    return redirect(checkin)
