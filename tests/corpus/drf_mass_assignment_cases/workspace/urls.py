from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts import views as account_views
from assets import views as asset_views
from billing import views as billing_views
from blog import views as blog_views

router = DefaultRouter()
router.register("users", account_views.UserViewSet)
router.register("members", account_views.MemberDirectory, basename="member")
router.register("teams", account_views.TeamViewSet)
router.register("wallets", billing_views.WalletViewSet, basename="wallet")
router.register("posts", blog_views.PostViewSet)
router.register("comments", blog_views.CommentViewSet)
router.register("categories", blog_views.CategoryViewSet)
router.register("bookmarks", blog_views.BookmarkViewSet, basename="bookmark")
router.register("devices", asset_views.DeviceViewSet)
router.register("reservations", asset_views.ReservationViewSet)
router.register("access-policies", asset_views.AccessPolicyViewSet)

urlpatterns = [
    path("admin/", admin.site.urls),  # expect: rate-limit
    path("api/v1/", include(router.urls)),
    path("api/v1/profile/", account_views.update_profile),
    path("api/v1/wallets/<int:pk>/topup/", billing_views.TopUp.as_view()),
    path("api/v1/invoices/", billing_views.create_invoice),
    path("api/v1/invoices/<int:pk>/", billing_views.InvoiceDetail.as_view()),
    path("blog/new/", blog_views.PostCreate.as_view()),
    path("blog/<int:pk>/edit/", blog_views.PostEdit.as_view()),
    path("blog/drafts/<int:pk>/", blog_views.edit_draft),
    path("blog/tags/new/", blog_views.TagCreate.as_view()),
]
