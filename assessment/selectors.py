"""Reads. Built so the number of queries does not grow with the number of rows."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assessment import privacy, register
from assessment.bank import Bank
from assessment.models import (
    Answer,
    Assessment,
    AuditEvent,
    Invitation,
    Municipality,
    PlanRegister,
    Respondent,
    ThemeComment,
)
from assessment.permissions import coordinated_municipalities
from assessment.register import FactResult
from assessment.scoring import Answer as ScoringAnswer
from assessment.scoring import Profile, Response, RoleGroup, profile_from_dict, score


def bank_of(assessment: Assessment) -> Bank:
    return assessment.bank.parsed


_FOLD = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "å": "a",
        "á": "a",
        "č": "c",
        "đ": "d",
        "ŋ": "n",
        "š": "s",
        "ŧ": "t",
        "ž": "z",
        "ä": "a",
        "ö": "o",
        "ï": "i",
    }
)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: "TRÆNA", "træna" and "trae" all match
    Træna; "rost" matches Røst. (SQLite's LIKE folds only ASCII letters, so this is done in
    Python over the 357 names rather than in the database.)"""
    return text.casefold().translate(_FOLD)


def municipality_search(query: str, *, limit: int = 20) -> list[Municipality]:
    query = query.strip()
    if not query:
        return []
    if query.isascii() and query.isdigit():
        return list(
            Municipality.objects.filter(number__startswith=query).order_by("number")[:limit]
        )
    needle = fold(query)
    matches = [
        m
        for m in Municipality.objects.order_by("name")
        if needle in fold(m.name) or (m.sami_name and needle in fold(m.sami_name))
    ]
    # Names that start with the query first ("Vega" before "Bykle... vega"), then the rest.
    matches.sort(key=lambda m: not fold(m.name).startswith(needle))
    return matches[:limit]


