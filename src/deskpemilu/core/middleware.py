from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from deskpemilu.core.errors import OutsideArea, Refusal
from deskpemilu.core.views import outside_area, refusal

# No third-party JS, no CDN: everything comes from this origin. Inline styles are allowed for
# the server-drawn SVG (fill colours); scripts are files only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The interactive API docs page (django-ninja's bundled Swagger UI, served from here) styles
# itself inline and shows data: images; its scripts are files like ours.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        csp = DOCS_CSP if request.path.startswith("/api/v1/docs") else CSP
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"
        )
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages of a signed-in user are private: never kept by a shared cache.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class LanguageMiddleware:
    """Bahasa Indonesia first: the language is the one chosen in the header (its cookie), else
    Indonesian, whatever the browser prefers (many phones here are set to English)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class RefusalMiddleware:
    """The one handler of pages for a service's `Refusal` that the view did not catch: the error
    page with the refusal's status (the API answers it itself, in its error shape)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Refusal):
            return refusal(request, exception)
        if isinstance(exception, OutsideArea) and not request.path.startswith("/api/"):
            return outside_area(request, exception)
        return None
