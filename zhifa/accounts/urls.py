from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/otp/", views.OtpVerifyView.as_view(), name="otp_verify"),
    path("security/", views.SecurityView.as_view(), name="security"),
    path("security/otp/", views.OtpSetupView.as_view(), name="otp_setup"),
    path("security/recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserEditView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/reset-otp/", views.UserResetOtpView.as_view(), name="user_reset_otp"),
]
