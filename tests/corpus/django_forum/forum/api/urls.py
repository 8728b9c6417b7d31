from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from . import views

router = DefaultRouter()
router.register("threads", views.ThreadViewSet, basename="thread")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("api-clients", views.ApiClientViewSet, basename="api-client")
router.register("account", views.AccountViewSet, basename="account")

urlpatterns = [
    path("auth/login/", views.LoginView.as_view(), name="api-login"),
    path("auth/signup/", views.SignupView.as_view(), name="api-signup"),
    path("auth/otp/", views.OTPVerifyView.as_view(), name="api-otp"),
    path("auth/password-reset/", views.PasswordResetAPIView.as_view(), name="api-password-reset"),
    path("auth/magic-link/", views.magic_link, name="api-magic-link"),
    path("auth/resend-verification/", views.resend_verification, name="api-resend-verification"),
    path("auth/jwt/", TokenObtainPairView.as_view(throttle_classes=[AnonRateThrottle]), name="jwt-obtain"),  # ok: rate-limit
    path("auth/jwt/refresh/", TokenRefreshView.as_view(), name="jwt-refresh"),  # expect: rate-limit
    path("auth/token/", obtain_auth_token, name="api-token"),  # expect: rate-limit
    path("boards/", views.BoardListView.as_view(), name="board-list"),
    path("boards/<slug:slug>/threads/", views.board_threads, name="board-threads"),
    path("threads/<int:thread_id>/posts/", views.ThreadPostsView.as_view(), name="thread-posts"),
    path("posts/recent/", views.recent_posts, name="recent-posts"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("members/", views.MemberSearchView.as_view(), name="member-search"),
    path("", include(router.urls)),
]
