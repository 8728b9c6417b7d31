from .models import Invoice, InvoiceItem


def invoice_with_items(account, items):
    """Called from the views, which ATOMIC_REQUESTS wraps."""
    invoice = Invoice.objects.create(account=account, amount=sum(i["amount"] for i in items))
    for item in items:
        InvoiceItem.objects.create(invoice=invoice, label=item["label"], amount=item["amount"])  # ok: transaction
    return invoice
