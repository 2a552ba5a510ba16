from django.contrib import admin
from django.urls import include, path

from rtwcomp.api.v1 import api
from rtwcomp.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("readyz", views.ready, name="ready"),
    path("history/", include("rtwcomp.audit.urls")),
    path("frameworks/", include("rtwcomp.frameworks.urls")),
    path("elicitation/", include("rtwcomp.elicitation.urls")),
    path("", include("rtwcomp.surveys.urls")),
    path("jobs/", include("rtwcomp.jobs.urls")),
    path("assess/", include("rtwcomp.assessments.urls")),
    path("develop/", include("rtwcomp.development.urls")),
    path("mentoring/", include("rtwcomp.mentoring.urls")),
    path("selection/", include("rtwcomp.selection.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("ims/case/v1p1/", include("rtwcomp.api.case")),
]
