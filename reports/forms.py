"""Forms of the reports app: the coordinator's edits of the council paper."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.council_paper import CouncilPaper, paragraphs
from reports.texts import paper_date

# Long enough for a real edit, short enough that the paper can stay within two pages.
MAX_ASSESSMENT = 3000
MAX_POINT = 600
MAX_POINTS = 8


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CouncilPaperForm(forms.Form):
    meeting_date = forms.DateField(
        label=gettext_lazy("Meeting date"),
        required=False,
        widget=_DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=gettext_lazy("The council meeting that treats the case, if it is known."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Report back by"),
        widget=_DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=gettext_lazy(
            "The date in the resolution by which the council gets a report on the follow-up."
        ),
    )
    responsible = forms.CharField(
        label=gettext_lazy("Responsible"),
        max_length=120,
        help_text=gettext_lazy(
            "Who the council asks to follow up, as written inside the sentence, for example "
            "“the chief executive”."
        ),
    )
    assessment_text = forms.CharField(
        label=gettext_lazy("Assessment"),
        max_length=MAX_ASSESSMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("Separate paragraphs with a blank line. Empty: the report's text."),
    )

    def __init__(self, *args: Any, paper: CouncilPaper, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paper = paper

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        deadline, meeting = cleaned.get("deadline"), cleaned.get("meeting_date")
        if deadline and meeting and deadline <= meeting:
            self.add_error(
                "deadline", _("The report back should come after the meeting that decides it.")
            )
        return cleaned

    def text_if_edited(self) -> str:
        """The assessment as posted, or "" when it says what the report says."""
        text = self.cleaned_data.get("assessment_text", "").strip()
        if paragraphs(text) == paragraphs(self.paper.default_assessment):
            return ""
        return text


class PointForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Point"),
        max_length=MAX_POINT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BasePointFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, paper: CouncilPaper, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paper = paper

    def points(self) -> tuple[str, ...]:
        return tuple(
            " ".join(f.cleaned_data["text"].split())
            for f in self.forms
            if f.cleaned_data.get("text", "").strip()
        )

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.points():
            raise forms.ValidationError(_("The proposed resolution needs at least one point."))


PointFormSet: type[BasePointFormSet] = forms.formset_factory(  # type: ignore[assignment]
    PointForm, formset=BasePointFormSet, extra=1, max_num=MAX_POINTS, validate_max=True
)


def stale_wording(
    paper: CouncilPaper, points: tuple[str, ...], deadline: Any, responsible: str
) -> list[tuple[str, str]]:
    """(field, message) for a changed date or responsible that reworded points still name
    the old way: the paper must not say two different things."""
    errors = []
    old_date = paper_date(paper.deadline) if paper.deadline else ""
    if deadline and deadline != paper.deadline and any(old_date in p for p in points):
        errors.append(
            (
                "deadline",
                _(
                    "A point you have reworded still says %(date)s. Change the date there too, "
                    "or reset the paper."
                )
                % {"date": old_date},
            )
        )
    if (
        responsible
        and responsible != paper.responsible
        and any(paper.responsible in p for p in points)
    ):
        errors.append(
            (
                "responsible",
                _(
                    "A point you have reworded still names %(who)s. Change it there too, or "
                    "reset the paper."
                )
                % {"who": paper.responsible},
            )
        )
    return errors
