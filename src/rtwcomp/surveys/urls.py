from django.urls import path

from rtwcomp.surveys import exchange_views, respondent_views, views

app_name = "surveys"
urlpatterns = [
    path("studies/", views.study_list, name="list"),
    path("studies/new/", views.study_new, name="new"),
    path("studies/<slug:slug>/", views.study_detail, name="detail"),
    path("studies/<slug:slug>/edit/", views.study_edit, name="edit"),
    path("studies/<slug:slug>/questions/", views.study_questions, name="questions"),
    path("studies/<slug:slug>/preview/", views.study_preview, name="preview"),
    path("studies/<slug:slug>/action/", views.study_action, name="action"),
    path("studies/<slug:slug>/panel/", views.panel_upload, name="panel"),
    path(
        "studies/<slug:slug>/redcap-dictionary.csv",
        exchange_views.redcap_dictionary,
        name="redcap_dictionary",
    ),
    path(
        "studies/<slug:slug>/limesurvey-structure.txt",
        exchange_views.limesurvey_structure,
        name="limesurvey_structure",
    ),
    path("studies/<slug:slug>/case.json", exchange_views.case_package, name="case_package"),
    path(
        "studies/<slug:slug>/import-responses/",
        exchange_views.import_responses,
        name="import_responses",
    ),
    path("studies/<slug:slug>/results/", views.dashboard, name="dashboard"),
    path("studies/<slug:slug>/export.<str:fmt>", views.download, name="download"),
    path("studies/<slug:slug>/report.<str:fmt>", views.report_download, name="report"),
    path("studies/<slug:slug>/test/", respondent_views.test_start, name="test"),
    path("s/<slug:slug>/", respondent_views.landing, name="landing"),
    path("s/<slug:slug>/i/<str:token>/", respondent_views.personal_link, name="personal"),
    path("s/<slug:slug>/resume/", respondent_views.resume, name="resume"),
    path("s/<slug:slug>/page/<int:number>/", respondent_views.page, name="page"),
    path("s/<slug:slug>/thanks/", respondent_views.thanks, name="thanks"),
]
