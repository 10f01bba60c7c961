"""The respondent's path: intro and role, one step per theme, check your answers, submit.

The database is the wizard's real storage: every posted step is written through
services.answers_save before the next page is shown, and forms are always rebuilt from saved
answers. The session only remembers which step is current, so an expired session or a closed
browser loses nothing.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_supported_language_variant, trans_real
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView

from assessment import selectors, services
from assessment.bank import Bank
from assessment.forms import (
    COMMENT_FIELD,
    DONT_KNOW,
    CheckForm,
    ResumeEmailForm,
    RoleForm,
    ThemeForm,
    local_number,
    theme_form_class,
)
from assessment.i18n import tr
from assessment.models import Assessment, Respondent
from assessment.permissions import (
    bind_response,
    bound_response,
    can_coordinate,
    get_assessment,
)
from assessment.scoring import Kind

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest

CHECK_STEP = "kontroll"
DONE_STEP = "send"


def _respondent(assessment: Assessment, user) -> Respondent | None:
    return Respondent.objects.filter(assessment=assessment, user=user).first()


@login_required
def intro(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    respondent = _respondent(assessment, request.user)
    if not assessment.is_open:
        return render(request, "assessment/wizard/closed.html", {"assessment": assessment})
    form = RoleForm(request.POST if request.method == "POST" else None, instance=respondent)
    if request.method == "POST" and form.is_valid():
        services.respondent_join(
            assessment=assessment, user=request.user, role_group=form.cleaned_data["role_group"]
        )
        return redirect("assessment:wizard", pk=assessment.pk)
    context = _intro_context(assessment) | {
        "respondent": respondent,
        "form": form,
        "resume": resume_point(respondent) if respondent and respondent.saved_steps else None,
    }
    return render(request, "assessment/wizard/intro.html", context)


class _Finished(Exception):
    """The response can no longer change (submitted in another tab, or the round closed)."""


_KEPT_STEP = "planprofil_kept_step"
_KEPT_STEP_MAX_BYTES = 64_000


def _keep_posted_step(request: HttpRequest) -> bool:
    """A step posted after the session expired (logged out, or a respondent's browser session
    gone) is kept in the new session, to be saved once the person is back on the same step:
    nothing typed is lost. Only a POST that passed the CSRF check gets here, so nobody else
    can plant answers this way."""
    if request.method != "POST":
        return False
    data = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
    if len(json.dumps(data)) > _KEPT_STEP_MAX_BYTES:
        return False
    request.session[_KEPT_STEP] = {"path": request.path, "data": data}
    return True


_OWNER_SALT = "planprofil.kept-step-owner"


def owner_token(respondent: Respondent) -> str:
    """Signed into every wizard page: a kept step is saved only into the response it was
    typed for, never into the next person's on a shared computer."""
    return signing.dumps(respondent.pk, salt=_OWNER_SALT)


def _replay_kept_step(request: HttpRequest, respondent: Respondent) -> None:
    """Back on the step after logging in (or opening the personal link): post it again, if
    it was typed for this very response."""
    kept = request.session.get(_KEPT_STEP)
    if request.method != "GET" or not kept or kept.get("path") != request.path:
        return
    del request.session[_KEPT_STEP]
    try:
        owner = signing.loads((kept["data"].get("planprofil_owner") or [""])[0], salt=_OWNER_SALT)
    except signing.BadSignature:
        return
    if owner != respondent.pk:
        return
    posted = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        posted.setlist(key, values)
    request.POST = posted  # type: ignore[assignment]
    # Without files of its own, touching request.FILES would parse the (empty) GET body and
    # replace the POST set above.
    request._files = MultiValueDict()  # type: ignore[attr-defined]
    request.method = "POST"


def theme_forms(bank: Bank, respondent: Respondent, saved: dict) -> OrderedDict[str, type]:
    """The respondent's theme steps in order, each with its form; a theme with nothing to
    ask this respondent is left out."""
    earlier = {key: (a.value, a.dont_know) for key, a in saved.items()}
    steps: OrderedDict[str, type] = OrderedDict()
    for theme in bank.themes:
        form_class = theme_form_class(theme, respondent.role, earlier, bank.questions)
        if form_class.questions:
            steps[theme.key] = form_class
    return steps


