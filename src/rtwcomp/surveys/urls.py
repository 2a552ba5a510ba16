from django.urls import path

from rtwcomp.surveys import respondent_views, views

app_name = "surveys"
urlpatterns = [
    path("studies/", views.study_list, name="list"),
    path("studies/new/", views.study_new, name="new"),
    path("studies/<slug:slug>/", views.study_detail, name="detail"),
    path("studies/<slug:slug>/action/", views.study_action, name="action"),
    path("studies/<slug:slug>/panel/", views.panel_upload, name="panel"),
    path("studies/<slug:slug>/results/", views.dashboard, name="dashboard"),
    path("studies/<slug:slug>/export.<str:fmt>", views.download, name="download"),
    path("studies/<slug:slug>/report.<str:fmt>", views.report_download, name="report"),
    path("s/<slug:slug>/", respondent_views.landing, name="landing"),
    path("s/<slug:slug>/i/<str:token>/", respondent_views.personal_link, name="personal"),
    path("s/<slug:slug>/resume/", respondent_views.resume, name="resume"),
    path("s/<slug:slug>/page/<int:number>/", respondent_views.page, name="page"),
    path("s/<slug:slug>/thanks/", respondent_views.thanks, name="thanks"),
]
