"""Account pages: sign-in, the admin's account list and forms, API tokens, one's own profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from deskpemilu.accounts import selectors, services, twofactor
from deskpemilu.accounts.forms import (
    AccountForm,
    EmailForm,
    LanguageForm,
    LoginForm,
    TokenIssueForm,
)
from deskpemilu.accounts.models import ApiToken, Role, User
from deskpemilu.core.rules import public, roles, signed_in
from deskpemilu.core.views import remember_language


class LoginView(auth_views.LoginView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A device that has no language chosen yet shows the account's own (a choice made on
        # this device, even before signing in, stays).
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            remember_language(response, form.get_user().language)
        return response


login_view = public(
    LoginView.as_view(
        template_name="accounts/login.html",
        redirect_authenticated_user=True,
        authentication_form=LoginForm,
    )
)
# Django 5's LogoutView answers only POST (405 to a GET).
logout_view = signed_in(auth_views.LogoutView.as_view())


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this once an account/address pair has failed too often."""
    return render(request, "accounts/locked_out.html", status=429)


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the access rule has already let only accounts in
    return user


def get_token_for(user: User, pk: int) -> ApiToken:
    """A token `user` may act on: their own, or any for an admin. Otherwise 404, as if missing."""
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None:
        raise Http404
    if token.user_id != user.pk and user.role != Role.ADMIN:
        raise Http404
    return token


# --- Accounts (admin) -------------------------------------------------------------------------


@roles("admin")
def account_list(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("peran", "")
    query = request.GET.get("q", "").strip()
    accounts = selectors.account_rows(role=role, query=query)
    return render(
        request,
        "accounts/account_list.html",
        {"accounts": accounts, "roles": Role.choices, "role": role, "query": query},
    )


@roles("admin")
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = _save_account(request, form)
        if account is not None:
            messages.success(request, _("Akun %(name)s dibuat.") % {"name": account.username})
            return redirect("account_edit", pk=account.pk)
    return render(request, "accounts/account_form.html", {"form": form, "account": None})


@roles("admin")
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    form = AccountForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid() and _save_account(request, form):
        messages.success(request, _("Akun %(name)s disimpan.") % {"name": account.username})
        return redirect("account_edit", pk=account.pk)
    tokens = ApiToken.objects.filter(user=account)
    context = {
        "form": form,
        "account": account,
        "tokens": tokens,
        "twofactor": twofactor.status_of(account),
        "twofactor_required": twofactor.required_for(account),
    }
    return render(request, "accounts/account_form.html", context)


def _save_account(request: HttpRequest, form: AccountForm) -> User | None:
    try:
        account, _created = services.account_save(actor=_me(request), **form.service_arguments())
    except ValidationError as error:
        form.add_service_error(error)
        return None
    return account


@roles("admin")
@require_POST
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@roles("admin")
@require_POST
def account_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    try:
        services.account_set_active(actor=_me(request), user=account, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, _("Akun %(name)s diaktifkan.") % {"name": account.username})
        else:
            text = _("Akun %(name)s dinonaktifkan; semua token API-nya dicabut.")
            messages.success(request, text % {"name": account.username})
    return redirect("account_edit", pk=account.pk)


# --- API tokens (every account its own; admin any) --------------------------------------------


@signed_in
@never_cache
def my_tokens(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = TokenIssueForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            new_token, _row = services.token_issue(
                actor=me, user=me, days=form.cleaned_data["days"], label=form.cleaned_data["label"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown in this response only; only the hash is kept. A fresh, empty form follows.
            form = TokenIssueForm()
    tokens = ApiToken.objects.filter(user=me)
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    return render(request, "accounts/my_tokens.html", context)


@signed_in
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    token = get_token_for(me, pk)
    services.token_revoke(actor=me, token=token)
    messages.success(request, _("Token %(prefix)s… dicabut.") % {"prefix": token.prefix})
    if token.user_id == me.pk:
        return redirect("my_tokens")
    return redirect("account_edit", pk=token.user_id)


# --- One's own account ------------------------------------------------------------------------


@signed_in
def profile(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if request.method == "POST" and "email" in request.POST:
        return _email_post(request, me)
    if request.method == "POST" and "language" in request.POST:
        return _language_post(request, me)
    form = PasswordChangeForm(me, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=me, user=me, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            # Keep this session; every other session of the account ends with the old password.
            update_session_auth_hash(request, me)
            messages.success(request, _("Kata sandi diganti."))
            return redirect("profile")
    return render(request, "accounts/profile.html", _profile_context(me, form=form))


def _profile_context(
    me: User,
    *,
    form: PasswordChangeForm | None = None,
    email_form: EmailForm | None = None,
    language_form: LanguageForm | None = None,
) -> dict[str, Any]:
    return {
        "form": form or PasswordChangeForm(me),
        "email_form": email_form or EmailForm(initial={"email": me.email}),
        "language_form": language_form or LanguageForm(initial={"language": me.language}),
        "scope_region": selectors.scope_region(me.scope),
    }


def _email_post(request: HttpRequest, me: User) -> HttpResponse:
    email_form = EmailForm(request.POST)
    if email_form.is_valid():
        try:
            services.email_set(actor=me, user=me, email=email_form.cleaned_data["email"])
        except ValidationError as error:
            email_form.add_error("email", error)
        else:
            messages.success(request, _("Email disimpan."))
            return redirect("profile")
    context = _profile_context(me, email_form=email_form)
    return render(request, "accounts/profile.html", context, status=422)


def _language_post(request: HttpRequest, me: User) -> HttpResponse:
    language_form = LanguageForm(request.POST)
    if not language_form.is_valid():
        context = _profile_context(me, language_form=language_form)
        return render(request, "accounts/profile.html", context, status=422)
    language = language_form.cleaned_data["language"]
    services.language_set(actor=me, user=me, language=language)
    # The pages follow too, as with the header's switch.
    with translation.override(language):
        messages.success(request, _("Bahasa disimpan."))
    response = redirect("profile")
    remember_language(response, language)
    return response
