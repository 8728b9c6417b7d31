import logging
import traceback

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from .forms import BankAccountForm
from .models import Invoice
from .payments import charge

log = logging.getLogger(__name__)


@login_required
def invoice_pdf(request, number):
    invoice = get_object_or_404(Invoice, number=number, customer=request.user)
    try:
        return render_pdf(invoice)
    except Exception as exc:
        return render(request, "billing/error.html", {"error": exc}, status=500)  # expect: error-leak


@login_required
@require_POST
def pay(request, number):
    invoice = get_object_or_404(Invoice, number=number, customer=request.user)
    try:
        charge_id = charge(invoice)
    except requests.RequestException as exc:
        log.warning("payment provider failed: %s", exc)
        return JsonResponse({"error": "payment provider unavailable", "detail": str(exc)}, status=502)  # unclear: error-leak
    except Exception as exc:
        return JsonResponse({"error": str(exc)}, status=500)  # expect: error-leak
    invoice.paid = True
    invoice.save(update_fields=["paid"])
    return JsonResponse({"charge_id": charge_id})


@login_required
@require_POST
def duplicate(request, number):
    invoice = get_object_or_404(Invoice, number=number, customer=request.user)
    try:
        copy = Invoice.objects.create(number=invoice.number + "-C", customer=request.user, total_cents=invoice.total_cents)
    except IntegrityError as exc:
        return JsonResponse({"error": f"could not copy the invoice: {exc}"}, status=409)  # unclear: error-leak
    return JsonResponse({"number": copy.number}, status=201)


@login_required
def statement(request, year):
    try:
        rows = build_statement(request.user, int(year))
    except ValueError:
        raise Http404("no statement for that year")
    except Exception:
        if settings.DEBUG:
            return HttpResponseServerError("<pre>%s</pre>" % traceback.format_exc())  # ok: error-leak
        log.exception("statement failed")
        return HttpResponseServerError("The statement could not be built.")  # ok: error-leak
    return render(request, "billing/statement.html", {"rows": rows})


@login_required
def bank_account(request):
    form = BankAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_bank_account(request.user, form.cleaned_data)
        except Exception:
            return HttpResponseServerError("<h1>Error</h1><pre>" + traceback.format_exc() + "</pre>")  # expect: error-leak
    return render(request, "billing/bank_account.html", {"form": form})


def render_pdf(invoice):
    return invoice.pdf.open("rb")


def build_statement(user, year):
    return []


def save_bank_account(user, data):
    return None
