"""Helpers that drive the wizard through Django's test client the way a browser would."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessment.bank import Bank
from assessment.scoring import Kind, RoleGroup


def step_url(assessment, step: str) -> str:
    return reverse("assessment:wizard_step", kwargs={"pk": assessment.pk, "step": step})


def answer_for(question, level: int = 4) -> str:
    """A valid answer at roughly `level` (1-5) for any question kind."""
    if question.kind is Kind.SCALE:
        return str(level)
    if question.kind is Kind.YESNO:
        return "yes" if level >= 4 else "partly" if level == 3 else "no"
    if question.kind is Kind.CHOICE:
        return question.choices[0].value
    if question.kind is Kind.NUMBER:
        return "2"
    return "text"


def step_data(bank: Bank, step: str, role: RoleGroup, level: int = 4, **overrides) -> dict:
    prefix = "assessment_wizard"
    data = {f"{prefix}_current_step": step}
    theme = bank.theme(step)
    for q in theme.questions:
        if not q.spec.asked_of(role):
            continue
        data[f"{step}-{q.key}"] = answer_for(q, level)
    for key, value in overrides.items():
        if value is None:
            data.pop(f"{step}-{key}", None)
        else:
            data[f"{step}-{key}"] = value
    return data


def management(assessment, data: dict) -> dict:
    """The wizard's management form field is named after the per-assessment prefix."""
    fixed = {}
    for key, value in data.items():
        if key == "assessment_wizard_current_step":
            fixed[f"assessment_wizard_{assessment.pk}-current_step"] = value
        else:
            fixed[key] = value
    return fixed


def post_step(client: Client, assessment, bank: Bank, step: str, role: RoleGroup, **kw):
    level = kw.pop("level", 4)
    extra = kw.pop("extra", {})
    data = management(assessment, step_data(bank, step, role, level, **kw)) | extra
    return client.post(step_url(assessment, step), data)


def complete_all_steps(client: Client, assessment, bank: Bank, role: RoleGroup, level: int = 4):
    client.post(
        reverse("assessment:intro", kwargs={"pk": assessment.pk}), {"role_group": role.value}
    )
    for theme in bank.themes:
        if not any(q.spec.asked_of(role) for q in theme.questions):
            continue
        response = post_step(client, assessment, bank, theme.key, role, level=level)
        assert response.status_code == 302, response.content.decode()[:2000]
    return client.post(
        step_url(assessment, "kontroll"),
        management(assessment, {"assessment_wizard_current_step": "kontroll"}),
    )
