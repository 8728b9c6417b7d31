import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView

from .models import Appointment, Attachment, CreditTransfer, DeviceReading


@csrf_exempt  # expect: csrf
@login_required
def cancel_appointment(request, pk):
    appointment = get_object_or_404(Appointment, pk=pk, patient=request.user)
    if request.method == "POST":
        appointment.cancelled = True
        appointment.save()
    return redirect("portal:appointments")


@csrf_exempt  # expect: csrf
@require_POST
def rate_doctor(request):  # ok: authz
    payload = json.loads(request.body)
    request.user.ratings.create(doctor=payload["doctor"], stars=int(payload["stars"]))
    return JsonResponse({"ok": True})


def transfer_credit(request):  # expect: csrf
    if request.method != "POST":
        return render(request, "portal/transfer.html")
    CreditTransfer.objects.create(
        sender=request.user,
        recipient_email=request.POST["email"],
        amount=request.POST["amount"],
    )
    return redirect("portal:wallet")


def search_doctors(request):
    """Exempted in urls.py although it only reads: harmless."""
    doctors = Appointment.objects.filter(doctor__icontains=request.GET.get("q", "")).values_list("doctor", flat=True)
    return JsonResponse({"doctors": sorted(set(doctors))[:20], "me": request.user.get_username()})


@csrf_exempt  # ok: csrf
@require_POST
def device_reading(request):
    key = request.headers.get("X-Api-Key", "")
    if not DeviceReading.objects.filter(device_key=key).exists():
        return HttpResponseForbidden()
    DeviceReading.objects.create(device_key=key, value=float(request.POST["value"]))
    return JsonResponse({"stored": True})


@csrf_exempt  # ok: csrf
def sign_out(request):
    """Logging out is not worth a token here: GET only, no state but the session's own."""
    return render(request, "portal/signed_out.html", {"user": request.user})


@method_decorator(csrf_exempt, name="dispatch")  # expect: csrf
class DeleteAccountView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "portal/delete_account.html")

    def post(self, request):
        user = request.user
        logout(request)
        user.delete()
        return redirect("/")


@method_decorator(csrf_exempt, name="post")  # ok: csrf
class NotificationSettingsView(LoginRequiredMixin, View):
    """`name="post"` does not exempt anything: Django copies only dispatch's marks."""

    def post(self, request):
        request.user.profile.notify_by_sms = "sms" in request.POST
        request.user.profile.save()
        return redirect("portal:settings")


class ProfileUpdateView(LoginRequiredMixin, UpdateView):
    fields = ["phone", "address"]
    template_name = "portal/profile.html"

    def get_object(self, queryset=None):
        return self.request.user.profile

    @csrf_exempt  # expect: csrf
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class AttachmentUploadView(View):  # expect: csrf
    http_method_names = ["post"]

    def post(self, request):
        stored = [Attachment.objects.create(owner_id=owner_of(request), file=f) for f in request.FILES.getlist("files")]
        return JsonResponse({"stored": len(stored)})


def owner_of(request):
    return request.user.pk


upload_attachment = csrf_exempt(AttachmentUploadView.as_view())
