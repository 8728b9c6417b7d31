from decimal import Decimal

from django.db import models
from django.db.models.expressions import RawSQL
from django.utils.text import slugify

PRODUCT_TABLE = "catalog_product"
STOCK_TABLE = "inventory_stock"


class Category(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)  # ok: sqli

    def in_category(self, slug):
        return self.filter(category__slug=slug).select_related("category")  # ok: sqli

    def cheaper_than(self, max_price):
        return self.extra(where=["price <= %s"], params=[max_price])  # ok: sqli

    def with_discount(self, percent):
        return self.annotate(
            discounted=RawSQL("price * (100 - %s) / 100", (percent,))  # ok: sqli
        )

    def with_stock(self, warehouse_code):
        return self.annotate(
            stock=RawSQL(
                f"SELECT qty FROM {STOCK_TABLE} s WHERE s.product_id = catalog_product.id "  # expect: sqli
                f"AND s.warehouse = '{warehouse_code}'",
                [],
            )
        )

    def with_total_stock(self):
        return self.annotate(
            stock=RawSQL(f"SELECT SUM(qty) FROM {STOCK_TABLE} s WHERE s.product_id = {PRODUCT_TABLE}.id", [])  # ok: sqli
        )

    def name_contains(self, term):
        return self.extra(where=[f"name ILIKE '%%{term}%%'"])  # expect: sqli


class Product(models.Model):
    category = models.ForeignKey(Category, related_name="products", on_delete=models.PROTECT)
    sku = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductQuerySet.as_manager()

    def __str__(self):
        return f"{self.sku} {self.name}"

    @property
    def price_with_vat(self):
        return (self.price * Decimal("1.21")).quantize(Decimal("0.01"))

    @classmethod
    def by_sku(cls, sku):
        return cls.objects.raw("SELECT * FROM catalog_product WHERE sku = %s", [sku])  # ok: sqli

    @classmethod
    def by_sku_legacy(cls, sku):
        return cls.objects.raw("SELECT * FROM catalog_product WHERE sku = '%s'" % sku)  # expect: sqli

    @classmethod
    def everything(cls):
        return cls.objects.raw(f"SELECT * FROM {PRODUCT_TABLE} WHERE is_active")  # ok: sqli
