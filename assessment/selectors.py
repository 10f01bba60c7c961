"""Reads. Built so the number of queries does not grow with the number of rows."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from assessment.bank import Bank
from assessment.models import (
    Answer,
    Assessment,
    Invitation,
    Municipality,
    Respondent,
    ThemeComment,
)
from assessment.permissions import coordinated_municipalities
from assessment.scoring import Answer as ScoringAnswer
from assessment.scoring import Profile, Response, RoleGroup, profile_from_dict, score


def bank_of(assessment: Assessment) -> Bank:
    return assessment.bank.parsed


def municipality_search(query: str, *, limit: int = 20) -> QuerySet[Municipality]:
    query = query.strip()
    if not query:
        return Municipality.objects.none()
    if query.isdigit():
        return Municipality.objects.filter(number__startswith=query).order_by("number")[:limit]
    return Municipality.objects.filter(
        Q(name__icontains=query) | Q(sami_name__icontains=query)
    ).order_by("name")[:limit]


def assessments_for_user(user: AbstractBaseUser) -> QuerySet[Assessment]:
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


def assessment_profile(assessment: Assessment) -> Profile:
    """A closed assessment answers from its frozen snapshot; an open one is scored live."""
    if assessment.status == Assessment.Status.CLOSED and hasattr(assessment, "snapshot"):
        return profile_from_dict(assessment.snapshot.profile)
    return score(bank_of(assessment).spec, submitted_responses(assessment))


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
    by_role = {row["role_group"]: row for row in rows}
    labels = dict(Respondent._meta.get_field("role_group").choices)
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


def theme_comments(assessment: Assessment, *, min_respondents: int) -> dict[str, list[str]]:
    """Submitted respondents' comments per theme key, without names and in alphabetical
    order (not answer order, which could identify people). Empty below `min_respondents`."""
    submitted = assessment.respondents.filter(submitted_at__isnull=False)
    if submitted.count() < min_respondents:
        return {}
    comments: dict[str, list[str]] = defaultdict(list)
    rows = ThemeComment.objects.filter(respondent__in=submitted).values_list("theme__key", "text")
    for key, text in rows:
        comments[key].append(text)
    return {key: sorted(texts) for key, texts in comments.items()}
