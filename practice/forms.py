from django import forms

from .flow import AGENDAS, DEFAULT_AGENDA


class StartCheckInForm(forms.Form):
    agenda = forms.ChoiceField(
        choices=[(key, agenda.title) for key, agenda in AGENDAS.items()],
        initial=DEFAULT_AGENDA,
        widget=forms.RadioSelect,
    )


class BoundaryDraftForm(forms.Form):
    statement = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "When …, I need …"}),
        help_text="Say it as your own need: “When …, I need …”.",
    )
    consequence = forms.CharField(
        max_length=300,
        required=False,
        label="If it's crossed (optional)",
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "We pause and come back in an hour."}
        ),
        help_text="What you both agree happens if the boundary is crossed.",
    )
    review_weeks = forms.TypedChoiceField(
        coerce=int,
        choices=[
            (2, "Every 2 weeks"),
            (4, "Every 4 weeks"),
            (8, "Every 8 weeks"),
            (12, "Every 12 weeks"),
        ],
        initial=4,
        label="Review it",
    )


class BoundaryTextForm(forms.Form):
    """A question, an answer, or a reason."""

    text = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
