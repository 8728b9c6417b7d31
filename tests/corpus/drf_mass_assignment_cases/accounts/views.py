import json

from django.http import JsonResponse
from rest_framework import permissions, viewsets
from rest_framework.decorators import api_view
from rest_framework.views import APIView
from rest_framework.response import Response

from accounts.models import Profile, Team, User
from accounts.serializers import MemberSerializer, ProfileSerializer, TeamSerializer, UserSerializer


class UserViewSet(viewsets.ModelViewSet):
    queryset = User.objects.all()
    serializer_class = UserSerializer


class MemberDirectory(viewsets.ReadOnlyModelViewSet):
    serializer_class = MemberSerializer

    def get_queryset(self):
        return User.objects.filter(is_active=True).order_by("username")


class TeamViewSet(viewsets.ModelViewSet):
    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    permission_classes = [permissions.IsAuthenticated]


@api_view(["PUT"])
def update_profile(request):
    profile = Profile.objects.get(user=request.user)
    serializer = ProfileSerializer(profile, data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return Response(serializer.data)


def create_team(request):
    payload = json.loads(request.body)
    team = Team.objects.create(created_by=request.user, **payload)  # expect: mass-assignment
    return JsonResponse({"id": team.pk}, status=201)


def rename_team(request, pk):
    payload = json.loads(request.body)
    team = Team.objects.get(pk=pk, created_by=request.user)
    team.name = payload["name"]  # ok: mass-assignment
    team.save(update_fields=["name"])
    return JsonResponse({"id": team.pk})


class MyAccount(APIView):
    def patch(self, request):
        me = User.objects.filter(pk=request.user.pk)
        me.update(**request.data)  # expect: mass-assignment
        return Response(status=204)

    def put(self, request):
        profile = Profile.objects.filter(user=request.user)
        profile.update(display_name=request.data["display_name"])  # ok: mass-assignment
        return Response(status=204)
