from django.urls import path

from rtwcomp.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:job>/", views.detail, name="detail"),
    path("<uuid:job>/progress", views.progress, name="progress"),
    path("<uuid:job>/retry", views.retry, name="retry"),
    path("<uuid:job>/file", views.download, name="download"),
]
