from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("login/", views.login_view, name="login"),
    path("signup/", views.signup, name="signup"),
    path("invite/", views.invite, name="invite"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path("password/reset/confirm/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/change/", views.change_password, name="change_password"),
    path("members/", views.MemberDirectoryView.as_view(), name="members"),
    path("b/<slug:slug>/", views.ThreadListView.as_view(), name="board"),
    path("b/<slug:slug>.json", views.board_json, name="board_json"),
    path("t/<int:pk>.json", views.thread_json, name="thread_json"),
    path("latest.json", views.latest_threads_json, name="latest_json"),
]
