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


class RitualForm(forms.Form):
    weekday = forms.TypedChoiceField(
        coerce=int,
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ],
        label="Day",
    )
    local_time = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(
        label="Time zone", help_text="The ritual follows this zone's clock."
    )
    duration_minutes = forms.TypedChoiceField(
        coerce=int,
        choices=[
            (20, "20 minutes"),
            (30, "30 minutes"),
            (45, "45 minutes"),
            (60, "1 hour"),
            (90, "1½ hours"),
        ],
        initial=45,
        label="Expected length",
    )
    agenda = forms.ChoiceField(
        choices=[(key, a.title) for key, a in AGENDAS.items()], initial="weekly"
    )
    appreciations = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        initial=3,
        label="Appreciations each",
        help_text="How many appreciations each of you shares in a weekly check-in.",
    )
    reminder_minutes = forms.TypedChoiceField(
        coerce=int,
        choices=[
            (15, "15 minutes before"),
            (30, "30 minutes before"),
            (60, "1 hour before"),
            (180, "3 hours before"),
            (1440, "The day before"),
        ],
        initial=60,
        label="Reminder email",
    )

    def __init__(self, *args, **kwargs):
        from couples.models import timezone_choices

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = timezone_choices()
