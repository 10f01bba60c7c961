"""Writes. Each function is one business action, atomic, with keyword-only arguments."""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessment import accounts, selectors
from assessment import bank as bank_module
from assessment.models import (
    AccessRequest,
    Answer,
    Assessment,
    AuditEvent,
    Coordinator,
    Dimension,
    Invitation,
    Municipality,
    PlanRegister,
    Question,
    QuestionBank,
    Respondent,
    ResultSnapshot,
    Theme,
    ThemeComment,
)
from assessment.scoring import Profile
from content.models import Source


class ServiceError(Exception):
    """A request the domain refuses; the message is safe to show to the user."""


class DuplicateRound(ServiceError):
    """An open round with the same term, round and label exists: the coordinator is sent to
    it instead of starting a second one nobody could tell apart."""

    def __init__(self, existing: Assessment) -> None:
        super().__init__("An open round with the same term, round and label exists.")
        self.existing = existing


class AccountConflict(ServiceError):
    """No account can be made for this address: another account uses it as its user name,
    or it is longer than a user name may be. Staff must sort the account out."""


# --- reference data -----------------------------------------------------------------------


@transaction.atomic
def municipalities_import(*, csv_path: Path, population_year: int) -> int:
    """Create or update every municipality in the CSV; returns how many rows were read."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(Municipality.objects.values_list("number", flat=True))
    fields = {
        "name",
        "sami_name",
        "county_number",
        "county_name",
        "population",
        "population_year",
        "area_km2",
        "administrative_centre",
        "official_language_form",
    }
    objects = [
        Municipality(
            number=row["municipality_number"],
            name=row["name"],
            sami_name=row["sami_name"],
            county_number=row["county_number"],
            county_name=row["county_name"],
            population=int(row["population"]),
            population_year=population_year,
            area_km2=row["area_km2"] or None,
            administrative_centre=row["administrative_centre"],
            official_language_form=row["official_language_form"],
        )
        for row in rows
    ]
    Municipality.objects.bulk_create([m for m in objects if m.number not in existing])
    Municipality.objects.bulk_update([m for m in objects if m.number in existing], list(fields))
    return len(objects)


@transaction.atomic
def bank_install(*, bank: bank_module.Bank, publish: bool = True) -> QuestionBank:
    """Install a validated bank. A published version is immutable: installing the same
    content again is a no-op, different content under the same version is refused."""
    existing = QuestionBank.objects.filter(version=bank.version).first()
    if existing is not None:
        if existing.content_hash == bank.content_hash:
            if existing.texts_hash != bank.texts_hash:
                # Same questions and scoring; translations added or corrected.
                existing.definition = dict(bank.document)
                existing.texts_hash = bank.texts_hash
                existing.save(update_fields=["definition", "texts_hash"])
            return existing
        if existing.status != QuestionBank.Status.DRAFT:
            raise ServiceError(
                f"Question bank v{bank.version} is {existing.status} and cannot change; "
                "publish the new content under a new version."
            )
        existing.delete()  # a draft may be replaced whole; nothing can point at it yet

    sources = {s.key: s for s in Source.objects.all()}
    missing = {q.source for q in bank.questions.values()} - set(sources)
    if missing:
        raise ServiceError(f"Unknown source keys in the bank: {sorted(missing)}")

    record = QuestionBank.objects.create(
        version=bank.version,
        status=QuestionBank.Status.PUBLISHED if publish else QuestionBank.Status.DRAFT,
        definition=dict(bank.document),
        content_hash=bank.content_hash,
        texts_hash=bank.texts_hash,
        published_at=timezone.now() if publish else None,
    )
    for d_pos, dimension in enumerate(bank.dimensions):
        dim_row = Dimension.objects.create(bank=record, key=dimension.key, position=d_pos)
        for t_pos, theme in enumerate(dimension.themes):
            theme_row = Theme.objects.create(dimension=dim_row, key=theme.key, position=t_pos)
            Question.objects.bulk_create(
                Question(
                    theme=theme_row,
                    bank=record,
                    key=q.key,
                    position=q_pos,
                    kind=q.kind.value,
                    audience=q.audience.value,
                    source=sources[q.source],
                )
                for q_pos, q in enumerate(theme.questions)
            )
    return record


# --- assessments --------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    user: User,
    municipality: Municipality,
    period: str,
    round: str,
    label: str = "",
    bank_version: str = "",
) -> Assessment:
    """Start an assessment with the newest published bank (or, for the demo and tests, the
    published version asked for). Only a coordinator can: nobody gets a municipality by being
    first (see access_request_create)."""
    published = QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED)
    if bank_version:
        published = published.filter(version=bank_version)
    bank = published.order_by("-published_at").first()
    if bank is None:
        raise ServiceError("No published question bank is installed.")
    if not Coordinator.objects.filter(user=user, municipality=municipality).exists():
        raise ServiceError("Only the municipality's coordinators can start a round.")
    # Rounds of one municipality are started one at a time, so two coordinators pressing
    # "Create" together cannot both pass the check below.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    existing = selectors.open_round_like(
        municipality=municipality, period=period, round=round, label=label
    )
    if existing is not None:
        raise DuplicateRound(existing)
    return Assessment.objects.create(
        municipality=municipality,
        bank=bank,
        period=period,
        round=round,
        label=label,
        created_by=user,
    )


@transaction.atomic
def respondent_join(*, assessment: Assessment, user: User, role_group: str) -> Respondent:
    respondent, created = Respondent.objects.get_or_create(
        assessment=assessment, user=user, defaults={"role_group": role_group}
    )
    if not created and respondent.role_group != role_group and not respondent.saved_steps:
        respondent.role_group = role_group
        respondent.save(update_fields=["role_group", "updated_at"])
    return respondent


def _lock_open_round(assessment_id: int) -> None:
    """Read the round's status under its row lock: closing takes the same lock, so an answer
    or a submission can never land after the figures were frozen (which would publish the
    difference between two sets of figures through the comments or a later close)."""
    status = (
        Assessment.objects.select_for_update()
        .filter(pk=assessment_id)
        .values_list("status", flat=True)
        .first()
    )
    if status != Assessment.Status.OPEN:
        raise ServiceError("This assessment is closed; answers can no longer change.")


@dataclass(frozen=True)
class AnswerInput:
    value: str = ""
    dont_know: bool = False


@transaction.atomic
def answers_save(
    *,
    respondent: Respondent,
    theme_key: str,
    answers: Mapping[str, AnswerInput | None],
    comment: str | None = None,
    complete: bool = True,
) -> None:
    """Save one wizard step. `answers` maps question keys of the theme to the posted answer;
    None clears a question (for example a follow-up that no longer applies).
    `complete=False` saves what could be read from a step that failed validation, without
    marking the step as done, so nothing typed is lost."""
    _lock_open_round(respondent.assessment_id)
    # Lock the respondent: two tabs posting at once must not lose a step's "saved" mark
    # (read-modify-write of saved_steps).
    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if locked.submitted_at is not None:
        raise ServiceError("These answers have been submitted and can no longer change.")
    questions = {
        q.key: q
        for q in Question.objects.filter(
            bank_id=respondent.assessment.bank_id, theme__key=theme_key, key__in=list(answers)
        )
    }
    unknown = set(answers) - set(questions)
    if unknown:
        raise ServiceError(f"Unknown questions for theme {theme_key}: {sorted(unknown)}")
    to_clear = [questions[k].pk for k, a in answers.items() if a is None]
    if to_clear:
        Answer.objects.filter(respondent=respondent, question_id__in=to_clear).delete()
    parsed = respondent.assessment.bank.parsed
    for key, answer in answers.items():
        if answer is None:
            continue
        # The same rule as the form and the answers file (bank.Question.check_value).
        question = parsed.questions[key]
        if answer.dont_know and not question.dont_know:
            raise ServiceError(f"{key}: this question has no “don't know”")
        if not answer.dont_know:
            try:
                answer = AnswerInput(value=question.check_value(answer.value))
            except bank_module.InvalidAnswer as exc:
                raise ServiceError(f"{key}: {exc}") from exc
        Answer.objects.update_or_create(
            respondent=respondent,
            question=questions[key],
            defaults={"value": answer.value, "dont_know": answer.dont_know},
        )
    if comment is not None:
        theme = Theme.objects.get(dimension__bank_id=respondent.assessment.bank_id, key=theme_key)
        if comment.strip():
            ThemeComment.objects.update_or_create(
                respondent=respondent, theme=theme, defaults={"text": comment.strip()}
            )
        else:
            ThemeComment.objects.filter(respondent=respondent, theme=theme).delete()
    locked.last_step = theme_key
    if complete and theme_key not in locked.saved_steps:
        locked.saved_steps = [*locked.saved_steps, theme_key]
    locked.save(update_fields=["last_step", "saved_steps", "updated_at"])
    respondent.last_step, respondent.saved_steps = locked.last_step, locked.saved_steps


@transaction.atomic
def respondent_submit(*, respondent: Respondent) -> Respondent:
    """Hand in the answers. Final: after this nobody, the respondent included, can open or
    change them; whoever holds the respondent's key sees only a receipt."""
    _lock_open_round(respondent.assessment_id)
    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if locked.submitted_at is None:
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at", "updated_at"])
    respondent.submitted_at = locked.submitted_at
    return respondent


