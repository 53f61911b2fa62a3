"""Personal practice pages. Every page shows the logged-in user's own things only.

Anything that isn't the user's is a 404, the same as something that doesn't exist.
Forms that fail re-render with everything the user wrote (status 200).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import (
    GoalEditForm,
    GoalForm,
    GoalStepForm,
    JournalEntryForm,
    NoteForm,
    PlanForm,
    SelfCheckInForm,
    ShareForm,
    StrategyForm,
    TriggerForm,
)
from .models import (
    Goal,
    GoalStep,
    GratitudeNote,
    JournalEntry,
    SharedItem,
    Strategy,
    Trigger,
)
from .prompts import PROMPTS
from .services import PersonalError

GET_POST = require_http_methods(["GET", "POST"])


def _own_or_404(model, request, pk):
    obj = selectors.own(model, request.user, pk)
    if obj is None:
        raise Http404
    return obj


def _refused(request, error: PersonalError, form=None):
    """A service refusal: tie it to the form when there is one, so nothing typed is lost."""
    if error.code == PersonalError.Code.NOT_FOUND:
        raise Http404
    if form is not None:
        form.add_error(None, error.message)
    else:
        messages.error(request, error.message)


# --- My practice --------------------------------------------------------------


@login_required
@require_GET
def home(request):
    return render(request, "personal/home.html", selectors.overview(request.user))


# --- Journal ------------------------------------------------------------------


@login_required
@require_GET
def journal(request):
    tag = (request.GET.get("tag") or "").strip().lower() or None
    trigger = None
    if request.GET.get("trigger"):
        trigger = _own_or_404(Trigger, request, request.GET["trigger"])
    entries = Paginator(selectors.journal_entries(request.user, tag=tag, trigger=trigger), 30)
    page = entries.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "personal/journal.html",
        {
            "entries": page,
            "query": query.urlencode(),
            "tag": tag,
            "trigger": trigger,
            "tags": selectors.user_tags(request.user),
            "chart": selectors.mood_chart(request.user) if not (tag or trigger) else None,
        },
    )


def _entry_initial(entry: JournalEntry) -> dict:
    return {
        "body": entry.body,
        "mood": entry.mood,
        "tags": ", ".join(t.name for t in entry.tags.all()),
        "triggers": list(entry.triggers.all()),
    }


def _entry_form_page(request, *, entry: JournalEntry | None):
    user = request.user
    if request.method == "POST":
        form = JournalEntryForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.entry_save(
                    user=user,
                    entry=entry,
                    body=data["body"],
                    mood=data["mood"],
                    tags=data["tags"],
                    triggers=data["triggers"],
                )
            except PersonalError as error:
                _refused(request, error, form)
            else:
                messages.success(request, "Saved to your journal. Only you can see it.")
                return redirect(saved)
    else:
        form = JournalEntryForm(user=user, initial=_entry_initial(entry) if entry else {"mood": ""})
    return render(
        request,
        "personal/entry_form.html",
        {"form": form, "entry": entry, "has_triggers": form.fields["triggers"].queryset.exists()},
    )


@login_required
@GET_POST
def entry_new(request):
    return _entry_form_page(request, entry=None)


@login_required
@GET_POST
def entry(request, pk: int):
    return _entry_form_page(request, entry=_own_or_404(JournalEntry, request, pk))


@login_required
@require_POST
def entry_delete(request, pk: int):
    services.entry_delete(user=request.user, entry=_own_or_404(JournalEntry, request, pk))
    messages.success(request, "The entry is deleted.")
    return redirect("personal-journal")


def _share_page(request, *, source, kinds, initial_text, template_context):
    """Write the words to share, see exactly what the partner will see, then share.

    "preview" shows the words as the partner will see them; "share" shares them; "edit"
    goes back to the box with the words kept.
    """
    status = selectors.sharing_status(request.user)
    preview = None
    action = request.POST.get("action")
    if request.method == "POST" and status["can_share"]:
        form = ShareForm(request.POST, kinds=kinds)
        if action == "edit":
            form = ShareForm(
                initial={"kind": request.POST.get("kind"), "text": request.POST.get("text", "")},
                kinds=kinds,
            )
        elif form.is_valid():
            data = form.cleaned_data
            if action != "share":
                preview = data
            else:
                try:
                    services.share_text(
                        user=request.user,
                        kind=data["kind"],
                        text=data["text"],
                        **{source[0]: source[1]},
                    )
                except PersonalError as error:
                    _refused(request, error, form)
                else:
                    messages.success(
                        request,
                        f"Sent. {status['partner'].display_name} will see it in your next "
                        "check-in, and nothing else of what you wrote.",
                    )
                    return redirect("personal-home")
    else:
        form = ShareForm(initial={"text": initial_text}, kinds=kinds)
    return render(
        request,
        "personal/share.html",
        {**status, "form": form, "preview": preview, **template_context},
    )


@login_required
@GET_POST
def entry_share(request, pk: int):
    entry = _own_or_404(JournalEntry, request, pk)
    return _share_page(
        request,
        source=("entry", entry),
        kinds=list(SharedItem.Kind.values),
        initial_text="",
        template_context={"entry": entry},
    )


# --- Triggers -----------------------------------------------------------------


@login_required
@GET_POST
def triggers(request):
    form = TriggerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.trigger_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Added to your triggers.")
        return redirect("personal-triggers")
    return render(
        request,
        "personal/triggers.html",
        {"form": form, "triggers": selectors.triggers_with_counts(request.user)},
    )


@login_required
@GET_POST
def trigger(request, pk: int):
    item = _own_or_404(Trigger, request, pk)
    if request.method == "POST":
        form = TriggerForm(request.POST)
        if form.is_valid():
            services.trigger_save(user=request.user, trigger=item, **form.cleaned_data)
            messages.success(request, "Trigger updated.")
            return redirect("personal-triggers")
    else:
        form = TriggerForm(
            initial={"situation": item.situation, "reaction": item.reaction, "helps": item.helps}
        )
    logged = item.entries.count()
    return render(
        request, "personal/trigger.html", {"form": form, "trigger": item, "logged": logged}
    )


@login_required
@require_POST
def trigger_delete(request, pk: int):
    services.trigger_delete(user=request.user, trigger=_own_or_404(Trigger, request, pk))
    messages.success(request, "Trigger removed. Journal entries that mentioned it are kept.")
    return redirect("personal-triggers")


# --- Coping toolkit -----------------------------------------------------------


@login_required
@GET_POST
def toolkit(request):
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.strategy_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Added to your toolkit.")
        return redirect("personal-toolkit")
    return render(
        request,
        "personal/toolkit.html",
        {"form": form, "strategies": selectors.strategies(request.user)},
    )


@login_required
@GET_POST
def strategy(request, pk: int):
    item = _own_or_404(Strategy, request, pk)
    if request.method == "POST":
        form = StrategyForm(request.POST)
        if form.is_valid():
            services.strategy_save(user=request.user, strategy=item, **form.cleaned_data)
            messages.success(request, "Strategy updated.")
            return redirect("personal-toolkit")
    else:
        form = StrategyForm(initial={"title": item.title, "how": item.how})
    return render(request, "personal/strategy.html", {"form": form, "strategy": item})


@login_required
@require_POST
def strategy_delete(request, pk: int):
    services.strategy_delete(user=request.user, strategy=_own_or_404(Strategy, request, pk))
    messages.success(request, "Removed from your toolkit.")
    return redirect("personal-toolkit")


@login_required
@require_GET
def breathing(request):
    return render(request, "personal/breathing.html")


@login_required
@require_GET
def grounding(request):
    return render(request, "personal/grounding.html")


# --- Gratitude and affirmations -----------------------------------------------


@login_required
@GET_POST
def gratitude(request):
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.note_create(user=request.user, **form.cleaned_data)
        messages.success(request, "Noted. It's yours alone unless you send it.")
        return redirect("personal-gratitude")
    return render(
        request,
        "personal/gratitude.html",
        {
            "form": form,
            "notes": selectors.gratitude_notes(request.user),
            **selectors.sharing_status(request.user),
        },
    )


@login_required
@require_POST
def note_delete(request, pk: int):
    services.note_delete(user=request.user, note=_own_or_404(GratitudeNote, request, pk))
    messages.success(request, "The note is deleted.")
    return redirect("personal-gratitude")


@login_required
@GET_POST
def note_send(request, pk: int):
    note = _own_or_404(GratitudeNote, request, pk)
    return _share_page(
        request,
        source=("note", note),
        kinds=[SharedItem.Kind.APPRECIATION],
        initial_text=note.text,
        template_context={"note": note},
    )


@login_required
@require_POST
def shared_withdraw(request, pk: int):
    item = _own_or_404(SharedItem, request, pk)
    try:
        services.shared_withdraw(user=request.user, item=item)
    except PersonalError as error:
        _refused(request, error)
    else:
        messages.success(request, "Taken back. Your partner won't see it.")
    return redirect("personal-home")


# --- Goals --------------------------------------------------------------------


@login_required
@GET_POST
def goals(request):
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = services.goal_create(user=request.user, **form.cleaned_data)
        messages.success(request, "Goal set. One small step at a time.")
        return redirect(goal)
    return render(
        request, "personal/goals.html", {"form": form, "goals": selectors.goals(request.user)}
    )


@login_required
@GET_POST
def goal(request, pk: int):
    item = _own_or_404(Goal, request, pk)
    if request.method == "POST":
        form = GoalEditForm(request.POST)
        if form.is_valid():
            services.goal_update(user=request.user, goal=item, **form.cleaned_data)
            messages.success(request, "Goal updated.")
            return redirect(item)
    else:
        form = GoalEditForm(initial={"title": item.title, "why": item.why})
    return _goal_page(request, item, edit_form=form)


def _goal_page(request, item: Goal, *, edit_form=None, step_form=None):
    steps = list(item.steps.all())
    done = sum(1 for s in steps if s.done_at)
    return render(
        request,
        "personal/goal.html",
        {
            "goal": item,
            "steps": steps,
            "done": done,
            "edit_form": edit_form or GoalEditForm(initial={"title": item.title, "why": item.why}),
            "step_form": step_form or GoalStepForm(),
        },
    )


@login_required
@require_POST
def goal_delete(request, pk: int):
    services.goal_delete(user=request.user, goal=_own_or_404(Goal, request, pk))
    messages.success(request, "The goal is deleted.")
    return redirect("personal-goals")


@login_required
@require_POST
def goal_step_add(request, pk: int):
    item = _own_or_404(Goal, request, pk)
    form = GoalStepForm(request.POST)
    if form.is_valid():
        try:
            services.goal_step_add(user=request.user, goal=item, text=form.cleaned_data["text"])
        except PersonalError as error:
            _refused(request, error, form)
        else:
            return redirect(item)
    return _goal_page(request, item, step_form=form)


@login_required
@require_POST
def goal_step_mark(request, pk: int, step: int):
    item = _own_or_404(Goal, request, pk)
    step_obj = selectors.own(GoalStep, request.user, step)
    if step_obj is None or step_obj.goal_id != item.pk:
        raise Http404
    word = services.goal_step_mark(
        user=request.user, step=step_obj, done=request.POST.get("done") == "1"
    )
    if word:
        messages.success(request, word)
    return redirect(item)


@login_required
@require_POST
def goal_mark(request, pk: int):
    item = _own_or_404(Goal, request, pk)
    word = services.goal_mark(user=request.user, goal=item, done=request.POST.get("done") == "1")
    if word:
        messages.success(request, word)
    return redirect(item)


# --- Self check-in ------------------------------------------------------------


@login_required
@GET_POST
def self_checkin(request):
    context = selectors.self_checkin_context(request.user)
    current = context["current"]
    if request.method == "POST":
        form = SelfCheckInForm(request.POST)
        if form.is_valid():
            try:
                services.self_checkin_save(
                    user=request.user,
                    answers=form.answers(),
                    steadiness=form.cleaned_data["steadiness"],
                )
            except PersonalError as error:
                _refused(request, error, form)
            else:
                messages.success(request, "Thank you for checking in with yourself.")
                return redirect("personal-self-history")
    elif current is not None:
        form = SelfCheckInForm(initial={**current.answers, "steadiness": current.steadiness or ""})
    else:
        form = SelfCheckInForm(initial={"steadiness": ""})
    plan_form = PlanForm(initial={"cadence": context["cadence"]})
    return render(
        request,
        "personal/self_checkin.html",
        {**context, "form": form, "plan_form": plan_form},
    )


@login_required
@require_POST
def self_plan(request):
    form = PlanForm(request.POST)
    if form.is_valid():
        plan = services.plan_set(user=request.user, cadence=form.cleaned_data["cadence"])
        messages.success(
            request, f"You'll check in with yourself {plan.get_cadence_display().lower()}."
        )
    else:
        messages.error(request, "Choose weekly or monthly.")
    return redirect("personal-self-checkin")


@login_required
@require_GET
def self_history(request):
    return render(
        request,
        "personal/self_history.html",
        {**selectors.self_checkin_history(request.user), "prompts": PROMPTS},
    )
