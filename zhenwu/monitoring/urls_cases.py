"""识别纳入 / 风险消除 cases, the printable 公示 and 动态清零 problems."""

from django.urls import path

from zhenwu.monitoring import views_cases as views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:public_id>/step/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<uuid:public_id>/notice/", views.notice_case, name="notice_case"),
    path("cases/open/<uuid:clue_id>/", views.case_open, name="case_open"),
    path(
        "cases/eliminate/<uuid:household_id>/",
        views.case_start_elimination,
        name="case_start_elimination",
    ),
    path("notices/<str:township_code>/", views.notice_batch, name="notice_batch"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/<uuid:household_id>/", views.problem_create, name="problem_create"),
    path("problems/<uuid:public_id>/", views.problem_detail, name="problem_detail"),
]
