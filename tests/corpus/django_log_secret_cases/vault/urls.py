from django.urls import path

from accounts import views

urlpatterns = [
    path("api/v1/login/", views.LoginView.as_view()),
    path("api/v1/keys/", views.ApiKeyView.as_view()),
    path("api/v1/profile/", views.profile),
]
