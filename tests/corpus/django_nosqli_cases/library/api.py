from rest_framework.decorators import api_view
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from .documents import Loan, Member
from .serializers import MemberLookupSerializer


class LoanList(ListAPIView):
    def get_queryset(self):
        filters = self.request.query_params.dict()
        filters.pop("limit", None)
        filters.pop("offset", None)
        return Loan.objects(**filters)  # expect: nosqli

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([loan.to_mongo().to_dict() for loan in page])


@api_view(["POST"])
def loan_query(request):
    loans = Loan.objects(__raw__=request.data).limit(50)  # expect: nosqli
    return Response([loan.to_mongo().to_dict() for loan in loans])


@api_view(["POST"])
def find_member(request):
    member = Member.objects(card_number=request.data.get("card_number")).first()  # expect: nosqli
    return Response({"found": member is not None})


@api_view(["POST"])
def find_member_typed(request):
    serializer = MemberLookupSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    member = Member.objects(card_number=serializer.validated_data["card_number"]).first()  # ok: nosqli
    return Response({"found": member is not None})
