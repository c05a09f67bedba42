from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhenwu.api"
    label = "zhenwu_api"
