from django.urls import path

from rtwcomp.elicitation import views

app_name = "elicitation"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.project, name="project"),
    path("<slug:slug>/sessions/", views.add_session, name="add_session"),
    path("<slug:slug>/participants/", views.add_participant, name="add_participant"),
    path("<slug:slug>/paste/", views.paste, name="paste"),
    path("<slug:slug>/import/", views.upload, name="upload"),
    path("<slug:slug>/export.csv", views.export, name="export"),
    path("<slug:slug>/suggestions/", views.suggestions, name="suggestions"),
    path("<slug:slug>/accept/", views.accept, name="accept"),
    path("<slug:slug>/suggestions/decide/", views.decide, name="decide"),
    path("<slug:slug>/statements/", views.statements, name="statements"),
    path("<slug:slug>/statements/aside/", views.aside, name="aside"),
    path("<slug:slug>/statements/<int:statement>/", views.edit_statement, name="edit_statement"),
    path(
        "<slug:slug>/statements/<int:statement>/delete/",
        views.delete_statement,
        name="delete_statement",
    ),
    path("<slug:slug>/items/types/", views.set_types, name="set_types"),
    path("<slug:slug>/items/", views.items, name="items"),
    path("<slug:slug>/items/release/", views.release, name="release"),
    path("<slug:slug>/items/<str:code>/", views.update_item, name="update_item"),
    path("<slug:slug>/items/<str:code>/merge/", views.merge_items, name="merge_items"),
    path("<slug:slug>/sorts/", views.sorts, name="sorts"),
    path("<slug:slug>/sorts/start/", views.start_sort, name="start_sort"),
    path("<slug:slug>/sorts/dendrogram.svg", views.dendrogram_svg, name="dendrogram"),
    path("<slug:slug>/sorts/<int:pk>/", views.sort_board, name="sort"),
    path("<slug:slug>/sorts/<int:pk>/groups/", views.add_group, name="add_group"),
    path("<slug:slug>/sorts/<int:pk>/promote/", views.promote, name="promote"),
]
