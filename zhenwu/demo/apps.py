from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhenwu.demo"
    label = "demo"
