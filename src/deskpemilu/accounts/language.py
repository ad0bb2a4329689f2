"""The language switch in the header: Django's set_language, kept small and marked public.
The cookie holds the choice; a signed-in account keeps it too, so its notifications are
written in that language."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from deskpemilu.accounts.models import User
from deskpemilu.accounts.services import language_set
from deskpemilu.core.rules import public
from deskpemilu.core.views import remember_language


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    lang = request.POST.get("language", "id")
    nxt = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        nxt = "/"
    response = redirect(nxt)
    if check_for_language(lang):
        remember_language(response, lang)
        if isinstance(request.user, User) and lang in dict(settings.LANGUAGES):
            language_set(actor=request.user, user=request.user, language=lang)
    return response
