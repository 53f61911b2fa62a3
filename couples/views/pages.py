from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ..selectors import couple_with_members, partner_of


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
@require_GET
def dashboard(request):
    from practice.selectors import dashboard_context

    couple = couple_with_members(request.user)
    partner = partner_of(request.user, couple) if couple else None
    context = {"couple": couple, "partner": partner}
    if couple is not None and partner is not None:
        context.update(dashboard_context(request.user, couple))
    return render(request, "dashboard.html", context)


@require_GET
def support(request):
    return render(request, "support.html")
