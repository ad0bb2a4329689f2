from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deskpemilu.core.rules import public, signed_in

login_view = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)
logout_view = signed_in(auth_views.LogoutView.as_view())


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this once an account/address pair has failed too often."""
    return render(request, "accounts/locked_out.html", status=429)