def headline_figures(profile: Profile) -> dict[str, Any]:
    return {
        "overall": profile.overall,
        "completeness": profile.completeness,
        "scores": {
            "dimensions": {d.key: d.score for d in profile.dimensions},
            "themes": {t.key: t.score for t in profile.themes},
        },
    }


@transaction.atomic
def assessment_share(
    *, assessment: Assessment, share: bool, actor: User | None = None
) -> Assessment:
    """The municipality's choice to show a round's results to advisers in its county."""
    if assessment.shared_with_advisers != share:
        audit(
            actor=actor,
            action=AuditEvent.Action.ROUND_SHARED if share else AuditEvent.Action.ROUND_UNSHARED,
            assessment=assessment,
        )
    assessment.shared_with_advisers = share
    assessment.shared_at = timezone.now() if share else None
    assessment.save(update_fields=["shared_with_advisers", "shared_at"])
    return assessment


def profile_hash(profile_dict: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(profile_dict, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class FrozenAdvice:
    """What the advice layer (reports.services.round_close) freezes with the scores."""

    library_version: str = ""
    recommendations: Mapping[str, Any] = field(default_factory=dict)


@transaction.atomic
def assessment_close(
    *,
    assessment: Assessment,
    actor: User | None = None,
    freeze_advice: Callable[[Assessment, Profile], FrozenAdvice] | None = None,
) -> ResultSnapshot:
    """Close an assessment and freeze its results, so reports reproduce years later. This is
    the one moment figures are computed (privacy rule 4 in assessment/privacy.py).

    `freeze_advice` lets the layer above (guidance, via reports.services.round_close) freeze
    its recommendations in the same transaction, without this layer knowing about advice."""
    given = assessment
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.CLOSED:
        return assessment.snapshot
    profile = selectors.final_profile(assessment)
    advice = freeze_advice(assessment, profile) if freeze_advice else FrozenAdvice()
    data = profile.to_dict()
    recommendations = dict(advice.recommendations)
    snapshot = ResultSnapshot.objects.create(
        assessment=assessment,
        bank_version=assessment.bank.version,
        profile=data,
        **headline_figures(profile),
        library_version=advice.library_version,
        recommendations=recommendations,
        content_hash=profile_hash({"profile": data, "recommendations": recommendations}),
    )
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])
    audit(actor=actor, action=AuditEvent.Action.ROUND_CLOSED, assessment=assessment)
    # The caller's object is closed too, so what it renders next is the frozen snapshot.
    given.status, given.closed_at, given.snapshot = (
        assessment.status,
        assessment.closed_at,
        snapshot,
    )
    return snapshot


