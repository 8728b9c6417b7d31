from django.contrib.auth import login
from django.shortcuts import get_object_or_404, redirect, render
from rest_framework import generics, permissions, status
from rest_framework.response import Response

from .forms import InviteAcceptForm, SignupForm
from .models import Invitation, Member
from .serializers import ChangePasswordSerializer, RegisterSerializer


def signup(request):  # expect: rate-limit
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        return redirect("/")
    return render(request, "accounts/signup.html", {"form": form})


def accept_invite(request, token):
    invitation = get_object_or_404(Invitation, token=token, accepted=False)
    form = InviteAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = Member(username=invitation.email, email=invitation.email)
        member.set_password(form.cleaned_data["password"])
        member.save()
        invitation.accepted = True
        invitation.save(update_fields=["accepted"])
        return redirect("/")
    return render(request, "accounts/invite.html", {"form": form})


class RegisterView(generics.CreateAPIView):  # unclear: rate-limit
    serializer_class = RegisterSerializer
    permission_classes = [permissions.AllowAny]


class ChangePasswordView(generics.GenericAPIView):  # expect: rate-limit
    serializer_class = ChangePasswordSerializer
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request.user.set_password(serializer.validated_data["new_password"])
        request.user.save()
        return Response(status=status.HTTP_204_NO_CONTENT)
