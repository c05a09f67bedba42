from django.urls import path

from zhenwu.registry import views

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
]
