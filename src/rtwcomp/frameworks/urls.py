from django.urls import path

from rtwcomp.frameworks import exchange_views, views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", exchange_views.import_framework, name="import"),
    path("<slug:slug>/export.<str:fmt>", exchange_views.export, name="export"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/versions/compare/", views.compare, name="compare"),
    path("<slug:slug>/versions/<int:number>/publish/", views.publish, name="publish"),
    path("<slug:slug>/<str:code>/", views.competency_detail, name="competency"),
]
