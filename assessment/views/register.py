"""The coordinator's plan register (bank v2 on): facts about the municipality's plans, recorded
once per round, and what each means on the round's date. assessment/register.py decides the
statuses; assessment/register_texts.py says them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment import register, register_texts, selectors, services
from assessment.forms import PlanRegisterForm
from assessment.models import Assessment, PlanRegister
from assessment.permissions import can_coordinate, get_assessment

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def plan_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    context: dict[str, Any] = {"assessment": assessment}
    if selectors.bank_of(assessment).method < 2:
        # Bank v1 asks respondents about these facts; its rounds have no register.
        if request.method == "POST":
            messages.error(request, _("This round's question bank has no plan register."))
            return redirect("assessment:plan_register", pk=pk)
        return render(request, "assessment/plan_register.html", context | {"no_register": True})
    row: PlanRegister | None = getattr(assessment, "plan_register", None)
    if not assessment.is_open:
        if request.method == "POST":
            messages.error(
                request,
                _(
                    "The round is closed, so the plan register can no longer change. Nothing "
                    "was saved."
                ),
            )
            return redirect("assessment:plan_register", pk=pk)
        return render(request, "assessment/plan_register.html", context | _meaning(assessment, row))
    term = selectors.register_term(assessment)
    assumed = register.default_constituted(term.first_year) if term else None
    form = PlanRegisterForm(
        request.POST if request.method == "POST" else None,
        initial=PlanRegisterForm.initial_from(row),
        assumed_constituted=assumed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_register_save(
                assessment=assessment, actor=request.user, values=form.values()
            )
        except services.ServiceError:
            messages.error(
                request,
                _("The round was closed in the meantime, so the plan register was not saved."),
            )
            return redirect("assessment:plan_register", pk=pk)
        messages.success(
            request,
            _(
                "The plan register has been saved. “What the register means” shows what it means "
                "today."
            ),
        )
        return redirect("assessment:plan_register", pk=pk)
    return render(
        request,
        "assessment/plan_register.html",
        context | {"form": form} | _meaning(assessment, row),
    )


def _meaning(assessment: Assessment, row: PlanRegister | None) -> dict[str, Any]:
    """Each fact's status in words, on today's date (open) or the closing day (closed, from the
    snapshot frozen then), and the day the deadlines count from."""
    day: date = timezone.localdate()
    facts: dict[str, register.FactResult] = {}
    if not assessment.is_open:
        if assessment.closed_at is not None:
            day = timezone.localdate(assessment.closed_at)
        frozen = selectors.assessment_profile(assessment).register
        facts = {key: register.fact_from_dict(value) for key, value in frozen.items()}
    if not facts:
        facts = selectors.register_facts(assessment, day)
    plan_count = row.plan_count if row else None
    term = selectors.register_term(assessment)
    return {
        "facts": [
            {
                "key": key,
                "label": register_texts.FACT_LABELS[key],
                "text": register_texts.status_text(facts[key], plan_count=plan_count),
                "rule": register_texts.RULE_TEXTS[key],
            }
            for key in register.FACTS
            if key in facts
        ],
        "facts_day": day,
        "term": term,
        "constituted_recorded": row is not None and row.council_constituted is not None,
    }
