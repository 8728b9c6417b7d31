from django.db import models

from shop.base import Audited


class Region(models.Model):
    name = models.CharField(max_length=50)


class Customer(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="customers")


class Profile(models.Model):
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE)
    loyalty_tier = models.CharField(max_length=10)


class Tag(models.Model):
    label = models.CharField(max_length=30)


class Order(Audited):
    customer = models.ForeignKey("shop.Customer", on_delete=models.CASCADE, related_name="orders")
    tags = models.ManyToManyField(Tag, blank=True)
    reference = models.CharField(max_length=20)
    total = models.DecimalField(max_digits=10, decimal_places=2)

    @property
    def label(self):
        return f"{self.reference} ({self.total})"


class Line(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE)
    sku = models.CharField(max_length=20)
    quantity = models.IntegerField()
