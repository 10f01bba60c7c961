"""A tiny OpenID provider (django-oauth-toolkit) that the OIDC tests start in its own process.

Only tests/security/test_oidc.py uses it; nothing here is part of Planprofil.
"""

# Group names that decide how the provider vouches for a user's e-mail address (validator.py).
VERIFIED_GROUP = "email-verified"
ENTRA_GROUP = "entra-edov"
