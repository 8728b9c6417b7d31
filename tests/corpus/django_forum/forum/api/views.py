import pyotp
from django.contrib.auth import authenticate
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404
from rest_framework import generics, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from ..models import ApiClient, Board, Invitation, Member, Post, Thread
from ..serializers import (
    ApiClientSerializer,
    BoardSerializer,
    InvitationSerializer,
    MemberSerializer,
    PasswordChangeSerializer,
    PostSerializer,
    SignupSerializer,
    ThreadSerializer,
)


class LoginView(APIView):  # ok: rate-limit
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def post(self, request):
        member = authenticate(request, username=request.data.get("email"), password=request.data.get("password"))
        if member is None:
            return Response({"detail": "Invalid credentials"}, status=status.HTTP_401_UNAUTHORIZED)
        token, _ = Token.objects.get_or_create(user=member)
        return Response({"token": token.key})


class SignupView(generics.CreateAPIView):  # expect: rate-limit
    permission_classes = [permissions.AllowAny]
    serializer_class = SignupSerializer


class OTPVerifyView(APIView):  # expect: rate-limit
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        totp = pyotp.TOTP(request.user.totp_secret)
        if not totp.verify(str(request.data.get("code", "")), valid_window=1):
            return Response({"detail": "Invalid code"}, status=status.HTTP_400_BAD_REQUEST)
        request.session["otp_verified"] = True
        return Response({"ok": True})


class PasswordResetAPIView(APIView):  # ok: rate-limit
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    def post(self, request):
        member = Member.objects.filter(email__iexact=request.data.get("email", "")).first()
        if member is not None:
            send_mail("Password reset", "Use the link in the app to reset your password.", None, [member.email])
        return Response(status=status.HTTP_202_ACCEPTED)


@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def magic_link(request):  # expect: rate-limit
    member = Member.objects.filter(email__iexact=request.data.get("email", "")).first()
    if member is not None:
        send_mail("Your sign-in link", "Open the app to finish signing in.", None, [member.email])
    return Response(status=status.HTTP_202_ACCEPTED)


@api_view(["POST"])
@permission_classes([permissions.AllowAny])
@throttle_classes([AnonRateThrottle])
def resend_verification(request):  # ok: rate-limit
    member = Member.objects.filter(email__iexact=request.data.get("email", ""), is_active=False).first()
    if member is not None:
        send_mail("Confirm your address", "Open the app to confirm your address.", None, [member.email])
    return Response(status=status.HTTP_202_ACCEPTED)


class AccountViewSet(viewsets.GenericViewSet):  # expect: rate-limit
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MemberSerializer

    @action(detail=False)
    def me(self, request):
        return Response(MemberSerializer(request.user).data)

    @action(detail=False, methods=["post"], url_path="change-password", serializer_class=PasswordChangeSerializer)
    def change_password(self, request):
        serializer = PasswordChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        request.user.set_password(serializer.validated_data["new_password"])  # ok: plaintext-password
        request.user.save()
        return Response(status=status.HTTP_204_NO_CONTENT)


class BoardListView(generics.ListAPIView):  # unclear: pagination
    queryset = Board.objects.all()
    serializer_class = BoardSerializer
    pagination_class = None


class ThreadViewSet(viewsets.ModelViewSet):  # ok: pagination
    queryset = Thread.objects.select_related("board", "author").order_by("-created_at")
    serializer_class = ThreadSerializer

    @action(detail=False)
    def pinned(self, request):
        page = self.paginate_queryset(self.get_queryset().filter(pinned=True))  # ok: pagination
        return self.get_paginated_response(ThreadSerializer(page, many=True).data)

    @action(detail=False, permission_classes=[permissions.IsAuthenticated])
    def mine(self, request):
        threads = self.get_queryset().filter(author=request.user)  # expect: pagination
        return Response(ThreadSerializer(threads, many=True).data)


class ThreadPostsView(generics.ListAPIView):  # expect: pagination
    serializer_class = PostSerializer
    pagination_class = None

    def get_queryset(self):
        return Post.objects.filter(thread_id=self.kwargs["thread_id"]).order_by("created_at")


class MemberSearchView(generics.ListAPIView):  # ok: pagination
    serializer_class = MemberSerializer

    def get_queryset(self):
        return Member.objects.filter(username__icontains=self.request.query_params.get("q", "")).order_by("username")


class InvitationViewSet(viewsets.ModelViewSet):  # ok: pagination
    serializer_class = InvitationSerializer
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [UserRateThrottle]

    def get_queryset(self):
        return Invitation.objects.filter(invited_by=self.request.user).order_by("-created_at")


class ApiClientViewSet(viewsets.ModelViewSet):  # ok: pagination
    serializer_class = ApiClientSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return ApiClient.objects.filter(owner=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = serializer.save()
        return Response({**serializer.data, "key": client.raw_key}, status=status.HTTP_201_CREATED)


@api_view(["GET"])
def recent_posts(request):
    posts = Post.objects.select_related("author").order_by("-created_at")[:20]  # ok: pagination
    return Response(PostSerializer(posts, many=True).data)


@api_view(["GET"])
def board_threads(request, slug):
    board = get_object_or_404(Board, slug=slug)
    threads = Thread.objects.filter(board=board).order_by("-pinned", "-created_at")  # expect: pagination
    return Response(ThreadSerializer(threads, many=True).data)


class PostDetailView(generics.RetrieveAPIView):  # ok: pagination
    queryset = Post.objects.select_related("author")
    serializer_class = PostSerializer
