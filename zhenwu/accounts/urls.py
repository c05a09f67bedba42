from django.urls import path

from zhenwu.accounts import views, views_otp

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    # Under /accounts/password/ so that the forced-change middleware lets it through.
    path("password/", views.password_change, name="password_change"),
    # Under /accounts/2fa/ so that the second-factor middleware lets them through.
    path("2fa/verify/", views_otp.otp_verify, name="otp_verify"),
    path("2fa/enrol/", views_otp.otp_enrol, name="otp_enrol"),
    path("home/", views.home, name="home"),
    path("me/", views.profile, name="profile"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/grant/", views.user_grant, name="user_grant"),
    path(
        "users/<int:pk>/memberships/<int:membership_id>/revoke/",
        views.user_revoke,
        name="user_revoke",
    ),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/2fa/reset/", views_otp.user_reset_2fa, name="user_reset_2fa"),
]
