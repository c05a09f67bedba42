"""每月一排查 pages, under /monitoring/ in the ``monitoring`` namespace."""

from django.urls import path

from zhenwu.monitoring import views_screening as views

urlpatterns = [
    path("screening/", views.overview, name="screening_overview"),
    path("screening/open/", views.open_round, name="screening_open"),
    path("screening/rounds/<uuid:public_id>/", views.round_detail, name="screening_round"),
    path("screening/rounds/<uuid:public_id>/close/", views.close_round, name="screening_close"),
    path(
        "screening/rounds/<uuid:public_id>/households/<uuid:household_id>/visit/",
        views.visit_form,
        name="screening_visit",
    ),
]
