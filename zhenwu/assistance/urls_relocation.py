from django.urls import path

from zhenwu.assistance import views_relocation

urlpatterns = [
    path("relocation/", views_relocation.site_list, name="site_list"),
    path("relocation/sites/<uuid:public_id>/", views_relocation.site_detail, name="site_detail"),
    path(
        "relocation/sites/<uuid:public_id>/register/",
        views_relocation.relocation_register,
        name="relocation_register",
    ),
    path("relocation/<uuid:public_id>/visit/", views_relocation.follow_up, name="follow_up"),
]
