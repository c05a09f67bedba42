"""项目库 pages, under /projects/ in the ``projects`` namespace."""

from django.urls import path

from zhenwu.projects import views_projects as views

urlpatterns = [
    path("", views.home, name="home"),
    path("library/", views.project_list, name="project_list"),
    path("library/export.xlsx", views.project_export, name="project_export"),
    path("library/new/", views.project_create, name="project_create"),
    path("library/<uuid:public_id>/", views.project_detail, name="project_detail"),
    path("library/<uuid:public_id>/edit/", views.project_edit, name="project_edit"),
    path("library/<uuid:public_id>/advance/", views.project_advance, name="project_advance"),
    path("library/<uuid:public_id>/funding/", views.funding_add, name="project_funding_add"),
    path(
        "library/<uuid:public_id>/disbursements/",
        views.disbursement_add,
        name="project_disbursement_add",
    ),
    path("library/<uuid:public_id>/milestones/", views.milestone_add, name="project_milestone_add"),
    path("milestones/<uuid:public_id>/done/", views.milestone_done, name="project_milestone_done"),
    path("library/<uuid:public_id>/targets/", views.target_add, name="project_target_add"),
    path("targets/<uuid:public_id>/actual/", views.target_actual, name="project_target_actual"),
    path("library/<uuid:public_id>/benefit/", views.benefit_set, name="project_benefit_set"),
]
