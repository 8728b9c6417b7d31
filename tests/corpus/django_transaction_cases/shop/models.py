from django.conf import settings
from django.db import models


class Customer(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    display_name = models.CharField(max_length=80)


class Wallet(models.Model):
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE)
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)


class Product(models.Model):
    name = models.CharField(max_length=120)
    stock = models.PositiveIntegerField(default=0)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=20, default="new")


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()


class Shipment(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE)
    carrier = models.CharField(max_length=40)


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)


class ProductTag(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)


class AuditLog(models.Model):
    actor = models.ForeignKey(Customer, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=60)
    order = models.ForeignKey(Order, null=True, on_delete=models.SET_NULL)
