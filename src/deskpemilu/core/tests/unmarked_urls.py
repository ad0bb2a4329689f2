"""A URL table with one page that declares no access rule: the system check must refuse it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from deskpemilu.core.rules import public


@public
def marked(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def unmarked(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("marked/", marked), path("unmarked/", unmarked)]
