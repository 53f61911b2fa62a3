"""The boundaries pages: agreed ones (due first), proposals, history, print and export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from couples.selectors import active_couple, partner_of

from .. import boundary_selectors as selectors
from ..boundaries import (
    BoundaryError,
    BoundaryNotFound,
    boundary_act,
    boundary_propose,
    boundary_review,
)
from ..forms import BoundaryDraftForm

ACTIONS = ("ask", "answer", "counter", "accept", "decline", "withdraw")
REVIEWS = ("keep", "retire", "amend")
DONE = {
    "ask": "Your question is with your partner.",
    "answer": "Your answer is saved.",
    "counter": "Your version is with your partner.",
    "accept": "Accepted.",
    "decline": "You declined the proposal.",
    "withdraw": "You withdrew your version.",
    "keep": "Saved. It's kept once you both confirm.",
    "retire": "Saved. It's retired once you both confirm.",
    "amend": "Your new version is with your partner.",
}


def _couple_or_404(request):
    couple = active_couple(request.user)
    if couple is None:
        raise Http404
    return couple


@login_required
@require_GET
def boundary_list(request):
    couple = active_couple(request.user)
    if couple is None:
        return render(request, "boundaries/no_couple.html")
    return _render_list(request, couple, BoundaryDraftForm())


def _render_list(request, couple, form, status=200):
    return render(
        request,
        "boundaries/list.html",
        {
            "overview": selectors.overview(request.user, couple),
            "form": form,
            "partner": partner_of(request.user, couple),
        },
        status=status,
    )


@login_required
@require_POST
def propose(request):
    couple = _couple_or_404(request)
    form = BoundaryDraftForm(request.POST)
    if not form.is_valid():
        return _render_list(request, couple, form, status=400)
    try:
        boundary = boundary_propose(user=request.user, data=form.cleaned_data)
    except BoundaryError as error:
        form.add_error(None, error.message)
        return _render_list(request, couple, form, status=409)
    messages.success(request, "Your proposal is with your partner. They answer from this page.")
    return redirect(boundary)


@login_required
@require_GET
def detail(request, pk: int):
    couple = _couple_or_404(request)
    return _render_detail(request, couple, pk)


def _render_detail(request, couple, pk, *, error=None, posted=None, status=200):
    context = selectors.detail(request.user, couple, pk)
    if context is None:
        raise Http404
    current = context["current"]
    initial = (
        {
            "statement": current.statement,
            "consequence": current.consequence,
            "review_weeks": current.review_weeks,
        }
        if current
        else None
    )
    negotiation = context["negotiation"]
    if negotiation:
        latest = negotiation["latest"]
        initial = {k: latest[k] for k in ("statement", "consequence", "review_weeks")}
    draft_form = (
        BoundaryDraftForm(posted) if posted is not None else BoundaryDraftForm(initial=initial)
    )
    if posted is not None:
        draft_form.is_valid()
    context.update(
        {
            "draft_form": draft_form,
            "error": error,
            "posted": posted or {},
            "partner": partner_of(request.user, couple),
        }
    )
    return render(request, "boundaries/detail.html", context, status=status)


@login_required
@require_POST
def act(request, pk: int):
    couple = _couple_or_404(request)
    action = request.POST.get("action", "")
    data = {key: request.POST.get(key, "") for key in ("text", "reason", "question", "version")}
    try:
        if action in ("counter", "amend"):
            form = BoundaryDraftForm(request.POST)
            if not form.is_valid():
                return _render_detail(
                    request,
                    couple,
                    pk,
                    error="Please check the new version.",
                    posted=request.POST,
                    status=400,
                )
            data.update(form.cleaned_data)
        if action in ACTIONS:
            boundary_act(user=request.user, boundary_id=pk, action=action, data=data)
        elif action in REVIEWS:
            boundary_review(user=request.user, boundary_id=pk, decision=action, data=data)
        else:
            return _render_detail(
                request, couple, pk, error="Choose one of the buttons offered.", status=400
            )
    except BoundaryNotFound as exc:
        raise Http404 from exc
    except BoundaryError as error:
        return _render_detail(
            request, couple, pk, error=error.message, posted=request.POST, status=409
        )
    messages.success(request, DONE[action])
    return redirect("boundary-detail", pk=pk)


@login_required
@require_GET
def printable(request):
    couple = _couple_or_404(request)
    return render(
        request,
        "boundaries/print.html",
        {
            "agreed": selectors.agreed_for_export(couple),
            "partner": partner_of(request.user, couple),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def export_markdown(request):
    couple = _couple_or_404(request)
    text = render_to_string(
        "boundaries/export.md",
        {
            "agreed": selectors.agreed_for_export(couple),
            "user": request.user,
            "partner": partner_of(request.user, couple),
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="our-boundaries.md"'
    return response
