from rest_framework import serializers

from shop.models import Line, Order


class OrderSummarySerializer(serializers.ModelSerializer):
    customer_name = serializers.SerializerMethodField()
    tag_labels = serializers.SerializerMethodField()
    line_count = serializers.SerializerMethodField()
    has_customer = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = ["id", "reference", "customer_name", "tag_labels", "line_count", "has_customer"]

    def get_customer_name(self, obj):
        return obj.customer.name  # unclear: n-plus-one

    def get_tag_labels(self, obj):
        return [t.label for t in obj.tags.all()]  # unclear: n-plus-one

    def get_line_count(self, obj):
        return Line.objects.filter(order=obj).count()  # unclear: n-plus-one

    def get_has_customer(self, obj):
        return obj.customer_id is not None  # ok: n-plus-one
