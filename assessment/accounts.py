"""The login form (config/urls.py): Django's, with the user name checked before any look-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.forms.utils import ErrorDict

    _FormBase = AuthenticationForm  # what the mixin is mixed into, for the type checker
else:
    _FormBase = object


class CheckedUsernameMixin(_FormBase):
    """Django's AuthenticationForm puts the user name's length limit on the widget only, so
    any length went on to authenticate() and django-axes, which records failed attempts in a
    255-character column (a database error on PostgreSQL). Here an over-long user name, or one
    with a NUL character, is refused as a field error with a clear message: nothing is looked
    up and no attempt is recorded. Lockouts work as before for every name that could exist.
    """

    data: dict[str, Any]  # a QueryDict (a dict) or a dict; full_clean copies and edits it
    _errors: ErrorDict | None  # set by BaseForm; django-stubs leave it out

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = cast(auth_forms.UsernameField, self.fields["username"])
        username.validators.append(MaxLengthValidator(username.max_length))
        username.error_messages.update(
            max_length=_("A user name has at most %(limit_value)s characters."),
            null_characters_not_allowed=_(
                "The user name contains a character that is not allowed."
            ),
        )
        self.fields["password"].error_messages.update(
            null_characters_not_allowed=_("The password contains a character that is not allowed.")
        )

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self._errors and "username" in self._errors:
            # Do not write a refused user name (a megabyte, or a NUL) back into the page.
            self.data = self.data.copy()
            self.data[self.add_prefix("username")] = ""


class LoginForm(CheckedUsernameMixin, AuthenticationForm):
    """The login page's form (konto/login/)."""


class AdminLoginForm(CheckedUsernameMixin, AdminAuthenticationForm):
    """The admin site's login form: staff only, as Django's, with the same checks."""


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form skips accounts without a usable password, which is exactly a new
    coordinator who lost the welcome e-mail: "forgot password" sent them nothing. Any active
    account with that address gets the link; it goes only to that address."""

    def get_users(self, email: str):
        model = get_user_model()
        return model._default_manager.filter(email__iexact=email, is_active=True)
