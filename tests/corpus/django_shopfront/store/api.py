from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from rest_framework import generics, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action, api_view
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from .models import Category, Order, Product, Review
from .pagination import StandardPagination
from .serializers import CategorySerializer, CustomerSignupSerializer, OrderSerializer, ProductSerializer, ReviewSerializer


class TokenLoginView(APIView):  # ok: rate-limit
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        user = authenticate(request=request, username=request.data.get("username"), password=request.data.get("password"))
        if user is None:
            return Response({"detail": "Invalid credentials"}, status=status.HTTP_401_UNAUTHORIZED)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MobileLoginView(APIView):  # expect: rate-limit
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        user = User.objects.filter(email__iexact=request.data.get("email", "")).first()
        if user is None or not user.check_password(request.data.get("password", "")):  # ok: plaintext-password
            return Response({"detail": "Invalid credentials"}, status=status.HTTP_401_UNAUTHORIZED)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "user_id": user.pk})


class CustomerSignupView(generics.CreateAPIView):  # expect: rate-limit
    permission_classes = [permissions.AllowAny]
    serializer_class = CustomerSignupSerializer


class PasswordChangeAPIView(APIView):  # ok: rate-limit
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [UserRateThrottle]

    def post(self, request):
        if not request.user.check_password(request.data.get("old_password", "")):  # ok: plaintext-password
            return Response({"detail": "Wrong password"}, status=status.HTTP_400_BAD_REQUEST)
        request.user.set_password(request.data["new_password"])  # ok: plaintext-password
        request.user.save()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductViewSet(viewsets.ReadOnlyModelViewSet):  # expect: pagination
    queryset = Product.objects.filter(active=True).order_by("name")
    serializer_class = ProductSerializer


class CategoryListView(generics.ListAPIView):  # expect: pagination
    queryset = Category.objects.order_by("name")
    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]


class ReviewListView(generics.ListAPIView):  # ok: pagination
    serializer_class = ReviewSerializer
    pagination_class = LimitOffsetPagination

    def get_queryset(self):
        return Review.objects.filter(product_id=self.kwargs["product_id"]).order_by("-created_at")


class OrderViewSet(viewsets.ModelViewSet):  # ok: pagination
    serializer_class = OrderSerializer
    pagination_class = StandardPagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Order.objects.filter(customer=self.request.user).prefetch_related("items").order_by("-created_at")

    @action(detail=False)
    def recent(self, request):
        orders = self.get_queryset()[:5]  # ok: pagination
        return Response(OrderSerializer(orders, many=True).data)

    @action(detail=False, url_path="open")
    def open_orders(self, request):
        orders = self.get_queryset().exclude(status__in=["delivered", "cancelled"])  # expect: pagination
        return Response(OrderSerializer(orders, many=True).data)


class StaffOrderListView(generics.ListAPIView):  # expect: pagination
    serializer_class = OrderSerializer
    permission_classes = [permissions.IsAdminUser]
    queryset = Order.objects.prefetch_related("items").order_by("-created_at")


@api_view(["GET"])
def product_reviews(request, pk):
    reviews = Review.objects.filter(product_id=pk).order_by("-created_at")  # expect: pagination
    return Response(ReviewSerializer(reviews, many=True).data)


@api_view(["GET"])
def top_products(request):
    products = Product.objects.filter(active=True).order_by("-created_at")[:10]  # ok: pagination
    return Response(ProductSerializer(products, many=True).data)


@api_view(["GET"])
def product_by_sku(request, sku):
    product = Product.objects.filter(sku=sku).first()  # ok: pagination
    if product is None:
        return Response(status=status.HTTP_404_NOT_FOUND)
    return Response(ProductSerializer(product).data)
