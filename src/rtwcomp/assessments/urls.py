from django.urls import path

from rtwcomp.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/self/", views.self_assessment, name="self"),
    path("people/<int:pk>/report.<str:fmt>", views.report, name="report"),
    path("people/<int:pk>/observe/", views.observe, name="observe"),
    path("observations/<int:pk>/", views.observation, name="observation"),
    path("observations/<int:pk>/draft/", views.observation_draft, name="observation_draft"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("people/<int:pk>/feedback/", views.request_feedback, name="request_feedback"),
    path("people/<int:pk>/invite/", views.invite, name="invite"),
    path(
        "welcome/<str:uidb64>/<str:token>/",
        views.ChoosePassword.as_view(),
        name="choose_password",
    ),
    path("f/<str:token>/", views.feedback, name="feedback"),
    path("orgs/<slug:slug>/", views.organisation, name="organisation"),
    path("orgs/<slug:slug>/settings/", views.organisation_settings, name="settings"),
    path(
        "orgs/<slug:slug>/rounds/<int:pk>/export.<str:fmt>",
        views.export_round,
        name="export_round",
    ),
]
