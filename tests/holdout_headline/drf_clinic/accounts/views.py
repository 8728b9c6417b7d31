from rest_framework import generics, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response

from clinic.throttles import SignupRateThrottle

from .models import User
from .serializers import ChangePasswordSerializer, ReceptionistSerializer, SignupSerializer


class SignupView(generics.CreateAPIView):  # ok: rate-limit
    serializer_class = SignupSerializer
    permission_classes = [AllowAny]
    throttle_classes = [SignupRateThrottle]


class ChangePasswordView(generics.GenericAPIView):  # expect: rate-limit
    serializer_class = ChangePasswordSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        if not user.check_password(serializer.validated_data["old_password"]):
            return Response({"old_password": ["Wrong password."]}, status=status.HTTP_400_BAD_REQUEST)
        user.set_password(serializer.validated_data["new_password"])
        user.save(update_fields=["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@api_view(["POST"])
@permission_classes([IsAdminUser])
def create_receptionist(request):  # ok: rate-limit
    serializer = ReceptionistSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    user = User.objects.create(
        email=data["email"].lower(),
        full_name=data["full_name"],
        role=User.Role.RECEPTION,
        is_staff=True,
        password=data["password"],  # expect: plaintext-password
    )
    return Response({"id": user.pk, "email": user.email}, status=status.HTTP_201_CREATED)