@dataclass(frozen=True)
class RetentionResult:
    rounds: int
    respondents: int


@transaction.atomic
def rounds_retention(*, closed_before, delete: bool = False) -> RetentionResult:
    """Rounds closed before `closed_before`: anonymise (default) by deleting every
    individual answer, comment, respondent and invitation while keeping the frozen,
    aggregated snapshot, so reports and trends still work; or delete the rounds whole."""
    rounds = Assessment.objects.filter(status=Assessment.Status.CLOSED, closed_at__lt=closed_before)
    respondents = Respondent.objects.filter(assessment__in=rounds)
    result = RetentionResult(rounds=rounds.count(), respondents=respondents.count())
    if delete:
        for assessment in rounds:
            assessment.delete()
    else:
        respondents.delete()  # answers and comments go with them (CASCADE)
        Invitation.objects.filter(assessment__in=rounds).delete()
    return result


# --- invitations ----------------------------------------------------------------------------


class InvitationError(ServiceError):
    """Why a link cannot be used: 'unknown', 'revoked', 'expired', 'closed' or 'used'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits: not guessable, not enumerable
    return token, _token_hash(token)


@dataclass(frozen=True)
class IssuedLink:
    invitation: Invitation
    token: str


def _send_invitation(invitation: Invitation, link: str) -> None:
    assessment = invitation.assessment
    context = {"assessment": assessment, "link": link, "invitation": invitation}
    with translation.override(assessment.municipality.report_language):
        subject = render_to_string("assessment/email/invitation_subject.txt", context).strip()
        body = render_to_string("assessment/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


@transaction.atomic
def invitations_create(
    *,
    assessment: Assessment,
    role_group: str,
    emails: Sequence[str] = (),
    group_link: bool = False,
    note: str = "",
    link_for: Callable[[str], str],
) -> IssuedLink | None:
    """Send one personal invitation to each address (the link goes only into the e-mail) and,
    when `group_link`, make one shared link for the role group. Returns the group link, the
    only link a coordinator ever sees: it starts new, empty responses and opens nobody's."""
    if not assessment.is_open:
        raise ServiceError("The assessment is closed.")
    expires = timezone.now() + timedelta(days=settings.PLANPROFIL_INVITATION_DAYS)
    for email in emails:
        token, token_hash = _new_token()
        invitation = Invitation.objects.create(
            assessment=assessment,
            kind=Invitation.Kind.PERSONAL,
            role_group=role_group,
            token_hash=token_hash,
            email=email,
            note=note,
            expires_at=expires,
        )
        # After commit: a rolled-back invitation must not have been e-mailed.
        transaction.on_commit(
            cast(
                "Callable[[], None]",
                lambda invitation=invitation, token=token: _send_invitation(
                    invitation, link_for(token)
                ),
            )
        )
    if not group_link:
        return None
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        assessment=assessment,
        kind=Invitation.Kind.GROUP,
        role_group=role_group,
        token_hash=token_hash,
        note=note,
        expires_at=expires,
    )
    return IssuedLink(invitation, token)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, link_for: Callable[[str], str]) -> None:
    """E-mail a personal invitation again with a new token (the old link stops working).
    If it was used, the new link starts a fresh, empty response: the earlier one stays with
    whoever started it and is never reopened. Group links are not resent; make a new one."""
    if invitation.is_revoked:
        raise ServiceError("A revoked link cannot be resent; create a new one.")
    if invitation.is_group or not invitation.email:
        raise ServiceError("Only personal invitations sent by e-mail can be sent again.")
    token, token_hash = _new_token()
    invitation.token_hash = token_hash
    invitation.claimed_at = None
    invitation.expires_at = timezone.now() + timedelta(days=settings.PLANPROFIL_INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "claimed_at", "expires_at"])
    transaction.on_commit(lambda: _send_invitation(invitation, link_for(token)))


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    """The link stops starting responses. Responses already started are the respondents'
    own and go on (their resume keys still work)."""
    if not invitation.is_revoked:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_check(*, token: str) -> Invitation:
    """The usable invitation behind a link. Reads only: opening a link (an e-mail scanner,
    a preview) changes nothing; starting is a separate POST (invitation_claim)."""
    invitation = (
        Invitation.objects.select_related("assessment__municipality", "assessment__bank")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationError("unknown")
    if invitation.is_revoked:
        raise InvitationError("revoked")
    if invitation.is_expired(timezone.now()):
        raise InvitationError("expired")
    if not invitation.assessment.is_open:
        raise InvitationError("closed")
    if invitation.is_used:
        raise InvitationError("used")
    return invitation


@dataclass(frozen=True)
class StartedResponse:
    respondent: Respondent
    resume_key: str  # shown once, to the respondent only


def _resume_key() -> tuple[str, str]:
    return _new_token()


@transaction.atomic
def invitation_claim(*, token: str) -> StartedResponse:
    """Start a new, empty response from an invitation. A personal invitation starts one
    response only; a group link one per person. The resume key is returned once, for the
    respondent's eyes: nothing the coordinator has seen can open the response."""
    invitation = invitation_check(token=token)
    # Lock the row so two clicks on one personal link cannot start two responses.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise InvitationError("used")
    key, key_hash = _resume_key()
    respondent = Respondent.objects.create(
        assessment_id=invitation.assessment_id,
        role_group=invitation.role_group,
        invitation=invitation,
        resume_hash=key_hash,
    )
    if not invitation.is_group:
        invitation.claimed_at = timezone.now()
        invitation.save(update_fields=["claimed_at"])
    return StartedResponse(respondent, key)


@transaction.atomic
def respondent_rebind(*, respondent: Respondent) -> tuple[str, str | None]:
    """A new browser takes the response: a new browser token (every other browser loses it)
    and, unless the response is submitted, a new resume key shown only to this browser (the
    key that was used, which someone else may have seen, stops working). Returns
    (browser token, new resume key or None)."""
    token, token_hash = _new_token()
    respondent.browser_hash = token_hash
    fields = ["browser_hash", "updated_at"]
    key = None
    if respondent.submitted_at is None:
        key, respondent.resume_hash = _resume_key()
        fields.append("resume_hash")
    respondent.save(update_fields=fields)
    return token, key


def browser_token_matches(respondent: Respondent, token: str) -> bool:
    return bool(respondent.browser_hash) and secrets.compare_digest(
        respondent.browser_hash, _token_hash(token)
    )


def respondent_by_resume_key(*, key: str) -> Respondent:
    """The response a personal resume key opens ('unknown' or 'closed' otherwise)."""
    respondent = (
        Respondent.objects.select_related("assessment__municipality", "assessment__bank")
        .filter(resume_hash=_token_hash(key), user__isnull=True)
        .first()
    )
    if respondent is None:
        raise InvitationError("unknown")
    if not respondent.assessment.is_open:
        raise InvitationError("closed")
    return respondent


@transaction.atomic
def respondent_new_resume_key(*, respondent: Respondent) -> str:
    """A new resume key for the respondent; the old one stops working."""
    if respondent.submitted_at is not None:
        raise ServiceError("This response has been submitted.")
    key, key_hash = _resume_key()
    respondent.resume_hash = key_hash
    respondent.save(update_fields=["resume_hash", "updated_at"])
    return key


def send_resume_link(*, respondent: Respondent, email: str, link: str) -> None:
    context = {"assessment": respondent.assessment, "link": link}
    subject = render_to_string("assessment/email/resume_subject.txt", context).strip()
    body = render_to_string("assessment/email/resume.txt", context)
    send_mail(subject, body, None, [email])


# --- coordinators and access --------------------------------------------------------------


def audit(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    municipality: Municipality | None = None,
    assessment: Assessment | None = None,
    subject: str = "",
) -> AuditEvent:
    """Record who did what. Called inside the service that does it, so it cannot be skipped."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        municipality=municipality or (assessment.municipality if assessment else None),
        assessment=assessment,
        subject=subject[:254],
    )


class _WelcomeForm(accounts.PasswordResetForm):
    """Django's reset e-mail, for a new account that has no password yet."""


def _send_welcome(*, email: str, municipality: Municipality, request: HttpRequest | None) -> None:
    form = _WelcomeForm({"email": email})
    if form.is_valid():
        transaction.on_commit(
            lambda: form.save(
                request=request,
                use_https=bool(request and request.is_secure()),
                subject_template_name="registration/welcome_subject.txt",
                email_template_name="registration/welcome_email.txt",
                # Django puts any values into the template context; the stub says str only.
                extra_email_context={"municipality": municipality},  # type: ignore[dict-item]
            )
        )


@transaction.atomic
def coordinator_add(
    *,
    municipality: Municipality,
    email: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
) -> Coordinator:
    """Make the person with this e-mail a coordinator of the municipality. Someone without a
    password (a new account) gets an e-mail to choose one (Django's reset flow)."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip())
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        # The address becomes the user name: it must fit, and must not be another account's.
        username_field = user_model._meta.get_field("username")
        if len(email) > (username_field.max_length or 150) or (
            user_model.objects.filter(username__iexact=email).exists()
        ):
            raise AccountConflict(email)
        user = user_model(username=email, email=email)
        user.set_unusable_password()
        user.save()
    coordinator, created = Coordinator.objects.get_or_create(user=user, municipality=municipality)
    if created:
        audit(
            actor=actor or (request.user if request else None),
            action=AuditEvent.Action.COORDINATOR_ADDED,
            municipality=municipality,
            subject=email,
        )
    if created and not user.has_usable_password():
        _send_welcome(email=email, municipality=municipality, request=request)
    return coordinator


@transaction.atomic
def coordinator_remove(*, municipality: Municipality, coordinator_id: int, actor: User) -> None:
    """Remove a coordinator. A municipality always keeps at least one, so it is never left
    without someone who can let colleagues in."""
    rows = list(Coordinator.objects.select_for_update().filter(municipality=municipality))
    target = next((c for c in rows if c.pk == coordinator_id), None)
    if target is None:
        raise ServiceError("No such coordinator.")
    if len(rows) <= 1:
        raise ServiceError("A municipality must keep at least one coordinator.")
    email = target.user.email or target.user.get_username()
    target.delete()
    audit(
        actor=actor,
        action=AuditEvent.Action.COORDINATOR_REMOVED,
        municipality=municipality,
        subject=email,
    )


def _send_access_request_notice(access_request: AccessRequest, link: str) -> None:
    """Tell the municipality's coordinators, or staff when it has none. The requester never
    learns who they are."""
    municipality = access_request.municipality
    recipients = list(
        municipality.coordinators.exclude(user__email="").values_list("user__email", flat=True)
    )
    if not recipients:
        recipients = list(
            get_user_model()
            .objects.filter(is_staff=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if not recipients:
        return
    context = {"request": access_request, "link": link}
    with translation.override(municipality.report_language):
        subject = render_to_string("assessment/email/access_request_subject.txt", context).strip()
        body = render_to_string("assessment/email/access_request.txt", context)
    send_mail(subject, body, None, recipients)


@transaction.atomic
def access_request_create(
    *,
    municipality: Municipality,
    name: str,
    job_title: str,
    email: str,
    message: str = "",
    review_link: str,
) -> AccessRequest:
    """Ask for access. A second request for the same address and municipality while one is
    waiting updates that one instead of piling up."""
    email = get_user_model().objects.normalize_email(email.strip())
    access_request = AccessRequest.objects.filter(
        municipality=municipality, email__iexact=email, status=AccessRequest.Status.PENDING
    ).first()
    if access_request is None:
        access_request = AccessRequest(municipality=municipality, email=email)
    access_request.name = name.strip()
    access_request.job_title = job_title.strip()
    access_request.message = message.strip()
    access_request.save()
    audit(
        actor=None,
        action=AuditEvent.Action.ACCESS_REQUESTED,
        municipality=municipality,
        subject=email,
    )
    transaction.on_commit(lambda: _send_access_request_notice(access_request, review_link))
    return access_request


@transaction.atomic
def access_request_decide(
    *,
    access_request: AccessRequest,
    approve: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> AccessRequest:
    """Approve (the person becomes a coordinator and gets an e-mail to set a password) or
    reject (the person is told)."""
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != AccessRequest.Status.PENDING:
        raise ServiceError("This request has already been decided.")
    locked.status = AccessRequest.Status.APPROVED if approve else AccessRequest.Status.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    municipality = locked.municipality
    audit(
        actor=actor,
        action=AuditEvent.Action.ACCESS_APPROVED if approve else AuditEvent.Action.ACCESS_REJECTED,
        municipality=municipality,
        subject=locked.email,
    )
    if approve:
        coordinator_add(municipality=municipality, email=locked.email, request=request, actor=actor)
        user = Coordinator.objects.get(
            municipality=municipality, user__email__iexact=locked.email
        ).user
        if user.has_usable_password():
            transaction.on_commit(lambda: _send_access_decision(locked, approved=True))
    else:
        transaction.on_commit(lambda: _send_access_decision(locked, approved=False))
    return locked


def _send_access_decision(access_request: AccessRequest, *, approved: bool) -> None:
    context = {"request": access_request, "approved": approved}
    with translation.override(access_request.municipality.report_language):
        subject = render_to_string("assessment/email/access_decision_subject.txt", context).strip()
        body = render_to_string("assessment/email/access_decision.txt", context)
    send_mail(subject, body, None, [access_request.email])


@transaction.atomic
def plan_register_save(
    *, assessment: Assessment, actor: User, values: Mapping[str, Any]
) -> PlanRegister:
    """Record the round's plan register. Only while the round is open: closing freezes the
    register's facts into the result snapshot with the scores they gave."""
    _lock_open_round(assessment.pk)
    row, _created = PlanRegister.objects.get_or_create(assessment=assessment)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = actor
    row.full_clean()
    row.save()
    audit(actor=actor, action="plan_register.save", assessment=assessment)
    return row
