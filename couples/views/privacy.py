"""Your data: download all of it, or delete the account (see couples/privacy.py)."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .. import privacy
from ..ratelimit import ratelimit
from ..selectors import partner_of


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="So that no one else can delete your account from a device you left open.",
    )
    confirm = forms.BooleanField(
        required=True,
        label="Yes, delete my account and everything private in it",
        error_messages={"required": "Tick this to confirm. Nothing is deleted until you do."},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That isn't your password. Nothing was deleted.")
        return password


@login_required
@require_GET
def export(request):
    data = privacy.account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"hearth-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("account_delete", limit=10, period=3600)
def delete(request):
    if request.method == "POST":
        form = DeleteAccountForm(request.user, request.POST)
        if form.is_valid():
            privacy.account_delete(user=request.user)
            logout(request)
            messages.success(request, "Your account is deleted, with everything private in it.")
            return redirect("home")
    else:
        form = DeleteAccountForm(request.user)
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "partner": partner_of(request.user)},
    )
