from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view()),  # expect: rate-limit
    path("password/change/", auth_views.PasswordChangeView.as_view()),  # expect: rate-limit
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view()),  # expect: rate-limit
]
