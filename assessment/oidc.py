"""Single sign-on with OpenID Connect (e.g. Microsoft Entra ID), on when configured.

config/settings.py switches this on when PLANPROFIL_OIDC_CLIENT_ID is set: the backend below,
the URLs at ``oidc/`` and the "Log in with ..." button on the login page.

Who gets in: a person whose e-mail address the provider vouches for. The address must come
with ``email_verified: true`` (the standard claim) or ``xms_edov: true`` (Entra ID's "e-mail
domain owner verified", an optional claim to switch on in the app registration), in the ID
token or in the user info. Entra ID sends ``preferred_username`` or ``upn`` without either
flag for many accounts; those are refused, since anyone can be given any such name in some
tenant. The address is matched case-insensitively against existing users' e-mail; a person
with no account gets one (user name = e-mail address, no usable password).

An account grants nothing: which municipalities a person may see is still decided by a
coordinator (assessment.models.Coordinator), exactly as for password users.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

log = logging.getLogger(__name__)

# Claims that say the e-mail address in the same set of claims is verified.
VERIFICATION_CLAIMS = ("email_verified", "xms_edov")


def _is_true(value: Any) -> bool:
    # Some providers send the flag as the string "true".
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def verified_email(*claim_sets: Mapping[str, Any]) -> str | None:
    """The first e-mail address that comes with a verification flag in the same claims."""
    for claims in claim_sets:
        email = str(claims.get("email") or "").strip()
        if email and any(_is_true(claims.get(name)) for name in VERIFICATION_CLAIMS):
            return email
    return None


class EmailVerifiedOIDCBackend(OIDCAuthenticationBackend):
    """Log in the user whose e-mail address the provider has verified; refuse anyone else."""

    def get_or_create_user(self, access_token, id_token, payload):
        self._check_audience(payload)
        user_info = self.get_userinfo(access_token, id_token, payload)
        # The ID token first (signed, and where Entra ID puts xms_edov), then the user info.
        email = verified_email(payload, user_info)
        if email is None:
            log.warning("Single sign-on refused: the provider did not verify an e-mail address")
            return None
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            log.warning("Single sign-on refused: several accounts share the e-mail address")
            return None
        user = users[0] if users else self._create_user(email, {**user_info, **payload})
        if user is None or not self.user_can_authenticate(user):  # inactive users stay out
            return None
        return user

    def _check_audience(self, payload: Mapping[str, Any]) -> None:
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued to this client.")

    def _create_user(self, email: str, claims: Mapping[str, Any]):
        """A new account with no password and no rights; None if the name is taken."""
        model = self.UserModel
        username = model.objects.normalize_email(email)
        name_field = model._meta.get_field(model.USERNAME_FIELD)
        if len(username) > name_field.max_length:
            log.warning("Single sign-on refused: the e-mail address is too long for a user name")
            return None
        if model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": username}).exists():
            # Someone else holds this user name (with another or no e-mail address): never
            # hand their account to whoever owns the address now.
            log.warning("Single sign-on refused: the user name is taken by another account")
            return None
        try:
            with transaction.atomic():
                return model.objects.create_user(
                    username,
                    email=username,
                    first_name=str(claims.get("given_name") or "")[:150],
                    last_name=str(claims.get("family_name") or "")[:150],
                )
        except IntegrityError:
            log.warning("Single sign-on refused: the account could not be created")
            return None


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back; says so on the login page when it did not log anyone in."""

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Logging in with %(provider)s did not work. Your e-mail address must be "
                "verified by %(provider)s. You can also log in with your password."
            )
            % {"provider": settings.PLANPROFIL_OIDC_PROVIDER_NAME},
        )
        return super().login_failure()


def login_button(request: HttpRequest) -> dict[str, str]:
    """Template context: the provider's name for the login page's button."""
    return {"oidc_provider_name": settings.PLANPROFIL_OIDC_PROVIDER_NAME}


# Included by config/urls.py at oidc/ when single sign-on is configured.
urlpatterns = [
    path(
        "authenticate/",
        OIDCAuthenticationRequestView.as_view(),
        name="oidc_authentication_init",
    ),
    path("callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
]
