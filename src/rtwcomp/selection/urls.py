from django.urls import path

from rtwcomp.selection import views

app_name = "selection"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("organisations/<slug:slug>/questions/<int:pk>/", views.question, name="question"),
    path("organisations/<slug:slug>/guides/", views.new_guide, name="new_guide"),
    path("organisations/<slug:slug>/vacancies/", views.new_vacancy, name="new_vacancy"),
    path("guides/<int:pk>/", views.guide, name="guide"),
    path("vacancies/<int:pk>/", views.vacancy, name="vacancy"),
    path("vacancies/<int:pk>/compare/", views.compare, name="compare"),
    path("candidates/<int:pk>/", views.candidate, name="candidate"),
    path("candidates/<int:pk>/delete/", views.delete_candidate, name="delete_candidate"),
]
