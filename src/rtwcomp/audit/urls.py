from django.urls import path

from rtwcomp.audit import views

app_name = "history"

urlpatterns = [
    route
    for kind, folder in (("study", "studies"), ("project", "projects"), ("framework", "frameworks"))
    for route in (
        path(f"{folder}/<slug:slug>/", views.page, {"kind": kind}, name=kind),
        path(f"{folder}/<slug:slug>/history.csv", views.csv, {"kind": kind}, name=f"{kind}_csv"),
    )
]
