from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="store/login.html"), name="login"),  # ok: rate-limit
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),  # expect: rate-limit
    path("accounts/password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),  # expect: rate-limit
    path("api/", include("store.api_urls")),
    path("", include("store.urls")),
]
