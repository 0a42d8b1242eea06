"""Request-scoped context: the current request (and so the acting user) for the audit trail."""

import uuid
from contextvars import ContextVar

current_request: ContextVar = ContextVar("zhifa_current_request", default=None)


class CurrentRequestMiddleware:
    """Make the request reachable from model signals and tag it with a request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4()
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = str(request.id)
        return response
