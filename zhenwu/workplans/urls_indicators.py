from django.urls import path

from zhenwu.workplans import views_indicators, views_targets

urlpatterns = [
    path("indicators/", views_indicators.board, name="indicator_board"),
    path("indicators/targets/", views_targets.targets, name="indicator_targets"),
    path("indicators/enter/", views_indicators.enter, name="indicator_enter"),
]
