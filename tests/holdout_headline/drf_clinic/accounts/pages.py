"""Server-rendered pages for front-desk staff."""
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView
from django_ratelimit.decorators import ratelimit

from patients.models import Appointment, Patient


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="5/m", method="POST", block=True)
def staff_login(request):  # ok: rate-limit
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect("staff_patients")
    return render(request, "staff/login.html", {"form": form})


class PatientDirectoryView(LoginRequiredMixin, ListView):  # expect: pagination
    model = Patient
    template_name = "staff/patients.html"
    context_object_name = "patients"
    ordering = ["last_name", "first_name"]


class WaitingRoomView(LoginRequiredMixin, ListView):  # ok: pagination
    template_name = "staff/waiting_room.html"
    context_object_name = "appointments"
    paginate_by = 30

    def get_queryset(self):
        today = timezone.localdate()
        return (
            Appointment.objects.select_related("patient", "doctor__user")
            .filter(starts_at__date=today, status=Appointment.Status.CHECKED_IN)
            .order_by("starts_at")
        )