@dataclass(frozen=True)
class ResumePoint:
    """Where a response stands: the step to continue at ("Step 4 of 14"), or the check page."""

    step_number: int | None  # None: every step is saved; next is "check your answers"
    step_total: int


def resume_point(respondent: Respondent) -> ResumePoint:
    """The same steps and the same "first step not saved" rule as the wizard itself."""
    bank = selectors.bank_of(respondent.assessment)
    steps = list(theme_forms(bank, respondent, selectors.respondent_answers(respondent)))
    saved = set(respondent.saved_steps)
    number = next((i for i, step in enumerate(steps, start=1) if step not in saved), None)
    return ResumePoint(step_number=number, step_total=len(steps))


class AssessmentWizard(NamedUrlSessionWizardView):
    """One wizard for both ways in: a logged-in coordinator answering for themselves (bound to
    their account) and an invited respondent without an account (bound to the browser session
    that started the response; see permissions.bind_response). No URL carries a key."""

    template_name = "assessment/wizard/step.html"
    respondent_mode = False

    @classmethod
    def as_view(cls, **initkwargs: Any):
        # Steps are built per request from the bank (see dispatch); formtools insists on a
        # non-empty list up front, so it gets the one step every wizard has.
        initkwargs.setdefault("url_name", "assessment:wizard_step")
        return super().as_view(
            form_list=[(CHECK_STEP, CheckForm)], done_step_name=DONE_STEP, **initkwargs
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.respondent_mode:
            respondent = bound_response(request, kwargs["pk"])
            if respondent is None:
                _keep_posted_step(request)
                return invitation_error(request, "no_session")
            self.assessment = respondent.assessment
            use_municipality_language(request, self.assessment.municipality)
            if not self.assessment.is_open:
                return invitation_error(request, "closed")
            if respondent.submitted_at is not None:
                return redirect("assessment:response", pk=self.assessment.pk)
        else:
            if not request.user.is_authenticated:
                if _keep_posted_step(request):
                    messages.info(
                        request,
                        _("You were logged out. Log in again and the step you sent is saved."),
                    )
                return redirect_to_login(request.get_full_path())
            self.assessment = get_assessment(request.user, kwargs["pk"], allowed=can_coordinate)
            if not self.assessment.is_open:
                return render(
                    request, "assessment/wizard/closed.html", {"assessment": self.assessment}
                )
            respondent = _respondent(self.assessment, request.user)
            if respondent is None or respondent.submitted_at is not None:
                return redirect("assessment:intro", pk=self.assessment.pk)
        self.respondent = respondent
        _replay_kept_step(request, respondent)
        self.bank = selectors.bank_of(self.assessment)
        self.saved = selectors.respondent_answers(respondent)
        self.comments = selectors.respondent_comments(respondent)
        self.form_list = self._form_list()
        try:
            return super().dispatch(request, *args, **kwargs)
        except _Finished:
            return self.dispatch_finished()

    # --- steps -----------------------------------------------------------------------------

    def _form_list(self) -> OrderedDict[str, type]:
        steps = theme_forms(self.bank, self.respondent, self.saved)
        steps[CHECK_STEP] = CheckForm
        return steps

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"assessment_wizard_{self.assessment.pk}"

    def get_step_url(self, step: str) -> str:
        name = "assessment:response_step" if self.respondent_mode else "assessment:wizard_step"
        return reverse(name, kwargs={"pk": self.assessment.pk, "step": step})

    def _theme_steps(self) -> list[str]:
        return [s for s in self.get_form_list() if s != CHECK_STEP]

    def _resume_step(self) -> str:
        saved = set(self.respondent.saved_steps)
        return next((s for s in self._theme_steps() if s not in saved), CHECK_STEP)

    # --- forms come from the database -------------------------------------------------------

    def _saved_data(self, step: str) -> dict[str, str] | None:
        if step == CHECK_STEP:
            return {}
        if step not in self.respondent.saved_steps:
            return None
        data = {}
        for question in self.bank.theme(step).questions:
            answer = self.saved.get(question.key)
            if answer is not None:
                data[f"{step}-{question.key}"] = _shown_value(question, answer)
        data[f"{step}-{COMMENT_FIELD}"] = self.comments.get(step, "")
        return data

    def get_form_initial(self, step: str) -> dict[str, str]:
        # For a step saved only in part (it failed validation before): show what was kept.
        if step == CHECK_STEP:
            return {}
        initial = {
            q.key: _shown_value(q, a)
            for q in self.bank.theme(step).questions
            if (a := self.saved.get(q.key)) is not None
        }
        initial[COMMENT_FIELD] = self.comments.get(step, "")
        return initial

    def get_form(self, step: str | None = None, data: Any = None, files: Any = None):
        step = step or self.steps.current
        if data is not self.request.POST:
            data = self._saved_data(step)
        form = super().get_form(step, data, files)
        if data is self.request.POST:
            self._posted_form = form
        return form

    def _save(self, form: ThemeForm, *, complete: bool) -> None:
        answers = form.answer_inputs() if complete else form.valid_part()
        if complete:
            # Questions of this theme that are no longer shown must not keep old answers.
            shown = {q.key for q in form.questions}
            answers |= {
                q.key: None
                for q in form.theme.questions
                if q.key not in shown and q.key in self.saved
            }
        comment = form.cleaned_data.get(COMMENT_FIELD) if hasattr(form, "cleaned_data") else None
        try:
            services.answers_save(
                respondent=self.respondent,
                theme_key=form.theme.key,
                answers=answers,
                comment=comment,
                complete=complete,
            )
        except services.ServiceError as exc:
            # Submitted in another tab, or the round closed meanwhile: nothing to save.
            raise _Finished from exc

    def process_step(self, form):
        if isinstance(form, ThemeForm):
            self._save(form, complete=True)
        return {}  # the session keeps no answers; see the module docstring

    # --- navigation --------------------------------------------------------------------------

    def get(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs.get("step") is None:
            step = self._resume_step()
            self.storage.current_step = step
            return redirect(self.get_step_url(step))
        return super().get(*args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management.is_valid() or management.cleaned_data["current_step"] not in (
            self.form_list
        ):
            # A tampered or stale form (a step that does not exist for this respondent):
            # nothing to save; go to where the respondent really is.
            messages.warning(self.request, _("That page was out of date; here is where you are."))
            return redirect(self.get_step_url(self._resume_step()))
        # Trust the page the form came from over the session (two tabs, expired session).
        self.storage.current_step = management.cleaned_data["current_step"]
        goto = self.request.POST.get("wizard_goto_step")
        if goto and goto in self.get_form_list():
            # "Back" keeps what was typed: save it before leaving the step.
            form = self.get_form(data=self.request.POST, files=self.request.FILES)
            if isinstance(form, ThemeForm):
                self._save(form, complete=form.is_valid())
            return self.render_goto_step(goto)
        response = super().post(*args, **kwargs)
        form = getattr(self, "_posted_form", None)
        if isinstance(form, ThemeForm) and form.errors:
            self._save(form, complete=False)
        return response

    def render_next_step(self, form, **kwargs: Any) -> HttpResponse:
        if self.request.POST.get("return_to_check") and self._resume_step() == CHECK_STEP:
            self.storage.current_step = CHECK_STEP
            return redirect(self.get_step_url(CHECK_STEP))
        return super().render_next_step(form, **kwargs)

    def render_revalidation_failure(self, failed_step: str, form, **kwargs: Any) -> HttpResponse:
        messages.warning(self.request, _("Some questions still need an answer."))
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def dispatch_finished(self) -> HttpResponse:
        if self.respondent_mode:
            return redirect("assessment:response", pk=self.assessment.pk)
        return redirect("assessment:intro", pk=self.assessment.pk)

    def done(self, form_list, **kwargs: Any) -> HttpResponse:
        try:
            services.respondent_submit(respondent=self.respondent)
        except services.ServiceError:
            return self.dispatch_finished()
        # A receipt, never the answers: whoever holds this browser or key later sees only that
        # something was submitted and when.
        if self.respondent_mode:
            return redirect("assessment:response", pk=self.assessment.pk)
        return redirect("assessment:intro", pk=self.assessment.pk)

    # --- rendering ---------------------------------------------------------------------------

    def get_template_names(self) -> list[str]:
        if self.steps.current == CHECK_STEP:
            return ["assessment/wizard/check.html"]
        return [self.template_name]

    def get_context_data(self, form, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        theme_steps = self._theme_steps()
        current = self.steps.current
        context.update(
            assessment=self.assessment,
            respondent=self.respondent,
            invitee=self.respondent_mode,
            owner_token=owner_token(self.respondent),
            step_total=len(theme_steps),
            step_number=theme_steps.index(current) + 1 if current in theme_steps else None,
            return_to_check=self.request.GET.get("fra") == CHECK_STEP
            or self.request.POST.get("return_to_check"),
        )
        if current == CHECK_STEP:
            context["summary"] = self._summary(theme_steps)
        else:
            theme = self.bank.theme(current)
            context["theme"] = theme
            context["dimension"] = self.bank.dimension(theme.dimension_key)
            context["percent"] = round(100 * (context["step_number"] - 1) / len(theme_steps))
        return context

    def _summary(self, theme_steps: list[str]) -> list[dict[str, Any]]:
        saved_steps = set(self.respondent.saved_steps)
        rows = []
        for step in theme_steps:
            form_class = self.get_form_list()[step]
            theme = self.bank.theme(step)
            items = []
            for question in form_class.questions:
                answer = self.saved.get(question.key)
                field = form_class.base_fields[question.key]
                items.append(
                    {
                        "question": tr(question.text),
                        "answer": _answer_label(field, answer),
                        "missing": answer is None,
                    }
                )
            rows.append(
                {
                    "key": step,
                    "name": tr(theme.name),
                    "items": items,
                    "comment": self.comments.get(step, ""),
                    "saved": step in saved_steps,
                    "change_url": self.get_step_url(step) + f"?fra={CHECK_STEP}",
                }
            )
        return rows


def _shown_value(question, answer) -> str:
    """A saved answer as the form shows it: numbers in the page's language ("12,5")."""
    if answer.dont_know:
        return DONT_KNOW
    if question.kind is Kind.NUMBER and answer.value:
        try:
            return local_number(answer.value)
        except (ArithmeticError, ValueError):
            return answer.value
    return answer.value


def _answer_label(field, answer) -> str:
    if answer is None:
        return _("Not answered")
    if answer.dont_know:
        return _("Don't know")
    if isinstance(field, forms.IntegerField | forms.DecimalField) and answer.value:
        try:
            return local_number(answer.value)
        except (ArithmeticError, ValueError):
            return answer.value
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(answer.value, answer.value))


INVITATION_ERRORS = {
    "unknown": (404, "assessment/invite/error_unknown.html"),
    "revoked": (410, "assessment/invite/error_revoked.html"),
    "expired": (410, "assessment/invite/error_expired.html"),
    "closed": (410, "assessment/invite/error_closed.html"),
    "used": (410, "assessment/invite/error_used.html"),
    "no_session": (403, "assessment/invite/error_no_session.html"),
}


def use_municipality_language(request: HttpRequest, municipality) -> None:
    """An invited respondent has no account and may not have chosen a language: use the
    browser's when it is one we have, otherwise the municipality's official language form."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    header = request.headers.get("Accept-Language", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        try:
            get_supported_language_variant(code)
        except LookupError:
            continue
        return
    translation.activate(municipality.report_language)
    request.LANGUAGE_CODE = municipality.report_language


def invitation_error(request: HttpRequest, reason: str) -> HttpResponse:
    status, template = INVITATION_ERRORS[reason]
    # Whoever follows an invitation needs no account: the header offers no "Log in".
    return render(request, template, {"invitee": True}, status=status)


def _intro_context(assessment: Assessment) -> dict[str, Any]:
    bank = selectors.bank_of(assessment)
    return {
        "assessment": assessment,
        "step_count": len(bank.themes),
        "question_count": len(bank.questions),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link lands. GET only shows what this is (a mail scanner opening
    the link changes nothing); "Start" POSTs, which starts a new, empty response bound to
    this browser. The token is not used again: the wizard's URLs carry none."""
    try:
        invitation = services.invitation_check(token=token)
    except services.InvitationError as exc:
        return invitation_error(request, exc.reason)
    assessment = invitation.assessment
    use_municipality_language(request, assessment.municipality)
    if request.method == "POST":
        existing = bound_response(request, assessment.pk)
        if (
            existing is not None
            and existing.submitted_at is None
            and not existing.saved_steps
            and not existing.answers.exists()
        ):
            # "Start" pressed twice (a double click, a reload): the empty response this
            # browser just started, not a second one. Anything with answers in it is never
            # continued this way: on a shared computer it may be the previous person's.
            return redirect("assessment:response", pk=assessment.pk)
        try:
            started = services.invitation_claim(token=token)
        except services.InvitationError as exc:
            return invitation_error(request, exc.reason)
        browser_token, _key = services.respondent_rebind(respondent=started.respondent)
        bind_response(request, started.respondent, browser_token)
        request.session[_FRESH_KEY] = _key or started.resume_key
        return redirect("assessment:response", pk=assessment.pk)
    context = _intro_context(assessment) | {"invitation": invitation, "invitee": True}
    return render(request, "assessment/invite/intro.html", context)


_FRESH_KEY = "planprofil_fresh_resume_key"
_RESUME_MAILS = "planprofil_resume_mails"
_RESUME_MAIL_LIMIT = 5


@require_http_methods(["GET", "HEAD", "POST"])
def resume(request: HttpRequest, key: str) -> HttpResponse:
    """A respondent's own resume link. GET asks to confirm; POST binds this browser."""
    try:
        respondent = services.respondent_by_resume_key(key=key)
    except services.InvitationError as exc:
        return invitation_error(request, exc.reason)
    assessment = respondent.assessment
    use_municipality_language(request, assessment.municipality)
    if request.method == "POST":
        # This browser takes the response; any other browser (and the key just used, which
        # someone else may have seen) is shut out, and a new key is shown here only.
        browser_token, new_key = services.respondent_rebind(respondent=respondent)
        bind_response(request, respondent, browser_token)
        if new_key:
            request.session[_FRESH_KEY] = new_key
        return redirect("assessment:response", pk=assessment.pk)
    context = _intro_context(assessment) | {"respondent": respondent, "invitee": True}
    return render(request, "assessment/invite/resume.html", context)


@require_http_methods(["GET", "POST"])
def response_home(request: HttpRequest, pk: int) -> HttpResponse:
    """The respondent's own page: the personal resume link (shown once, right after it is
    made), a way to get a new one, continue; after submitting, a receipt and nothing more."""
    respondent = bound_response(request, pk)
    if respondent is None:
        return invitation_error(request, "no_session")
    assessment = respondent.assessment
    use_municipality_language(request, assessment.municipality)
    if respondent.submitted_at is not None:
        return render(
            request,
            "assessment/invite/receipt.html",
            {"assessment": assessment, "respondent": respondent, "invitee": True},
        )
    if not assessment.is_open:
        return invitation_error(request, "closed")
    form = ResumeEmailForm(request.POST if request.POST.get("action") == "email" else None)
    if request.method == "POST" and (not form.is_bound or form.is_valid()):
        key = services.respondent_new_resume_key(respondent=respondent)
        if form.is_bound:
            sent = request.session.get(_RESUME_MAILS, 0)
            if sent >= _RESUME_MAIL_LIMIT:
                messages.error(request, _("Too many e-mails from this page; try again later."))
                return redirect("assessment:response", pk=pk)
            request.session[_RESUME_MAILS] = sent + 1
            link = request.build_absolute_uri(reverse("assessment:resume", kwargs={"key": key}))
            try:
                services.send_resume_link(
                    respondent=respondent, email=form.cleaned_data["email"], link=link
                )
            except OSError:
                # The mail server is down: show the new link here instead of failing.
                request.session[_FRESH_KEY] = key
                messages.error(request, _("The e-mail could not be sent; here is the link."))
                return redirect("assessment:response", pk=pk)
            messages.success(
                request, _("A new personal link has been sent to the address you gave.")
            )
        else:
            request.session[_FRESH_KEY] = key
        return redirect("assessment:response", pk=pk)
    fresh = request.session.pop(_FRESH_KEY, None)
    context = _intro_context(assessment) | {
        "respondent": respondent,
        "resume_link": request.build_absolute_uri(
            reverse("assessment:resume", kwargs={"key": fresh})
        )
        if fresh
        else "",
        "email_form": form,
        "resume": resume_point(respondent) if respondent.saved_steps else None,
        "invitee": True,
    }
    return render(request, "assessment/invite/response.html", context)
