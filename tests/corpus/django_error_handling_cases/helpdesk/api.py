import logging

import requests
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Ticket
from .serializers import RatingSerializer, TagSerializer
from .tasks import push_to_crm

logger = logging.getLogger(__name__)


@api_view(["POST"])
def rate_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    serializer = RatingSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        ticket.rating = serializer.validated_data["rating"]
        ticket.save()
    except Exception:  # expect: error-handling
        return Response({"ok": True}, status=status.HTTP_200_OK)
    return Response({"ok": True})


class TicketTagsView(APIView):
    def put(self, request, pk):
        ticket = get_object_or_404(Ticket, pk=pk)
        serializer = TagSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            ticket.tags.set(serializer.validated_data["tags"])
            ticket.save()
        except Exception as exc:  # ok: error-handling
            logger.exception("tagging ticket %s failed", pk)
            raise APIException("could not tag the ticket") from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


@api_view(["POST"])
def notify_customer(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        requests.post("https://notify.example.com/send", json={"ticket": ticket.pk}, timeout=5)
    except Exception:  # unclear: error-handling
        return Response({"status": "success"})
    return Response({"status": "success"})


@api_view(["POST"])
def sync_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        push_to_crm.delay(ticket.pk)
    except Exception:  # ok: error-handling
        logger.exception("could not queue the CRM sync of ticket %s", pk)
        return Response({"error": "sync unavailable"}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    return Response(status=status.HTTP_202_ACCEPTED)


@api_view(["POST"])
def logout_everywhere(request):
    try:
        request.user.auth_token.delete()
    except (AttributeError, Exception):  # expect: error-handling
        pass
    return Response(status=status.HTTP_204_NO_CONTENT)
