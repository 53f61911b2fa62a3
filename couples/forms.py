from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone

from .models import User, timezone_choices


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("choices", timezone_choices)
        kwargs.setdefault("help_text", "Times are shown to you in this zone.")
        super().__init__(**kwargs)


class SignUpForm(auth_forms.BaseUserCreationForm):
    display_name = forms.CharField(
        max_length=60, help_text="How your partner will see you, e.g. your first name."
    )
    time_zone = TimeZoneField(initial="UTC")
    consent = forms.BooleanField(
        required=True,
        label=(
            "I agree that Hearth stores what I write here, including notes about my "
            "relationship and my attachment style, to run the practice for me and my partner."
        ),
        help_text=(
            "This can be sensitive personal data. It is private to you unless you choose to "
            "share it with your partner. You can download it or delete your account at any time."
        ),
        error_messages={"required": "Please agree, so we may keep what you write."},
    )

    class Meta:
        model = User
        fields = ("email", "display_name", "time_zone")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Log in, or reset your password."
            )
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.consented_at = timezone.now()
        if commit:
            user.save()
        return user


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "That email and password don't match an account. Check both and try again."
        ),
        "inactive": "This account is inactive.",
    }


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ("display_name", "email", "time_zone")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another account already uses this email.")
        return email


class ConfirmForm(forms.Form):
    """A plain confirmation (leave the couple, delete the account)."""

    confirm = forms.BooleanField(required=True, label="Yes, I understand")
