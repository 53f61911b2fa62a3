"""Forms for personal practice: they parse and explain; the rules live in services.py."""

from django import forms

from .models import (
    MOODS,
    Cadence,
    Goal,
    GoalStep,
    GratitudeNote,
    JournalEntry,
    SelfCheckIn,
    SharedItem,
    Strategy,
    Tag,
    Trigger,
)
from .prompts import PROMPTS, STEADINESS
from .services import MAX_GOAL_STEPS, MAX_TAGS, normalise_tags


def _too_long(what: str) -> dict:
    return {
        "max_length": f"Please keep {what} to %(limit_value)d characters (it has %(show_value)d)."
    }


def _rows(n: int, placeholder: str = "") -> forms.Textarea:
    attrs = {"rows": n}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


class TriggerForm(forms.Form):
    situation = forms.CharField(
        max_length=Trigger.MAX_SITUATION,
        label="The situation",
        widget=_rows(2, "When my partner goes quiet after an argument…"),
        error_messages={"required": "Describe the situation.", **_too_long("the situation")},
    )
    reaction = forms.CharField(
        required=False,
        max_length=Trigger.MAX_TEXT,
        label="How I usually react",
        widget=_rows(3, "I chase, send message after message…"),
        error_messages=_too_long("this"),
    )
    helps = forms.CharField(
        required=False,
        max_length=Trigger.MAX_TEXT,
        label="What helps",
        widget=_rows(3, "Breathing first, then asking for a time to talk."),
        error_messages=_too_long("this"),
    )


