from django.urls import include, path

from zhenwu.registry import views

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    # Import and export pages live in their own module (urls_import.py).
    path("", include("zhenwu.registry.urls_import")),
]
