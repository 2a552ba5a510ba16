from django.urls import path

from rtwcomp.audit import views

app_name = "history"

urlpatterns = [
    path("studies/<slug:slug>/", views.study, name="study"),
    path("studies/<slug:slug>/history.csv", views.study_csv, name="study_csv"),
    path("projects/<slug:slug>/", views.project, name="project"),
    path("projects/<slug:slug>/history.csv", views.project_csv, name="project_csv"),
    path("frameworks/<slug:slug>/", views.framework, name="framework"),
    path("frameworks/<slug:slug>/history.csv", views.framework_csv, name="framework_csv"),
]
