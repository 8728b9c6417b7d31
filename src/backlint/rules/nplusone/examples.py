"""BL941's good and bad examples (tests and docs). Each holds its models: which attributes
are relations comes from the project's model declarations."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

_DJANGO_MODELS = """
        from django.db import models
        from django.http import JsonResponse

        class Customer(models.Model):
            name = models.CharField(max_length=100)

        class Tag(models.Model):
            label = models.CharField(max_length=30)

        class Order(models.Model):
            customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
            tags = models.ManyToManyField(Tag)
            reference = models.CharField(max_length=20)
"""

_SA_MODELS = """
        from sqlalchemy import ForeignKey, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload

        class Base(DeclarativeBase):
            pass

        class Author(Base):
            __tablename__ = "authors"
            id: Mapped[int] = mapped_column(primary_key=True)
            books: Mapped[list["Book"]] = relationship(back_populates="author")
            awards = relationship("Award", lazy="selectin")

        class Book(Base):
            __tablename__ = "books"
            id: Mapped[int] = mapped_column(primary_key=True)
            author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
            author = relationship("Author", back_populates="books")
"""

VALID = [
    Valid(
        _DJANGO_MODELS
        + """
        def order_list(request):
            orders = Order.objects.filter(reference__startswith="A").select_related("customer").prefetch_related("tags")
            rows = []
            for order in orders:
                rows.append({"customer": order.customer.name, "tags": [t.label for t in order.tags.all()]})
            return JsonResponse({"orders": rows})
        """,
        id="django-select-and-prefetch",
        note="the queryset joins the ForeignKey and prefetches the many-to-many relation",
        doc=True,
    ),
    Valid(
        _DJANGO_MODELS
        + """
        def order_ids(request):
            keys = [order.customer_id for order in Order.objects.all()]
            refs = [row["customer__name"] for row in Order.objects.values("customer__name")]
            return JsonResponse({"keys": keys, "refs": refs})
        """,
        id="django-key-and-values",
        note="the foreign key's column (`customer_id`) and `.values()` rows need no query per row",
        doc=True,
    ),
    Valid(
        _SA_MODELS
        + """
        def authors(session):
            result = session.scalars(select(Author).options(selectinload(Author.books))).all()
            return [(a.id, len(a.books), len(a.awards)) for a in result]
        """,
        id="sqlalchemy-selectinload-and-eager-relationship",
        note="`books` is loaded by the query's option, `awards` by its `lazy=\"selectin\"`",
        doc=True,
    ),
    Valid(
        _DJANGO_MODELS
        + """
        from django.db.models import prefetch_related_objects

        def tagged(request):
            orders = list(Order.objects.all())
            prefetch_related_objects(orders, "tags", "customer")
            return JsonResponse({"orders": [[t.label for t in o.tags.all()] for o in orders]})
        """,
        id="django-prefetch-related-objects",
    ),
    Valid(
        _DJANGO_MODELS
        + """
        def names(request, orders):
            return JsonResponse({"names": [o.customer.name for o in orders]})
        """,
        id="collection-from-a-parameter",
        note="the caller decides what the collection loaded",
    ),
]

INVALID = [
    Invalid(
        _DJANGO_MODELS
        + """
        def order_list(request):
            orders = Order.objects.filter(reference__startswith="A")
            rows = []
            for order in orders:
                rows.append({"customer": order.customer.name})
            return JsonResponse({"orders": rows})
        """,
        id="django-foreign-key-in-loop",
        at=(19, 34),
        message='add `.select_related("customer")`',
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        _DJANGO_MODELS
        + """
        def tag_counts(request):
            return JsonResponse({o.reference: o.tags.count() for o in Order.objects.all()})
        """,
        id="django-many-to-many-manager-in-comprehension",
        at=(16, 39),
        message='add `.prefetch_related("tags")`',
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        _DJANGO_MODELS
        + """
        def customers(request):
            out = []
            for customer in Customer.objects.prefetch_related("orders"):
                out.append(customer.orders.filter(reference__startswith="A").count())
            return JsonResponse({"counts": out})
        """,
        id="django-prefetched-then-filtered",
        at=(18, 20),
        message="a prefetch answers `.all()` and `.count()`, not `.filter()`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        _DJANGO_MODELS
        + """
        def order_customers(request):
            out = []
            for order in Order.objects.all():
                out.append(Customer.objects.get(pk=order.customer_id).name)
            return JsonResponse({"names": out})
        """,
        id="django-query-per-row",
        at=(18, 20),
        message="runs a query for each row",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        _SA_MODELS
        + """
        def authors(session):
            result = session.scalars(select(Author)).all()
            return [(a.id, len(a.books)) for a in result]
        """,
        id="sqlalchemy-lazy-relationship",
        at=(21, 24),
        message="`.options(selectinload(Author.books))`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        _SA_MODELS
        + """
        def titles(session):
            lines = []
            for book in session.query(Book).filter(Book.id > 10).all():
                lines.append(book.author.id)
            return lines
        """,
        id="sqlalchemy-legacy-query",
        at=(22, 22),
        message="lazy-loads `Book.author`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        _DJANGO_MODELS
        + """
        from rest_framework import serializers

        class OrderSerializer(serializers.ModelSerializer):
            tag_count = serializers.SerializerMethodField()

            class Meta:
                model = Order
                fields = ["id", "reference", "tag_count"]

            def get_tag_count(self, obj):
                return obj.tags.count()
        """,
        id="drf-serializer-method-field",
        at=(25, 16),
        message="is this serializer used on lists",
        confidence=Confidence.LOW,
        note="one query per object serialized: whether that is per row depends on the views that list with it",
        doc=True,
    ),
]
