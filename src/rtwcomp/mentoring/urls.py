from django.urls import path

from rtwcomp.mentoring import views

app_name = "mentoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<slug:slug>/", views.match, name="match"),
    path("organisations/<slug:slug>/apply/", views.apply, name="apply"),
    path("organisations/<slug:slug>/capacity/", views.capacity, name="capacity"),
    path("organisations/<slug:slug>/override/", views.override, name="override"),
    path("pairs/<int:pk>/", views.pair, name="pair"),
    path("pairs/<int:pk>/end/", views.end, name="end"),
    path("pairs/<int:pk>/meetings/", views.add_meeting, name="add_meeting"),
    path("meetings/<int:pk>/observe/", views.observe, name="observe"),
]
