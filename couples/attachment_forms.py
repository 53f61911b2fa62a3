"""Forms for the attachment pages. Rules live in attachment_services; these parse input."""

from django import forms

from .assessment import SCALE_LABELS, SCALE_MAX, SCALE_MIN, Item
from .models import AssessmentResult, TriggerNote

ANSWER_ERROR = f"Choose a number from {SCALE_MIN} to {SCALE_MAX} for this statement."


class AssessmentPageForm(forms.Form):
    """One page of statements. Every answer is optional here: a page can be saved half done,
    and completeness is checked when the whole assessment is finished."""

    def __init__(self, *args, items: tuple[Item, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text,
                choices=list(SCALE_LABELS.items()),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": ANSWER_ERROR},
            )

    def valid_answers(self) -> dict[str, int]:
        """The answers that passed validation, even when others on the page did not."""
        data = getattr(self, "cleaned_data", {})
        return {key: value for key, value in data.items() if value is not None}


class SharingForm(forms.Form):
    sharing = forms.ChoiceField(
        choices=AssessmentResult.Sharing.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how much to share.",
            "invalid_choice": "Choose one of the sharing options offered.",
        },
    )


class TriggerNoteForm(forms.Form):
    text = forms.CharField(
        label="What helps me when I'm triggered",
        required=False,
        max_length=TriggerNote.MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            'For example: "Tell me you\'re not leaving, even if you need a break." or '
            '"Give me twenty minutes alone, then come and find me."'
        ),
        error_messages={
            "max_length": "Please keep the note to %(limit_value)d characters "
            "(it has %(show_value)d)."
        },
    )
    shared = forms.BooleanField(
        label="Let my partner read this note",
        required=False,
        help_text="You can change this at any time; switching it off hides the note at once.",
    )
