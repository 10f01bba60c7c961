"""Claims of the test provider, set per user by group membership.

- VERIFIED_GROUP: ``email_verified: true``, the standard claim.
- ENTRA_GROUP: like Microsoft Entra ID with the optional claim switched on: ``xms_edov: true``
  in the ID token only (its user info endpoint does not send it), no ``email_verified``.
- anyone else: ``email_verified: false``, as before the user confirms the address.

A user with no e-mail address gets no ``email`` claim, only ``preferred_username`` and ``upn``
(their user name), as Entra ID sends for accounts without a mailbox.
"""

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider import ENTRA_GROUP, VERIFIED_GROUP


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "xms_edov": "email", "upn": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        groups = set(user.groups.values_list("name", flat=True))
        claims = {
            "preferred_username": user.get_username(),
            "upn": user.get_username(),
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
        if user.email:
            claims["email"] = user.email
        if ENTRA_GROUP in groups:
            claims["xms_edov"] = True
        else:
            claims["email_verified"] = VERIFIED_GROUP in groups
        return claims

    def get_userinfo_claims(self, request):
        claims = super().get_userinfo_claims(request)
        claims.pop("xms_edov", None)
        return claims
