"""Bearer-token authentication for the API: one indexed query per request, and no writes but last_used_at.

A token is valid while it is not revoked, its user is active and still a member of the
token's school. last_used_at is written at most once a minute per token, so a busy script
does not turn every check into a database write.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from postcheck.web.api.models import ApiToken, hash_token

LAST_USED_EVERY = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


def find_token(raw: str) -> ApiToken | None:
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    # Only the columns a check needs: the school's context (the roster) stays in the database unless the
    # cached Checker is stale (core.checkers), and no ORDER BY for a unique key.
    rows = (ApiToken.objects.active()
            .filter(token_hash=hash_token(raw), user__is_active=True, user__memberships__school=F("school"))
            .select_related("school").order_by()
            .only("id", "name", "user_id", "last_used_at", "revoked_at", "school__id", "school__name",
                  "school__slug", "school__context_hash"))  # fmt: skip
    return next(iter(rows[:1]), None)


def touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        # Conditional, so that of several workers seeing the same stale value only one writes.
        stale = ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_EVERY)
        stale.update(last_used_at=now)
        token.last_used_at = now


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = find_token(token.strip())
        if found is None:
            raise AuthenticationError(401, "The token is not valid: it is unknown, revoked, or its user is no "
                                           "longer a member of its school.")  # fmt: skip
        touch(found)
        return found
