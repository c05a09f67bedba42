"""公益性岗位 pages."""

from django.urls import path

from zhenwu.assistance import views_jobs as views

urlpatterns = [
    path("jobs/", views.post_list, name="job_post_list"),
    path("jobs/posts/new/", views.post_create, name="job_post_create"),
    path("jobs/posts/<uuid:public_id>/", views.post_detail, name="job_post_detail"),
    path("jobs/posts/<uuid:public_id>/assign/", views.assign, name="job_assign"),
    path("jobs/assignments/<uuid:public_id>/end/", views.end_job, name="job_end"),
    path("jobs/attendance/", views.attendance, name="job_attendance"),
    path("jobs/payroll/", views.build_payroll, name="job_payroll"),
]
