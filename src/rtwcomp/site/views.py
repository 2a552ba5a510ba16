from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from rtwcomp.frameworks import selectors, services
from rtwcomp.site import health as health_checks


def home(request: HttpRequest) -> HttpResponse:
    default = services.current(services.DEFAULT_SLUG, selectors.visible(request.user))
    return render(request, "home.html", {"default": default})


def health(request: HttpRequest) -> HttpResponse:
    """A bare view for monitoring, and the baseline of the load benchmark."""
    return HttpResponse("ok", content_type="text/plain")


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer: 200 when the database answers and is migrated, else
    503; the shared worker's state is in the body but never makes it 503."""
    ok, body = health_checks.readiness()
    return JsonResponse(body, status=200 if ok else 503)
