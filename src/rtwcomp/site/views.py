from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rtwcomp.frameworks import services


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"default": services.current(services.DEFAULT_SLUG)})


def health(request: HttpRequest) -> HttpResponse:
    """A bare view for monitoring, and the baseline of the load benchmark."""
    return HttpResponse("ok", content_type="text/plain")
