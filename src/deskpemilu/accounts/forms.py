"""Forms of the account pages. They only read input; every rule lives in accounts.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deskpemilu.accounts.models import Agency, Language, Role, User

# Which form field a service error belongs beside, by its code.
FIELD_FOR_CODE = {
    "role": "role",
    "own_role": "role",
    "scope_required": "scope",
    "scope_unknown": "scope",
    "scope_level": "scope",
    "agency": "agency",
    "agency_required": "agency",
}


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with the typed username cut to what an account name can be.

    Django sets the field's max_length after the field is made, so its validator never runs:
    a 5,000-character name reached django-axes, whose attempt record holds 255, and PostgreSQL
    answered 500. Cut, the attempt still fails, and is counted and audited like any other."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if isinstance(username, str):
            self.cleaned_data["username"] = username[: User._meta.get_field("username").max_length]
        return super().clean()


class AccountForm(forms.Form):
    """Create (with a username) or edit an account; the service validates role, scope, agency."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    scope = forms.CharField(
        label=_("Wilayah tugas (kode wilayah)"),
        max_length=20,
        required=False,
        help_text=_(
            "Kode KPU, mis. 527101 (kecamatan) atau 5271011004 (kelurahan); boleh bertitik. "
            "Kosongkan untuk admin, verifikator, penghubung dan pimpinan."
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Instansi"),
        queryset=Agency.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("— tanpa instansi —"),
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    # Not required: a form posted without it (a script) keeps what the account has.
    language = forms.ChoiceField(
        label=_("Bahasa notifikasi"),
        choices=Language.choices,
        initial=Language.ID,
        required=False,
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_('Tujuan notifikasi "aplikasi + email"; kosongkan bila tidak ada.'),
    )
    password1 = forms.CharField(
        label=_("Kata sandi baru"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        self.account = account
        if account is not None:
            kwargs.setdefault("initial", initial_for(account))
        super().__init__(*args, **kwargs)
        if account is not None:
            # The username is the account's key; it is shown, not changed.
            self.fields["username"].disabled = True
        else:
            self.fields["password1"].required = True
            self.fields["password2"].required = True
            self.fields["password1"].label = _("Kata sandi")
            self.fields["password2"].label = _("Ulangi kata sandi")

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        taken = User.objects.filter(username__iexact=username)
        if self.account is None and taken.exists():
            raise ValidationError(_("Nama pengguna ini sudah dipakai."), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1", "") != data.get("password2", ""):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        agency: Agency | None = data["agency"]
        return {
            "username": data["username"],
            "role": data["role"],
            "scope": data["scope"],
            "agency_slug": agency.slug if agency else "",
            "first_name": data["first_name"],
            "phone": data["phone"],
            "email": data["email"],
            "language": data["language"] or None,
            "password": data["password1"] or None,
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Show the service's (Indonesian) messages beside the field each one is about."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return
        for item in error.error_list:
            self.add_error(field_for(item.code or ""), item)


def field_for(code: str) -> str | None:
    if code.startswith("password"):
        return "password1"
    return FIELD_FOR_CODE.get(code)


def initial_for(account: User) -> dict[str, Any]:
    return {
        "username": account.username,
        "first_name": account.first_name,
        "role": account.role,
        "scope": account.scope,
        "agency": account.agency.slug if account.agency else None,
        "phone": account.phone,
        "email": account.email,
        "language": account.language,
    }


class TokenIssueForm(forms.Form):
    label = forms.CharField(
        label=_("Keterangan"),
        max_length=100,
        required=False,
        help_text=_("Untuk apa token ini, mis. 'skrip impor Diskominfo'."),
    )
    days = forms.IntegerField(
        label=_("Masa berlaku (hari)"),
        min_value=1,
        max_value=366,
        initial=settings.DESKPEMILU_TOKEN_DAYS,
    )


class EmailForm(forms.Form):
    """The account's own email address, on its profile."""

    email = forms.EmailField(label=_("Email"), required=False)


class LanguageForm(forms.Form):
    """The account's language, on its profile: the app's and its notifications'."""

    language = forms.ChoiceField(label=_("Bahasa"), choices=Language.choices)