def assessments_for_user(user: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(municipality__in=coordinated_municipalities(user))
        .select_related("municipality", "bank")
        .annotate(
            respondent_count=Count("respondents", distinct=True),
            submitted_count=Count(
                "respondents", filter=Q(respondents__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("-created_at")
    )


def own_unfinished_responses(user: User) -> list[Respondent]:
    """A coordinator's own answers still to finish, in rounds still open: for "Continue your
    answers" on the home page."""
    return list(
        Respondent.objects.filter(
            user=user,
            submitted_at__isnull=True,
            assessment__status=Assessment.Status.OPEN,
            assessment__municipality__in=coordinated_municipalities(user),
        )
        .select_related("assessment__municipality", "assessment__bank")
        .order_by("-updated_at")
    )


def open_round_like(
    *, municipality: Municipality, period: str, round: str, label: str
) -> Assessment | None:
    """An open round of the municipality with the same term, round and label (labels
    compared without case or surrounding spaces): starting another would make two rounds
    nobody can tell apart."""
    wanted = label.strip().casefold()
    return next(
        (
            a
            for a in Assessment.objects.filter(
                municipality=municipality,
                period=period,
                round=round,
                status=Assessment.Status.OPEN,
            ).order_by("-created_at")
            if a.label.strip().casefold() == wanted
        ),
        None,
    )


def respondent_answers(respondent: Respondent) -> dict[str, Answer]:
    return {
        a.question.key: a
        for a in Answer.objects.filter(respondent=respondent).select_related("question")
    }


def respondent_comments(respondent: Respondent) -> dict[str, str]:
    return dict(
        ThemeComment.objects.filter(respondent=respondent).values_list("theme__key", "text")
    )


def submitted_responses(assessment: Assessment) -> list[Response]:
    """Every submitted respondent's answers, in one query. Unfinished responses are left
    out so a half-answered wizard does not pull the profile around."""
    rows = Answer.objects.filter(
        respondent__assessment=assessment, respondent__submitted_at__isnull=False
    ).values_list("respondent_id", "respondent__role_group", "question__key", "value", "dont_know")
    answers: dict[int, dict[str, ScoringAnswer]] = defaultdict(dict)
    roles: dict[int, str] = {}
    for respondent_id, role, key, value, dont_know in rows:
        roles[respondent_id] = role
        answers[respondent_id][key] = ScoringAnswer(value=value or None, dont_know=dont_know)
    return [Response(role=RoleGroup(roles[rid]), answers=answers[rid]) for rid in sorted(answers)]


def plan_register(assessment: Assessment) -> register.Register:
    """What the coordinator has recorded in the round's plan register (empty if nothing)."""
    row = PlanRegister.objects.filter(assessment=assessment).first()
    if row is None:
        return register.Register()
    return register.Register(
        **{f.name: getattr(row, f.name) for f in dataclasses.fields(register.Register)}
    )


def register_term(assessment: Assessment) -> register.Term | None:
    constituted = (
        PlanRegister.objects.filter(assessment=assessment)
        .values_list("council_constituted", flat=True)
        .first()
    )
    return register.term_of(assessment.period, constituted)


def register_facts(assessment: Assessment, today: date | None = None) -> dict[str, FactResult]:
    """The register's facts as they stand on `today` (the closing day, or now), or nothing for
    a bank that has no register (method 1) or a round whose term cannot be read."""
    if bank_of(assessment).method < 2:
        return {}
    term = register_term(assessment)
    if term is None:
        return {}
    return register.evaluate(plan_register(assessment), term, today or timezone.localdate())


def final_profile(assessment: Assessment) -> Profile:
    """The profile of every submitted response and the plan register: computed once, when a
    round closes."""
    return score(
        bank_of(assessment).spec, submitted_responses(assessment), register_facts(assessment)
    )


def assessment_profile(assessment: Assessment) -> Profile:
    """What every output shows: a closed round's frozen snapshot; for an open round a profile
    with no figures at all (privacy rule 4 in assessment/privacy.py), only who has answered."""
    if not privacy.figures_published(is_open=assessment.is_open):
        empty = score(bank_of(assessment).spec, [])
        return replace(empty, respondents_by_role=submitted_counts(assessment))
    if hasattr(assessment, "snapshot"):
        return profile_from_dict(assessment.snapshot.profile)
    # Closed without a frozen snapshot (never by the app): show nothing rather than live
    # figures that could change and be compared.
    return score(bank_of(assessment).spec, [])


def submitted_counts(assessment: Assessment) -> dict[str, int]:
    """How many have submitted, per role group: counts of who answered, never what."""
    rows = dict(
        Respondent.objects.filter(assessment=assessment, submitted_at__isnull=False)
        .values("role_group")
        .annotate(n=Count("pk"))
        .values_list("role_group", "n")
    )
    return {role.value: rows.get(role.value, 0) for role in RoleGroup}


def progress_by_role(assessment: Assessment) -> list[dict]:
    """Started and finished per role group: counts only, never who."""
    rows = (
        Respondent.objects.filter(assessment=assessment)
        .values("role_group")
        .annotate(
            total=Count("pk"),
            started=Count("pk", filter=~Q(last_step="")),
            finished=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
    )
    invited = dict(
        Invitation.objects.filter(assessment=assessment, revoked_at__isnull=True)
        .values("role_group")
        .annotate(n=Count("pk"))
        .values_list("role_group", "n")
    )
    by_role: dict[str, Mapping[str, Any]] = {row["role_group"]: row for row in rows}
    labels = dict(cast("list[tuple[str, Any]]", Respondent._meta.get_field("role_group").choices))
    return [
        {
            "role": role,
            "label": labels[role],
            "invited": invited.get(role, 0),
            "started": by_role.get(role, {}).get("started", 0),
            "finished": by_role.get(role, {}).get("finished", 0),
        }
        for role in labels
    ]


def invitations_of(assessment: Assessment) -> QuerySet[Invitation]:
    return Invitation.objects.filter(assessment=assessment).order_by("-created_at", "-pk")


def theme_comments(assessment: Assessment) -> dict[str, list[str]]:
    """Submitted respondents' comments per theme key, without names or role groups and in
    alphabetical order (not answer order, which could identify people). Like every figure,
    only for a closed round and only from role groups that may be shown (assessment/privacy.py):
    a comment appearing while a round is open would say who just submitted."""
    snapshot = getattr(assessment, "snapshot", None)
    if not privacy.figures_published(is_open=assessment.is_open) or snapshot is None:
        return {}
    # Frozen with the figures: the groups the snapshot counted, the people it counted.
    profile = profile_from_dict(snapshot.profile)
    shown = {role for role, n in profile.respondents_by_role.items() if n} - set(profile.held_back)
    rows = ThemeComment.objects.filter(
        respondent__assessment=assessment,
        respondent__submitted_at__isnull=False,
        respondent__submitted_at__lte=assessment.closed_at,
        respondent__role_group__in=shown,
    ).values_list("theme__key", "text")
    comments: dict[str, list[str]] = defaultdict(list)
    for key, text in rows:
        comments[key].append(text)
    return {key: sorted(texts) for key, texts in comments.items()}


def coordinator_audit(municipalities: list[Municipality], *, limit: int = 50) -> list[AuditEvent]:
    """Recent changes to who may see these municipalities' data."""
    return list(
        AuditEvent.objects.filter(municipality__in=municipalities)
        .select_related("actor", "municipality", "assessment")
        .order_by("-at", "-pk")[:limit]
    )
