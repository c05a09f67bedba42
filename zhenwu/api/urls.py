from django.urls import path

from zhenwu.api.api import api

urlpatterns = [path("", api.urls)]
