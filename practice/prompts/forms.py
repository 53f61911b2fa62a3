from django import forms

from .models import MAX_ANSWER_CHARS


class DailyAnswerForm(forms.Form):
    text = forms.CharField(
        label="Your answer",
        max_length=MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your answer first."},
    )
