import json

from django.http import JsonResponse
from django.views import View
from rest_framework import generics, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.models import Invoice, Wallet
from billing.serializers import InvoiceAdminSerializer, InvoiceSerializer, OrganizationSerializer, WalletSerializer


class WalletViewSet(viewsets.ModelViewSet):
    serializer_class = WalletSerializer

    def get_queryset(self):
        return Wallet.objects.filter(owner=self.request.user)

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class TopUp(APIView):
    def post(self, request, pk):
        Wallet.objects.filter(pk=pk, owner=request.user).update(**request.data)  # expect: mass-assignment
        return Response(status=204)


@api_view(["POST"])
def create_invoice(request):
    serializer = InvoiceSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return Response(serializer.data, status=201)


class InvoiceDetail(generics.RetrieveUpdateAPIView):
    serializer_class = InvoiceAdminSerializer

    def get_queryset(self):
        return Invoice.objects.filter(wallet__owner=self.request.user)


class OrganizationCreate(generics.CreateAPIView):
    serializer_class = OrganizationSerializer


class ImportInvoices(View):
    def post(self, request):
        payload = json.loads(request.body)
        for row in payload["invoices"]:
            Invoice.objects.create(wallet_id=row["wallet"], amount=row["amount"], customer_email=row["email"])  # ok: mass-assignment
        invoice = Invoice.objects.create(**payload["summary"])  # expect: mass-assignment
        return JsonResponse({"id": invoice.pk}, status=201)
