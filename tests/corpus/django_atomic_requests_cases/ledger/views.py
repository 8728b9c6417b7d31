from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .forms import AmountForm
from .models import Account, Invoice, InvoiceItem


@login_required
def transfer(request):
    source = get_object_or_404(Account, pk=request.POST["from"], owner=request.user.username)
    target = get_object_or_404(Account, pk=request.POST["to"])
    form = AmountForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    amount = form.cleaned_data["amount"]
    source.balance -= amount
    source.save()
    target.balance += amount
    target.save()  # ok: transaction
    return JsonResponse({"ok": True})


@login_required
def bill(request, account_id):
    account = get_object_or_404(Account, pk=account_id)
    form = AmountForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    invoice = Invoice.objects.create(account=account, amount=form.cleaned_data["amount"])
    InvoiceItem.objects.create(invoice=invoice, label="service", amount=invoice.amount)  # ok: transaction
    return JsonResponse({"id": invoice.pk})


@login_required
@transaction.non_atomic_requests
def bulk_bill(request):
    created = []
    for row in request.POST.getlist("accounts"):
        invoice = Invoice.objects.create(account_id=row, amount=10)
        InvoiceItem.objects.create(invoice=invoice, label="monthly fee", amount=10)  # expect: transaction
        created.append(invoice.pk)
    return JsonResponse({"created": created})
