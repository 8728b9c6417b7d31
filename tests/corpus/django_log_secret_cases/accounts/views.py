import hashlib
import logging

from django.contrib.auth import authenticate
from django.http import JsonResponse
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import ApiKey
from .serializers import LoginSerializer

logger = logging.getLogger(__name__)


class LoginView(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request):
        logger.debug("login payload %s", request.data)  # unclear: log-secret
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        creds = serializer.validated_data
        logger.debug("login for %s", creds["username"])  # ok: log-secret
        logger.debug("validated login %s", serializer.validated_data)  # unclear: log-secret
        user = authenticate(request, username=creds["username"], password=creds["password"])
        if user is None:
            logger.info("bad credentials for %s", creds["username"])  # ok: log-secret
            logger.debug("rejected password %r", creds["password"])  # expect: log-secret
            return Response({"detail": "invalid credentials"}, status=401)
        token, created = Token.objects.get_or_create(user=user)
        logger.info("token for %s (new: %s)", user.pk, created)  # ok: log-secret
        logger.debug("token key %s", token.key)  # expect: log-secret
        return Response({"token": token.key})


class ApiKeyView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        raw = ApiKey.generate()
        key = ApiKey.objects.create(owner=request.user, prefix=raw[:8], key_hash=hashlib.sha256(raw.encode()).hexdigest())
        logger.info("api key %s created for %s", key.prefix, request.user.pk)  # ok: log-secret
        logger.info("api key %s... created", raw[:8])  # ok: log-secret
        return Response({"key": raw, "id": key.pk}, status=201)


def profile(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "login required"}, status=401)
    logger.info("profile for %s, password set: %s", request.user.pk, request.user.has_usable_password())  # ok: log-secret
    logger.info("profile session key %s", request.session.session_key)  # expect: log-secret
    return JsonResponse({"username": request.user.username})
