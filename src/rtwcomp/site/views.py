from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rtwcomp.frameworks import selectors, services


def home(request: HttpRequest) -> HttpResponse:
    default = services.current(services.DEFAULT_SLUG, selectors.visible(request.user))
    return render(request, "home.html", {"default": default})


def health(request: HttpRequest) -> HttpResponse:
    """A bare view for monitoring, and the baseline of the load benchmark."""
    return HttpResponse("ok", content_type="text/plain")
