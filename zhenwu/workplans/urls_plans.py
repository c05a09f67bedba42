from django.urls import path

from zhenwu.workplans import views_plans as views

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new", views.plan_create, name="plan_create"),
    path("plans/<uuid:public_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:public_id>/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/<uuid:public_id>/activate", views.plan_activate, name="plan_activate"),
    path("plans/<uuid:public_id>/close", views.plan_close, name="plan_close"),
    path("plans/<uuid:public_id>/sections", views.section_add, name="plan_section_add"),
    path("plans/<uuid:public_id>/tasks", views.task_add, name="plan_task_add"),
    path("tasks/<uuid:public_id>/", views.task_detail, name="task_detail"),
    path("tasks/<uuid:public_id>/status", views.task_status, name="task_status"),
    path("progress/<uuid:public_id>/attachment", views.attachment, name="progress_attachment"),
]
