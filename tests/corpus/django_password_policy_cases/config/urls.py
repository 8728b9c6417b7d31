from django.contrib import admin
from django.urls import include, path

from accounts import views

urlpatterns = [
    path("admin/", admin.site.urls),  # expect: rate-limit
    path("accounts/", include("django.contrib.auth.urls")),  # expect: rate-limit
    path("signup/", views.signup, name="signup"),
    path("invite/<str:token>/", views.accept_invite, name="accept-invite"),
    path("api/register/", views.RegisterView.as_view()),
    path("api/password/", views.ChangePasswordView.as_view()),
]
