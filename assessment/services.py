"""Writes. Each function is one business action, atomic, with keyword-only arguments."""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessment import bank as bank_module
from assessment import selectors
from assessment.models import (
    Answer,
    Assessment,
    Coordinator,
    Dimension,
    Invitation,
    Municipality,
    Question,
    QuestionBank,
    Respondent,
    ResultSnapshot,
    Theme,
    ThemeComment,
)
from assessment.scoring import Profile
from guidance.models import Source


class ServiceError(Exception):
    """A request the domain refuses; the message is safe to show to the user."""


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
def sources_load(*, document: Mapping[str, Any]) -> int:
    entries = document.get("sources") or []
    for entry in entries:
        Source.objects.update_or_create(
            key=entry["key"],
            defaults={
                "citation": " ".join(str(entry["citation"]).split()),
                "year": int(entry["year"]),
                "url": entry.get("url", ""),
            },
        )
    return len(entries)


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
    user: AbstractBaseUser,
    municipality: Municipality,
    period: str,
    round: str,
    label: str = "",
) -> Assessment:
    """Start an assessment with the newest published bank. The first person to start one for
    a municipality becomes its coordinator; later coordinators are added by an existing one."""
    bank = (
        QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    if bank is None:
        raise ServiceError("No published question bank is installed.")
    Coordinator.objects.get_or_create(user=user, municipality=municipality)
    return Assessment.objects.create(
        municipality=municipality,
        bank=bank,
        period=period,
        round=round,
        label=label,
        created_by=user,
    )


@transaction.atomic
def respondent_join(
    *, assessment: Assessment, user: AbstractBaseUser, role_group: str
) -> Respondent:
    respondent, created = Respondent.objects.get_or_create(
        assessment=assessment, user=user, defaults={"role_group": role_group}
    )
    if not created and respondent.role_group != role_group and not respondent.saved_steps:
        respondent.role_group = role_group
        respondent.save(update_fields=["role_group", "updated_at"])
    return respondent


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
    if respondent.assessment.status != Assessment.Status.OPEN:
        raise ServiceError("This assessment is closed; answers can no longer change.")
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
    for key, answer in answers.items():
        if answer is None:
            continue
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
    respondent.last_step = theme_key
    if complete and theme_key not in respondent.saved_steps:
        respondent.saved_steps = [*respondent.saved_steps, theme_key]
    respondent.save(update_fields=["last_step", "saved_steps", "updated_at"])


@transaction.atomic
def respondent_submit(*, respondent: Respondent) -> Respondent:
    if respondent.assessment.status != Assessment.Status.OPEN:
        raise ServiceError("This assessment is closed; answers can no longer change.")
    respondent.submitted_at = timezone.now()
    respondent.save(update_fields=["submitted_at", "updated_at"])
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
def assessment_share(*, assessment: Assessment, share: bool) -> Assessment:
    """The municipality's choice to show a round's results to advisers in its county."""
    assessment.shared_with_advisers = share
    assessment.shared_at = timezone.now() if share else None
    assessment.save(update_fields=["shared_with_advisers", "shared_at"])
    return assessment


def _profile_hash(profile_dict: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(profile_dict, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def assessment_close(*, assessment: Assessment) -> ResultSnapshot:
    """Close an assessment and freeze its results, so reports reproduce years later."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.CLOSED:
        return assessment.snapshot
    # Imported here: guidance builds on assessment, not the other way round, except for this
    # one moment where the recommendations are frozen together with the scores.
    from guidance import selectors as guidance_selectors
    from guidance.matching import result_to_dict

    profile = selectors.assessment_profile(assessment)
    record = guidance_selectors.active_library_record()
    matches = guidance_selectors.matches_for(assessment, profile, record.parsed if record else None)
    data = profile.to_dict()
    recommendations = result_to_dict(matches)
    snapshot = ResultSnapshot.objects.create(
        assessment=assessment,
        bank_version=assessment.bank.version,
        profile=data,
        **headline_figures(profile),
        library_version=record.version if record else "",
        recommendations=recommendations,
        content_hash=_profile_hash({"profile": data, "recommendations": recommendations}),
    )
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])
    return snapshot


# --- invitations ----------------------------------------------------------------------------


class InvitationError(ServiceError):
    """Why an invitation link cannot be used: 'unknown', 'revoked', 'expired' or 'closed'."""

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
    count: int = 0,
    emails: Sequence[str] = (),
    link_for: Callable[[str], str],
) -> list[IssuedLink]:
    """Create `count` anonymous links plus one per e-mail address (which gets it by e-mail).
    `link_for(token)` makes the absolute URL. Returns the links: they are never shown again."""
    if not assessment.is_open:
        raise ServiceError("The assessment is closed.")
    expires = timezone.now() + timedelta(days=settings.PLANPROFIL_INVITATION_DAYS)
    issued = []
    for email in [*[""] * count, *emails]:
        token, token_hash = _new_token()
        invitation = Invitation.objects.create(
            assessment=assessment,
            role_group=role_group,
            token_hash=token_hash,
            email=email,
            expires_at=expires,
        )
        issued.append(IssuedLink(invitation, token))
    for link in issued:
        if link.invitation.email:
            # After commit: a rolled-back invitation must not have been e-mailed.
            transaction.on_commit(
                lambda link=link: _send_invitation(link.invitation, link_for(link.token))
            )
    return issued


@transaction.atomic
def invitation_resend(*, invitation: Invitation, link_for: Callable[[str], str]) -> IssuedLink:
    """Issue a new token (the old link stops working), extend the expiry, e-mail it if we
    have an address. A revoked link stays revoked."""
    if invitation.is_revoked:
        raise ServiceError("A revoked link cannot be resent; create a new one.")
    token, token_hash = _new_token()
    invitation.token_hash = token_hash
    invitation.expires_at = timezone.now() + timedelta(days=settings.PLANPROFIL_INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    if invitation.email:
        transaction.on_commit(lambda: _send_invitation(invitation, link_for(token)))
    return IssuedLink(invitation, token)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    if not invitation.is_revoked:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def invitation_open(*, token: str) -> Invitation:
    """The invitation behind a link, with its respondent (created on first use)."""
    invitation = (
        Invitation.objects.select_related(
            "assessment__municipality", "assessment__bank", "respondent"
        )
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
    if invitation.respondent is None:
        invitation.respondent = Respondent.objects.create(
            assessment=invitation.assessment, role_group=invitation.role_group
        )
        invitation.save(update_fields=["respondent"])
    return invitation


# --- coordinators ---------------------------------------------------------------------------


class _WelcomeForm(PasswordResetForm):
    """Django's reset e-mail, for a new account that has no password yet (the stock form
    skips accounts without a usable password)."""

    def get_users(self, email: str):
        model = get_user_model()
        return model._default_manager.filter(email__iexact=email, is_active=True)


@transaction.atomic
def coordinator_add(
    *, municipality: Municipality, email: str, request: HttpRequest | None = None
) -> Coordinator:
    """Make the person with this e-mail a coordinator of the municipality. Someone without an
    account gets one with no password and an e-mail to choose one (Django's reset flow)."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip())
    user = user_model.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = user_model(username=email, email=email)
        user.set_unusable_password()
        user.save()
    coordinator, _ = Coordinator.objects.get_or_create(user=user, municipality=municipality)
    if created:
        form = _WelcomeForm({"email": email})
        if form.is_valid():
            transaction.on_commit(
                lambda: form.save(
                    request=request,
                    use_https=bool(request and request.is_secure()),
                    subject_template_name="registration/welcome_subject.txt",
                    email_template_name="registration/welcome_email.txt",
                    extra_email_context={"municipality": municipality},
                )
            )
    return coordinator
