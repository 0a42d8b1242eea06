"""POST username, password (and the second factor's ``otp_token``), get the API token
(``Authorization: Token <key>``); DELETE revokes it."""

from django.urls import path

from .views import TokenView

urlpatterns = [path("", TokenView.as_view(), name="api-token")]
