from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts import pages as staff_pages
from accounts import views as account_views
from clinic.throttles import LoginRateThrottle
from patients import views as patient_views
from portal import views as portal_views

router = DefaultRouter()
router.register("patients", patient_views.PatientViewSet, basename="patient")
router.register("appointments", patient_views.AppointmentViewSet, basename="appointment")

urlpatterns = [
    path("admin/", admin.site.urls),  # expect: rate-limit
    # login, logout, password reset / reset confirm / change, user details
    path("api/auth/", include("dj_rest_auth.urls")),  # expect: rate-limit
    path("api/auth/token/", TokenObtainPairView.as_view(throttle_classes=[LoginRateThrottle]), name="token_obtain"),  # ok: rate-limit
    path("api/auth/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),  # expect: rate-limit
    path("api/accounts/signup/", account_views.SignupView.as_view(), name="signup"),
    path("api/accounts/password/", account_views.ChangePasswordView.as_view(), name="change_password"),
    path("api/staff/receptionists/", account_views.create_receptionist, name="create_receptionist"),
    path("api/departments/", patient_views.DepartmentListView.as_view()),
    path("api/patients/<int:patient_id>/prescriptions/", patient_views.PrescriptionHistoryView.as_view()),
    path("api/doctors/<int:pk>/schedule/", patient_views.DoctorScheduleView.as_view()),
    path("api/clinicians/", patient_views.clinician_directory),
    path("api/", include(router.urls)),
    path("portal/login/", portal_views.portal_login),
    path("portal/access-code/resend/", portal_views.resend_access_code),
    path("portal/kiosk/unlock/", portal_views.kiosk_unlock),
    path("portal/appointments/", portal_views.portal_appointments),
    path("staff/login/", staff_pages.staff_login, name="staff_login"),
    path("staff/patients/", staff_pages.PatientDirectoryView.as_view(), name="staff_patients"),
    path("staff/waiting-room/", staff_pages.WaitingRoomView.as_view(), name="waiting_room"),
]
