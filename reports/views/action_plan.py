"""The coordinator edits the action plan before exporting the report."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.permissions import can_coordinate, get_assessment
from guidance import services
from guidance.models import ActionPlanItem
from reports.report import build_report


class ActionForm(forms.Form):
    what = forms.CharField(
        label=gettext_lazy("What"),
        max_length=300,
        required=False,
        # Grows with its text (CSS field-sizing, static/js/action_plan.js elsewhere): a line
        # is never cut off in a box too small for it.
        widget=forms.Textarea(attrs={"rows": 3, "data-autogrow": ""}),
    )
    who = forms.CharField(label=gettext_lazy("Who"), max_length=120, required=False)
    due = forms.CharField(label=gettext_lazy("By when"), max_length=60, required=False)
    # Hidden: which recommendation a line came from. Only a forged or damaged form sends
    # anything else than a library key, which is refused here, not by the database.
    recommendation_key = forms.CharField(
        label=gettext_lazy("Recommendation"),
        widget=forms.HiddenInput,
        required=False,
        max_length=ActionPlanItem._meta.get_field("recommendation_key").max_length,
        validators=[RegexValidator(r"\A[a-z0-9_-]*\Z")],
        error_messages={
            code: gettext_lazy(
                "The link to a recommendation on this line is damaged. Reload the page and "
                "save again."
            )
            for code in ("invalid", "max_length", "null_characters_not_allowed")
        },
    )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # nosec B101 # type narrowing; BaseForm.clean returns cleaned_data
        if cleaned.get("who") and not cleaned.get("what"):
            self.add_error("what", _("Describe what is to be done, or clear the line."))
        return cleaned


MAX_LINES = 60
# One empty line to start a new one; "Add a line" gives more, with or without JavaScript.
ActionFormSet = forms.formset_factory(
    ActionForm, extra=1, can_delete=True, max_num=MAX_LINES, validate_max=True
)


def _posted_lines(data) -> list[dict[str, object]]:
    """The lines as posted, unvalidated, to show again: what was typed stays as it was."""
    posted = ActionFormSet(data, prefix="plan")
    fields = ("what", "who", "due", "recommendation_key", "DELETE")
    return [{name: form[name].value() for name in fields} for form in posted.forms]


@login_required
def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    report = build_report(assessment)
    initial = [
        {"what": a.what, "who": a.who, "due": a.due, "recommendation_key": a.recommendation_key}
        for a in report.action_plan
    ]
    if request.method == "POST" and "add_line" in request.POST:
        # Without JavaScript "Add a line" posts the form: show it again with one more line,
        # nothing saved and nothing lost.
        formset = ActionFormSet(initial=_posted_lines(request.POST), prefix="plan")
        context = {"assessment": assessment, "formset": formset, "report": report, "added": True}
        return render(request, "reports/action_plan.html", context)
    formset = ActionFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="plan"
    )
    if request.method == "POST" and formset.is_valid():
        items = [
            services.ActionInput(
                **{k: f.cleaned_data[k] for k in ("what", "who", "due", "recommendation_key")}
            )
            for f in formset
            if f.cleaned_data.get("what") and not f.cleaned_data.get("DELETE")
        ]
        services.action_plan_save(assessment=assessment, items=items)
        messages.success(request, _("The action plan has been saved."))
        return redirect("reports:results", pk=pk)
    context = {"assessment": assessment, "formset": formset, "report": report}
    return render(request, "reports/action_plan.html", context)
