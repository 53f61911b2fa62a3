"""Pages for the daily question, its history and the ladder. Thin: services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from couples.selectors import couple_with_members, partner_of

from . import selectors, services
from .forms import DailyAnswerForm
from .themes import DEPTHS, THEME_LABELS

HISTORY_PER_PAGE = 20


def _pair(request):
    """(couple, partner) for a paired user, else (couple or None, None)."""
    couple = couple_with_members(request.user)
    partner = partner_of(request.user, couple) if couple else None
    return couple, partner


def _not_paired(request, couple):
    return render(request, "prompts/no_couple.html", {"has_couple": couple is not None})


def _day_page(request, question, couple, partner, form=None):
    view = selectors.day_view(question, request.user)
    if form is None and not view.revealed:
        form = DailyAnswerForm(initial={"text": view.mine.text if view.mine else ""})
    return render(
        request,
        "prompts/day.html",
        {
            "view": view,
            "question": question,
            "partner": partner,
            "form": form,
            "is_today": question.on_date == selectors.couple_today(couple),
        },
    )


@login_required
@require_GET
def today(request):
    couple, partner = _pair(request)
    if partner is None:
        return _not_paired(request, couple)
    try:
        question = services.daily_question_today(user=request.user)
    except services.PromptError as error:
        return render(request, "prompts/no_question.html", {"message": error.message})
    return _day_page(request, question, couple, partner)


@login_required
@require_http_methods(["GET", "POST"])
def day(request, pk: int):
    couple, partner = _pair(request)
    question = selectors.question_for(couple, pk) if partner is not None else None
    if question is None:
        raise Http404
    form = None
    if request.method == "POST":
        form = DailyAnswerForm(request.POST)
        if form.is_valid():
            try:
                question = services.daily_answer_save(
                    user=request.user, question_id=question.pk, text=form.cleaned_data["text"]
                )
            except services.NotYours as error:
                raise Http404 from error
            except services.PromptError as error:
                form.add_error(None, error.message)
            else:
                if question.is_revealed:
                    messages.success(request, "You've both answered: here are both answers.")
                else:
                    messages.success(
                        request,
                        f"Saved. It stays private until {partner.display_name} answers too.",
                    )
                if question.on_date == selectors.couple_today(couple):
                    return redirect("prompts-today")
                return redirect(question)
        # An invalid form re-renders with 200 and keeps every word that was written.
    return _day_page(request, question, couple, partner, form)


@login_required
@require_GET
def history(request):
    couple, partner = _pair(request)
    if partner is None:
        return _not_paired(request, couple)
    page = Paginator(selectors.answered_days(couple), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "prompts/history.html",
        {
            "page": page,
            "days": selectors.day_views(page.object_list, request.user),
            "partner": partner,
        },
    )


@login_required
@require_GET
def ladder(request):
    couple, partner = _pair(request)
    if partner is None:
        return _not_paired(request, couple)
    return render(
        request,
        "prompts/ladder.html",
        {
            "rungs": selectors.ladder_overview(couple, request.user),
            "depths": DEPTHS,
            "partner": partner,
        },
    )


def _back_to(theme: str) -> str:
    return f"{reverse('prompts-ladder')}#theme-{theme}"


def _ladder_action(request, theme: str, act):
    if theme not in THEME_LABELS:
        raise Http404
    try:
        change = act()
    except services.NotYours as error:
        raise Http404 from error
    except services.PromptError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, change.sentence)
    return redirect(_back_to(theme))


@login_required
@require_POST
def ladder_comfortable(request, theme: str):
    comfortable = request.POST.get("comfortable", "yes") != "no"
    return _ladder_action(
        request,
        theme,
        lambda: services.ladder_mark(user=request.user, theme=theme, comfortable=comfortable),
    )


@login_required
@require_POST
def ladder_step_down(request, theme: str):
    # One click, no confirmation and no question asked: stepping back is always fine.
    return _ladder_action(
        request, theme, lambda: services.ladder_step_down(user=request.user, theme=theme)
    )


@login_required
@require_POST
def ladder_talked(request):
    try:
        prompt = services.prompt_talked_about(user=request.user, key=request.POST.get("prompt"))
    except services.NotYours as error:
        raise Http404 from error
    except services.PromptError as error:
        messages.error(request, error.message)
        return redirect("prompts-ladder")
    messages.success(request, "Noted. That one won't come up again for a while.")
    return redirect(_back_to(prompt.theme))
