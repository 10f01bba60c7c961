"""Closing a round: the moment its figures are computed and frozen with the advice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment import selectors
from assessment.permissions import can_coordinate, get_assessment
from reports import services

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Closing is irreversible and is when figures are computed: ask first, saying who has
    not finished and which groups are too small to be counted."""
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    if not assessment.is_open:
        return redirect("reports:results", pk=pk)
    if not assessment.respondents.filter(submitted_at__isnull=False).exists():
        messages.error(request, _("At least one person must submit answers before closing."))
        return redirect("assessment:detail", pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.round_close(assessment=assessment, actor=request.user)
        messages.success(request, _("The assessment is closed and its results are frozen."))
        return redirect("reports:results", pk=pk)
    progress = selectors.progress_by_role(assessment)
    min_n = selectors.bank_of(assessment).spec.min_group_size
    context = {
        "assessment": assessment,
        "progress": progress,
        "in_progress": assessment.respondents.filter(submitted_at__isnull=True).count(),
        "too_small": [row for row in progress if 0 < row["finished"] < min_n],
    }
    return render(request, "reports/close_confirm.html", context)
