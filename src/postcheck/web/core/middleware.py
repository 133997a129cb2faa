"""Response headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Pages whose own templates need inline styles or scripts (Django admin, API docs).
RELAXED_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp: str = getattr(settings, "POSTCHECK_CSP", "")
        self.relaxed: tuple[str, ...] = tuple(getattr(settings, "POSTCHECK_CSP_RELAXED_PREFIXES", ("/admin/",)))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A view may set its own policy; ours is only the default.
        if self.csp and "Content-Security-Policy" not in response:
            relaxed = request.path.startswith(self.relaxed)
            response["Content-Security-Policy"] = RELAXED_CSP if relaxed else self.csp
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response
