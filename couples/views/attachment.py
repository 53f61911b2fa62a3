"""Attachment pages: the assessment, results that teach, sharing, the couple's view.

Everything here is about the logged-in user's own data or what their partner shared with
them; anything else is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import assessment, attachment_services, selectors
from ..assessment import ITEMS, STYLE_GUIDES, AssessmentError, pair_guide
from ..attachment_chart import build_chart
from ..attachment_forms import AssessmentPageForm, SharingForm, TriggerNoteForm
from ..attachment_services import AttachmentError
from ..models import AssessmentResult

PAGE_SIZE = 6
PAGES = tuple(ITEMS[i : i + PAGE_SIZE] for i in range(0, len(ITEMS), PAGE_SIZE))
PAGE_OF_ITEM = {item.id: n for n, page in enumerate(PAGES, start=1) for item in page}
ACTIONS = {"next", "back", "save", "finish"}

SHARING_LABELS = {
    AssessmentResult.Sharing.PRIVATE: "Keep it private",
    AssessmentResult.Sharing.STYLE: "Share my style",
    AssessmentResult.Sharing.STYLE_AND_SCORES: "Share my style and both scores",
}
SHARING_WORDS = {
    AssessmentResult.Sharing.PRIVATE: (
        "Private. Only you see it; your partner sees nothing, not even that you took it."
    ),
    AssessmentResult.Sharing.STYLE: "Your partner sees your style, not your scores.",
    AssessmentResult.Sharing.STYLE_AND_SCORES: "Your partner sees your style and both scores.",
}

# The same, as the end of "What <partner> sees: ...".
SEES = {
    AssessmentResult.Sharing.PRIVATE: "nothing; your result is private",
    AssessmentResult.Sharing.STYLE: "your style, not your scores",
    AssessmentResult.Sharing.STYLE_AND_SCORES: "your style and both scores",
}


def sharing_words(level: str, partner_name: str | None = None) -> str:
    """What the partner sees at a sharing level, in a sentence."""
    if level == AssessmentResult.Sharing.PRIVATE:
        return SHARING_WORDS[level]
    who = partner_name or "Your partner"
    return SHARING_WORDS[level].replace("Your partner", who, 1)


def _date(value) -> str:
    return dateformat.format(timezone.localtime(value), "j F Y")


def _page_number(raw, draft_answers: dict | None = None) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 0
    if 1 <= number <= len(PAGES):
        return number
    # No (valid) page asked for: resume at the first page with a statement left to answer.
    answers = draft_answers or {}
    for n, page in enumerate(PAGES, start=1):
        if any(item.id not in answers for item in page):
            return n
    return len(PAGES)


def _assessment_page(request, *, number: int, form, answers: dict, missing=()):
    page_items = PAGES[number - 1]
    rows = []
    for index, item in enumerate(page_items):
        bound = form[item.id]
        if form.is_bound:
            raw = bound.data
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = None
            if not assessment.is_valid_answer(value):
                value = None
        else:
            value = answers.get(item.id)
        rows.append(
            {
                "item": item,
                "number": (number - 1) * PAGE_SIZE + index + 1,
                "value": value,
                "errors": bound.errors,
            }
        )
    answered_elsewhere = sum(
        1 for key in answers if key in assessment.ITEMS_BY_ID and PAGE_OF_ITEM[key] != number
    )
    answered = answered_elsewhere + sum(1 for row in rows if row["value"] is not None)
    context = {
        "rows": rows,
        "page": number,
        "pages": len(PAGES),
        "total": len(ITEMS),
        "answered": answered,
        "answered_elsewhere": answered_elsewhere,
        "scale": list(assessment.SCALE_LABELS.items()),
        "is_last": number == len(PAGES),
        "has_errors": bool(form.errors) or bool(missing),
        "missing": [
            {
                "number": ITEMS.index(assessment.ITEMS_BY_ID[key]) + 1,
                "text": assessment.ITEMS_BY_ID[key].text,
                "url": f"{reverse('attachment-assessment')}?page={PAGE_OF_ITEM[key]}#item-{key}",
            }
            for key in missing
        ],
        "has_results": selectors.current_attachment_result(request.user) is not None,
    }
    return render(request, "attachment/assessment.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_view(request):
    draft = selectors.assessment_draft(request.user)
    answers = dict(draft.answers) if draft else {}
    if request.method == "GET":
        number = _page_number(request.GET.get("page"), answers)
        form = AssessmentPageForm(items=PAGES[number - 1])
        return _assessment_page(request, number=number, form=form, answers=answers)

    number = _page_number(request.POST.get("page"), answers)
    action = request.POST.get("go")
    if action not in ACTIONS:
        action = "next"
    form = AssessmentPageForm(request.POST, items=PAGES[number - 1])
    valid = form.is_valid()
    # Keep whatever was answered well, even when something else on the page was not.
    if form.valid_answers():
        draft = attachment_services.draft_save(user=request.user, answers=form.valid_answers())
        answers = dict(draft.answers)
    if not valid:
        return _assessment_page(request, number=number, form=form, answers=answers)

    if action == "save":
        messages.success(
            request, "Your answers are saved. Come back any time to carry on where you left off."
        )
        return redirect("attachment")
    if action == "back":
        return redirect(f"{reverse('attachment-assessment')}?page={max(1, number - 1)}")
    if action == "next" and number < len(PAGES):
        return redirect(f"{reverse('attachment-assessment')}?page={number + 1}")
    try:
        completed = attachment_services.assessment_complete(user=request.user)
    except AssessmentError as error:
        return _assessment_page(
            request,
            number=number,
            form=AssessmentPageForm(items=PAGES[number - 1]),
            answers=answers,
            missing=error.missing,
        )
    messages.success(request, "Thank you. Here is what your answers suggest.")
    if completed.previous_sharing != AssessmentResult.Sharing.PRIVATE:
        messages.info(
            request,
            "Your earlier result was shared with your partner. This new one is private until "
            "you choose how much of it to share, below.",
        )
    return redirect(completed.result)


@login_required
@require_POST
def assessment_discard(request):
    if attachment_services.draft_discard(user=request.user):
        messages.info(request, "Your unfinished answers were deleted.")
    return redirect("attachment")


def _result_page(request, result: AssessmentResult, *, sharing_form=None):
    user = request.user
    results = selectors.attachment_results(user)
    current = results[0] if results else None
    is_current = current is not None and current.pk == result.pk
    couple = selectors.active_couple(user)
    partner = selectors.partner_of(user, couple) if couple else None
    effective = result.sharing_with(couple.pk if couple else None)
    if sharing_form is None and is_current:
        sharing_form = SharingForm(initial={"sharing": effective})
    scores = assessment.Result(
        anxiety=float(result.anxiety), avoidance=float(result.avoidance), style=result.style
    )
    note = selectors.trigger_note(user)
    context = {
        "result": result,
        "guide": STYLE_GUIDES[result.style],
        "near_line": scores.near_line,
        "cutoff": assessment.CUTOFF,
        "chart": build_chart(
            f"chart-{result.pk}",
            [("Your result", scores.anxiety, scores.avoidance)],
            title=f"Your attachment result of {_date(result.created_at)}",
        ),
        "results": results,
        "current": current,
        "is_current": is_current,
        "couple": couple,
        "partner": partner,
        "effective_sharing": effective,
        "sharing_now": sharing_words(effective, partner.display_name if partner else None),
        "sharing_form": sharing_form,
        "sharing_options": [
            {"value": value, "label": label, "help": SHARING_WORDS[value]}
            for value, label in SHARING_LABELS.items()
        ],
        "note": note,
        "note_shared": note.shared_with(couple.pk if couple else None) if note else False,
        "draft": selectors.assessment_draft(user),
    }
    return render(request, "attachment/result.html", context)


@login_required
@require_GET
def home(request):
    """The user's current result, or the invitation to take the assessment."""
    current = selectors.current_attachment_result(request.user)
    if current is not None:
        return _result_page(request, current)
    draft = selectors.assessment_draft(request.user)
    return render(
        request,
        "attachment/intro.html",
        {
            "draft": draft,
            "answered": len(draft.answers) if draft else 0,
            "total": len(ITEMS),
            "minutes": 5,
        },
    )