class JournalEntryForm(forms.Form):
    body = forms.CharField(
        max_length=JournalEntry.MAX_BODY,
        label="What's on your mind",
        widget=_rows(8),
        error_messages={"required": "Write something first, even one line.", **_too_long("it")},
    )
    mood = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not now")] + [(k, f"{k} · {v}") for k, v in MOODS.items()],
        widget=forms.RadioSelect,
        label="Mood (optional)",
        error_messages={"invalid_choice": "Choose a mood from 1 to 5, or none."},
    )
    tags = forms.CharField(
        required=False,
        max_length=600,
        label="Tags (optional)",
        help_text="Separate them with commas, e.g. work, sleep, family.",
        error_messages=_too_long("the tags"),
    )
    triggers = forms.ModelMultipleChoiceField(
        queryset=Trigger.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What triggered me (optional)",
        error_messages={"invalid_choice": "Choose from your own triggers."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own triggers can be chosen: anyone else's id is an invalid choice.
        self.fields["triggers"].queryset = Trigger.objects.filter(user=user)

    def clean_tags(self):
        names = normalise_tags(self.cleaned_data["tags"])
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Up to {MAX_TAGS} tags per entry.")
        if any(len(n) > Tag.MAX_NAME for n in names):
            raise forms.ValidationError(f"Keep each tag to {Tag.MAX_NAME} characters.")
        return names


class ShareForm(forms.Form):
    """The words to share. Nothing else of the entry or note goes with them."""

    kind = forms.ChoiceField(
        choices=SharedItem.Kind.choices,
        widget=forms.RadioSelect,
        label="Share it as",
        error_messages={
            "required": "Choose an appreciation or a topic.",
            "invalid_choice": "Choose an appreciation or a topic.",
        },
    )
    text = forms.CharField(
        max_length=SharedItem.MAX_TEXT,
        label="The words your partner will see",
        widget=_rows(4),
        help_text="Only what's in this box is shared. Edit it until it says what you mean.",
        error_messages={"required": "Write what you'd like to share.", **_too_long("it")},
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in SharedItem.Kind.choices if c[0] in kinds]
            if len(kinds) == 1:
                self.fields["kind"].initial = kinds[0]
                self.fields["kind"].widget = forms.HiddenInput()


class StrategyForm(forms.Form):
    title = forms.CharField(
        max_length=Strategy.MAX_TITLE,
        label="Strategy",
        widget=forms.TextInput(attrs={"placeholder": "A walk around the block"}),
        error_messages={"required": "Give it a short name.", **_too_long("the name")},
    )
    how = forms.CharField(
        required=False,
        max_length=Strategy.MAX_HOW,
        label="How I do it (optional)",
        widget=_rows(3),
        error_messages=_too_long("this"),
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        choices=GratitudeNote.Kind.choices,
        initial=GratitudeNote.Kind.GRATITUDE,
        widget=forms.RadioSelect,
        label="Kind",
        error_messages={"invalid_choice": "Choose gratitude or affirmation."},
    )
    text = forms.CharField(
        max_length=GratitudeNote.MAX_TEXT,
        label="Note",
        widget=_rows(3, "I'm grateful that… / I am…"),
        error_messages={"required": "Write a few words first.", **_too_long("the note")},
    )


class GoalForm(forms.Form):
    title = forms.CharField(
        max_length=Goal.MAX_TITLE,
        label="Goal",
        widget=forms.TextInput(
            attrs={"placeholder": "Practise vulnerability: share one small feeling a day"}
        ),
        error_messages={"required": "Name the goal.", **_too_long("the goal")},
    )
    why = forms.CharField(
        required=False,
        max_length=Goal.MAX_WHY,
        label="Why it matters to me (optional)",
        widget=_rows(2),
        error_messages=_too_long("this"),
    )
    steps = forms.CharField(
        required=False,
        max_length=MAX_GOAL_STEPS * (GoalStep.MAX_TEXT + 1),
        label="Small steps (optional, one per line)",
        widget=_rows(4, "Name one feeling to myself each evening\nShare one with my partner"),
        help_text="Small enough to do this week. You can add more later.",
    )

    def clean_steps(self):
        steps = [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]
        if len(steps) > MAX_GOAL_STEPS:
            raise forms.ValidationError(f"Up to {MAX_GOAL_STEPS} steps.")
        if any(len(s) > GoalStep.MAX_TEXT for s in steps):
            raise forms.ValidationError(f"Keep each step to {GoalStep.MAX_TEXT} characters.")
        return steps


class GoalEditForm(forms.Form):
    title = GoalForm.base_fields["title"]
    why = GoalForm.base_fields["why"]


class GoalStepForm(forms.Form):
    text = forms.CharField(
        max_length=GoalStep.MAX_TEXT,
        label="Add a step",
        error_messages={"required": "Describe the step.", **_too_long("the step")},
    )


class PlanForm(forms.Form):
    cadence = forms.ChoiceField(
        choices=Cadence.choices,
        widget=forms.RadioSelect,
        label="Check in with myself",
        error_messages={"invalid_choice": "Choose weekly or monthly."},
    )


class SelfCheckInForm(forms.Form):
    steadiness = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Skip")] + [(k, f"{k} · {v}") for k, v in STEADINESS.items()],
        widget=forms.RadioSelect,
        label="How steady do I feel, overall?",
        error_messages={"invalid_choice": "Choose from 1 to 5, or skip."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prompt in PROMPTS:
            self.fields[prompt.key] = forms.CharField(
                required=False,
                max_length=SelfCheckIn.MAX_ANSWER,
                label=prompt.text,
                help_text=prompt.hint,
                widget=_rows(3),
                error_messages=_too_long("this answer"),
            )
        self.order_fields([p.key for p in PROMPTS] + ["steadiness"])

    def clean(self):
        data = super().clean()
        if (
            not self.errors
            and data.get("steadiness") is None
            and not any((data.get(p.key) or "").strip() for p in PROMPTS)
        ):
            raise forms.ValidationError(
                "Answer at least one prompt, or choose how steady you feel."
            )
        return data

    def answers(self) -> dict[str, str]:
        return {p.key: self.cleaned_data.get(p.key, "") for p in PROMPTS}
