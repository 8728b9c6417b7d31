from django.conf import settings
from django.db import models


class Customer(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=64, blank=True)
    tier = models.CharField(max_length=16, default="standard")
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "customers_customer"


class Order(models.Model):
    customer = models.ForeignKey(Customer, related_name="orders", on_delete=models.CASCADE)
    reference = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=16, default="pending")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_order"
