from django.urls import path

from zhenwu.monitoring import views_clues as views

urlpatterns = [
    # Public (no login): 农户自主申报.
    path("declare/", views.declare, name="declare"),
    path("declare/received/", views.declare_received, name="declare_received"),
    # Staff.
    path("clues/", views.clue_list, name="clue_list"),
    path("clues/new/", views.clue_report, name="clue_report"),
    path("clues/declare/", views.clue_declare_on_behalf, name="clue_declare_on_behalf"),
    path("clues/<uuid:public_id>/", views.clue_detail, name="clue_detail"),
    path("clues/<uuid:public_id>/verify/", views.clue_start_verifying, name="clue_start_verifying"),
    path("clues/<uuid:public_id>/dismiss/", views.clue_dismiss, name="clue_dismiss"),
    path("clues/<uuid:public_id>/open-case/", views.clue_open_case, name="clue_open_case"),
    path("parameters/", views.parameter_list, name="parameter_list"),
    path("parameters/new/", views.parameter_set, name="parameter_set"),
]
