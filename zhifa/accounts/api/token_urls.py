"""POST username and password, get the API token (``Authorization: Token <key>``)."""

from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken

urlpatterns = [path("", ObtainAuthToken.as_view(), name="api-token")]
