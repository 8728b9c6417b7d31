from organizations.models import Organization
from rest_framework import serializers

from billing.models import Invoice, Wallet


class WalletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Wallet
        fields = "__all__"  # expect: mass-assignment


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = "__all__"  # expect: mass-assignment


class InvoiceAdminSerializer(serializers.ModelSerializer):
    approved = serializers.BooleanField(read_only=True)

    class Meta:
        model = Invoice
        exclude = ["memo"]  # ok: mass-assignment
        read_only_fields = ["wallet", "amount"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = "__all__"  # unclear: mass-assignment
