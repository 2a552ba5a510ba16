from django.urls import path

from rtwcomp.development import views

app_name = "development"
urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:pk>/new/", views.new, name="new"),
    path("people/<int:pk>/progress/", views.person_progress, name="progress"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/edit/", views.edit, name="edit"),
    path("plans/<int:pk>/goals/", views.add_goal, name="add_goal"),
    path("plans/<int:pk>/agree/", views.agree, name="agree"),
    path("plans/<int:pk>/move/", views.transition, name="move"),
    path("plans/<int:pk>/maintenance/", views.maintenance, name="maintenance"),
    path("goals/<int:pk>/", views.goal, name="goal"),
    path("goals/<int:pk>/remove/", views.remove_goal, name="remove_goal"),
    path("goals/<int:pk>/move/", views.move_goal, name="move_goal"),
    path("goals/<int:pk>/activities/", views.add_activity, name="add_activity"),
    path("goals/<int:pk>/evidence/", views.upload, name="upload"),
    path("activities/<int:pk>/done/", views.activity_done, name="activity_done"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("reminders/", views.my_reminders, name="reminders"),
    path("reminders/<int:pk>/stop/", views.stop_reminder, name="stop_reminder"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
]
