from django.urls import path

from zhenwu.assistance import views_plans

urlpatterns = [
    path("", views_plans.home, name="home"),
    path("helpers/", views_plans.helper_list, name="helper_list"),
    path("helpers/new/", views_plans.helper_create, name="helper_create"),
    path("helpers/<uuid:public_id>/edit/", views_plans.helper_edit, name="helper_edit"),
    path("plans/", views_plans.plan_list, name="plan_list"),
    path("plans/warnings/", views_plans.warning_list, name="warning_list"),
    path(
        "plans/households/<uuid:public_id>/",
        views_plans.household_plans,
        name="household_plans",
    ),
    path(
        "plans/households/<uuid:public_id>/plan/",
        views_plans.plan_create,
        name="plan_create",
    ),
    path(
        "plans/households/<uuid:public_id>/helper/",
        views_plans.helper_assign,
        name="helper_assign",
    ),
    path("plans/<uuid:public_id>/measures/", views_plans.measure_add, name="measure_add"),
    path(
        "plans/measures/<uuid:public_id>/implement/",
        views_plans.measure_implement,
        name="measure_implement",
    ),
    path(
        "plans/measures/<uuid:public_id>/cancel/",
        views_plans.measure_cancel,
        name="measure_cancel",
    ),
]
