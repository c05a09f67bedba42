from django.urls import include, path

from zhenwu.registry import views

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<uuid:public_id>/", views.household_detail, name="household_detail"),
    path("households/<uuid:public_id>/edit/", views.household_edit, name="household_edit"),
    path("households/<uuid:public_id>/members/new/", views.person_add, name="person_add"),
    path("households/<uuid:public_id>/income/", views.income_record, name="income_record"),
    path("households/<uuid:public_id>/expenses/new/", views.expense_record, name="expense_record"),
    path("persons/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:public_id>/reveal/", views.person_reveal, name="person_reveal"),
    # Import and export pages live in their own module (urls_import.py).
    path("", include("zhenwu.registry.urls_import")),
]
