from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from couples.selectors import active_couple, partner_of

from .. import flow, services
from ..coaching_selectors import room_coach_context
from ..forms import StartCheckInForm
from ..models import CheckIn
from ..selectors import checkin_for_reader, summary_context


@login_required
@require_POST
def start(request):
    form = StartCheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the agendas offered.")
        return redirect("dashboard")
    try:
        checkin = services.checkin_start(user=request.user, agenda=form.cleaned_data["agenda"])
    except services.CheckInError as error:
        if error.checkin is not None:
            messages.info(request, "A check-in is already in progress: here it is.")
            return redirect(error.checkin)
        messages.error(request, error.message)
        return redirect("dashboard")
    return redirect(checkin)


@login_required
@require_GET
def room(request, token: str):
    access = services.room_access(user=request.user, token=token)
    if access is None:
        raise Http404
    checkin = CheckIn.objects.select_related("partner_a", "partner_b").get(pk=access.checkin_id)
    if checkin.status in (CheckIn.Status.FINISHED, CheckIn.Status.ENDED):
        return redirect("checkin-summary", token=token)
    partner = checkin.partner_user(flow.other(access.role))
    return render(
        request,
        "practice/room.html",
        {
            "checkin": checkin,
            "role": access.role,
            "room_partner": partner,
            "coach": room_coach_context(request.user, partner),
        },
    )


@login_required
@require_POST
def resume(request, token: str):
    access = services.room_access(user=request.user, token=token)
    if access is None:
        raise Http404
    checkin = CheckIn.objects.get(pk=access.checkin_id)
    try:
        result = services.checkin_reopen(user=request.user, checkin=checkin)
    except services.CheckInError as error:
        messages.error(request, error.message)
        return redirect("dashboard")
    if isinstance(result, services.Refused):
        messages.error(request, result.refusal.message)
        return redirect("dashboard")
    return redirect(checkin)


@login_required
@require_GET
def summary(request, token: str):
    checkin = checkin_for_reader(request.user, token)
    if checkin is None:
        raise Http404
    context = summary_context(checkin, request.user)
    return render(request, "practice/summary.html", context)


@login_required
@require_GET
def history(request):
    from ..history import history_context

    couple = active_couple(request.user)
    context = history_context(request.user, couple)
    context["partner"] = partner_of(request.user, couple) if couple else None
    return render(request, "practice/history.html", context)
