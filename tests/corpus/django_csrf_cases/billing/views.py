import hashlib
import hmac
import json

import stripe
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Invoice, Payment


@csrf_exempt  # ok: csrf
@require_POST
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.META.get("HTTP_STRIPE_SIGNATURE", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        return HttpResponseBadRequest()
    if event["type"] == "payment_intent.succeeded":
        Payment.objects.filter(intent_id=event["data"]["object"]["id"]).update(status="paid")
    return HttpResponse(status=204)


@csrf_exempt  # ok: csrf
def github_deploy_hook(request):
    signature = request.headers.get("X-Hub-Signature-256", "")
    digest = "sha256=" + hmac.new(settings.GITHUB_WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, digest):
        return HttpResponseForbidden()
    Invoice.objects.create(reference=json.loads(request.body)["after"], amount=0)
    return HttpResponse(status=204)


class _TokenCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


@csrf_exempt  # ok: csrf
def pay_invoice(request, pk):
    """Called from the card widget's iframe: checks the token itself so it can answer JSON."""
    if _TokenCheck(lambda r: None).process_view(request, None, (), {}) is not None:
        return HttpResponseForbidden()
    invoice = Invoice.objects.get(pk=pk, patient=request.user)
    invoice.pay(request.POST["card_token"])
    return HttpResponse(status=204)


@csrf_exempt  # unclear: csrf
def donate(request):  # ok: authz
    if request.method == "POST":
        Payment.objects.create(amount=request.POST["amount"], email=request.POST["email"])
        messages.success(request, "Thank you!")
        return redirect("billing:thanks")
    return render(request, "billing/donate.html")
