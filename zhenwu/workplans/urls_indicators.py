from django.urls import path

from zhenwu.workplans import views_indicators

urlpatterns = [
    path("indicators/", views_indicators.board, name="indicator_board"),
    path("indicators/enter/", views_indicators.enter, name="indicator_enter"),
]
