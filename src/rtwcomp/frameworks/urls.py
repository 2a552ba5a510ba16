from django.urls import path

from rtwcomp.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/<str:code>/", views.competency_detail, name="competency"),
]
