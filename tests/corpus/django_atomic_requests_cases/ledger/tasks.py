from celery import shared_task

from .models import Account, Invoice, InvoiceItem


@shared_task
def monthly_invoices():
    for account in Account.objects.all():
        invoice = Invoice.objects.create(account=account, amount=25)
        InvoiceItem.objects.create(invoice=invoice, label="subscription", amount=25)  # expect: transaction
