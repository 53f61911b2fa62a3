from django import forms

from .flow import AGENDAS, DEFAULT_AGENDA


class StartCheckInForm(forms.Form):
    agenda = forms.ChoiceField(
        choices=[(key, agenda.title) for key, agenda in AGENDAS.items()],
        initial=DEFAULT_AGENDA,
        widget=forms.RadioSelect,
    )
