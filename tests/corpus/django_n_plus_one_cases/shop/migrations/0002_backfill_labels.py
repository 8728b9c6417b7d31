from django.db import migrations


def backfill(apps, schema_editor):
    Order = apps.get_model("shop", "Order")
    for order in Order.objects.all():
        order.reference = order.reference or f"{order.customer.name}-{order.pk}"  # ok: n-plus-one
        order.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