@login_required
@require_GET
def result_detail(request, pk: int):
    result = selectors.own_attachment_result(request.user, pk)
    if result is None:
        raise Http404
    return _result_page(request, result)


@login_required
@require_POST
def result_sharing(request, pk: int):
    result = selectors.own_attachment_result(request.user, pk)
    if result is None:
        raise Http404
    form = SharingForm(request.POST)
    if form.is_valid():
        try:
            attachment_services.result_set_sharing(
                user=request.user, result_id=result.pk, sharing=form.cleaned_data["sharing"]
            )
        except AttachmentError as error:
            form.add_error("sharing", error.message)
        else:
            level = form.cleaned_data["sharing"]
            if level == AssessmentResult.Sharing.PRIVATE:
                messages.success(request, "Your result is private. Your partner no longer sees it.")
            else:
                messages.success(request, f"Saved. {SHARING_WORDS[level]}")
            return redirect(result)
    return _result_page(request, result, sharing_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def note(request):
    user = request.user
    existing = selectors.trigger_note(user)
    couple = selectors.active_couple(user)
    if request.method == "POST":
        form = TriggerNoteForm(request.POST)
        if form.is_valid():
            try:
                attachment_services.trigger_note_save(
                    user=user, text=form.cleaned_data["text"], shared=form.cleaned_data["shared"]
                )
            except AttachmentError as error:
                field = "text" if error.code == AttachmentError.Code.NOTE_TOO_LONG else "shared"
                form.add_error(field, error.message)
            else:
                messages.success(request, "Your note is saved.")
                return redirect("attachment-note")
    else:
        form = TriggerNoteForm(
            initial={
                "text": existing.text if existing else "",
                "shared": existing.shared_with(couple.pk if couple else None)
                if existing
                else False,
            }
        )
    context = {
        "form": form,
        "note": existing,
        "couple": couple,
        "partner": selectors.partner_of(user, couple) if couple else None,
    }
    return render(request, "attachment/note.html", context)


@login_required
@require_GET
def couple_view(request):
    """Both partners' shared styles side by side, with guidance for the pair."""
    user = request.user
    couple = selectors.couple_with_members(user)
    partner = selectors.partner_of(user, couple) if couple else None
    if partner is None:
        return render(request, "attachment/couple.html", {"partner": None})
    mine = selectors.shared_attachment_style(user, user)
    theirs = selectors.shared_attachment_style(partner, user)
    my_result = selectors.current_attachment_result(user)
    my_sharing = my_result.sharing_with(couple.pk) if my_result else None
    points = []
    if mine:
        points.append(("You", mine["anxiety"], mine["avoidance"]))
    if theirs and "anxiety" in theirs:
        points.append((partner.display_name, theirs["anxiety"], theirs["avoidance"]))
    guide = pair_guide(mine["style"], theirs["style"]) if mine and theirs else None
    my_note = selectors.trigger_note(user)
    context = {
        "partner": partner,
        "mine": mine,
        "theirs": theirs,
        "my_guide": STYLE_GUIDES[mine["style"]] if mine else None,
        "their_guide": STYLE_GUIDES[theirs["style"]] if theirs else None,
        "my_sharing": my_sharing,
        "my_sees": SEES.get(my_sharing, ""),
        "pair": guide,
        "my_offers": guide.offers(mine["style"]) if guide else (),
        "their_offers": guide.offers(theirs["style"]) if guide else (),
        "chart": build_chart(
            "chart-couple", points, title=f"You and {partner.display_name} on the chart"
        )
        if points
        else None,
        "my_note": selectors.shared_trigger_note(user, user),
        "my_note_shared": bool(my_note and my_note.shared_with(couple.pk)),
        "their_note": selectors.shared_trigger_note(partner, user),
        "only_my_point": bool(mine) and not (theirs and "anxiety" in theirs),
    }
    return render(request, "attachment/couple.html", context)
