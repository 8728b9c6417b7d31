from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from graphene_django.views import GraphQLView

from billing import views as billing_views
from portal import views

urlpatterns = [
    path("admin/", admin.site.urls),  # expect: rate-limit
    path("", TemplateView.as_view(template_name="home.html")),
    path("about/", csrf_exempt(TemplateView.as_view(template_name="about.html"))),  # ok: csrf
    path("graphql/", csrf_exempt(GraphQLView.as_view(graphiql=True))),  # unclear: csrf
    path("portal/transfer/", csrf_exempt(views.transfer_credit)),  # ok: csrf
    path("portal/search/", csrf_exempt(views.search_doctors)),  # ok: csrf
    path("portal/attachments/", staff_member_required(views.upload_attachment)),
    path("billing/stripe/", billing_views.stripe_webhook),
    path("billing/", include("billing.urls")),
    path("api/", include("portal.api_urls")),
]
