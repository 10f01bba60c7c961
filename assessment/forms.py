"""Forms. Wizard step forms are generated from the question bank, one per theme."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessment import bank as bank_module
from assessment.i18n import tr
from assessment.models import Assessment, Respondent
from assessment.scoring import Kind, RoleGroup
from assessment.services import AnswerInput

DONT_KNOW = "dk"
COMMENT_FIELD = "comment"

YESNO_LABELS = {"yes": _("Yes"), "partly": _("Partly"), "no": _("No")}


class ThemeForm(forms.Form):
    """Base for generated step forms. Subclasses set `theme` and `questions`."""

    theme: ClassVar[bank_module.Theme]
    questions: ClassVar[tuple[bank_module.Question, ...]]
    # Questions whose condition refers to another question on this same step: shown and
    # hidden in the browser, enforced here.
    same_step_conditions: ClassVar[dict[str, bank_module.Question]] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for key, question in self.same_step_conditions.items():
            assert question.condition is not None
            parent_value = cleaned.get(question.condition.question)
            if parent_value in question.condition.values:
                if cleaned.get(key) in (None, "") and question.kind is not Kind.NUMBER:
                    self.add_error(key, _("Choose an answer, or “Don't know”."))
            else:
                cleaned[key] = None  # the follow-up does not apply; forget any stray value
                self.errors.pop(key, None)
        return cleaned

    def answer_inputs(self, data: Mapping[str, Any] | None = None) -> dict[str, AnswerInput | None]:
        """Turn cleaned values into what services.answers_save takes."""
        data = self.cleaned_data if data is None else data
        result: dict[str, AnswerInput | None] = {}
        for q in self.questions:
            if q.key not in data:
                continue
            value = data[q.key]
            if value in (None, ""):
                result[q.key] = None
            elif value == DONT_KNOW:
                result[q.key] = AnswerInput(dont_know=True)
            else:
                result[q.key] = AnswerInput(value=_stored(value))
        return result

    def valid_part(self) -> dict[str, AnswerInput | None]:
        """The answers that passed validation on a step that as a whole did not."""
        good = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return {k: v for k, v in self.answer_inputs(good).items() if v is not None}


def _stored(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _with_dont_know(question: bank_module.Question, choices: list[tuple[str, str]]):
    if question.dont_know:
        choices.append((DONT_KNOW, str(_("Don't know"))))
    return choices


def _field(question: bank_module.Question, *, conditional: bool) -> forms.Field:
    label = tr(question.text)
    help_text = tr(question.help)
    required_message = _("Choose an answer, or “Don't know”.")
    if not question.dont_know:
        required_message = _("Choose an answer.")
    if question.kind is Kind.SCALE:
        choices = [
            (str(i + 1), f"{i + 1} – {tr(level)}") for i, level in enumerate(question.levels)
        ]
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            choices=_with_dont_know(question, choices),
            widget=forms.RadioSelect,
            required=not conditional,
            error_messages={"required": required_message},
        )
    if question.kind is Kind.YESNO:
        choices = [(value, str(text)) for value, text in YESNO_LABELS.items()]
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            choices=_with_dont_know(question, choices),
            widget=forms.RadioSelect,
            required=not conditional,
            error_messages={"required": required_message},
        )
    if question.kind is Kind.CHOICE:
        choices = [(c.value, tr(c.label)) for c in question.choices]
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            choices=_with_dont_know(question, choices),
            widget=forms.RadioSelect,
            required=not conditional,
            error_messages={"required": required_message},
        )
    if question.kind is Kind.NUMBER:
        unit = tr(question.unit)
        return forms.DecimalField(
            label=label,
            help_text=" ".join(
                filter(None, [help_text, str(_("Unit: %s") % unit) if unit else ""])
            ),
            required=False,
            min_value=question.min,
            max_value=question.max,
            max_digits=8,
            decimal_places=2,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": _("Write a number, for example 1,5."),
                "min_value": _("The number must be at least %(limit_value)s."),
                "max_value": _("The number must be at most %(limit_value)s."),
            },
        )
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def applicable_questions(
    theme: bank_module.Theme, role: RoleGroup, earlier_answers: Mapping[str, tuple[str, bool]]
) -> list[bank_module.Question]:
    """Questions of a theme this respondent should see, given answers on earlier steps.

    `earlier_answers` maps question keys to (value, dont_know). A follow-up whose condition
    sits on an earlier step is dropped when that answer rules it out.
    """
    own_keys = {q.key for q in theme.questions}
    shown = []
    for q in theme.questions:
        if not q.spec.asked_of(role):
            continue
        cond = q.condition
        if cond is not None and cond.question not in own_keys:
            value, dont_know = earlier_answers.get(cond.question, ("", False))
            if dont_know or value not in cond.values:
                continue
        shown.append(q)
    return shown


def theme_form_class(
    theme: bank_module.Theme, role: RoleGroup, earlier_answers: Mapping[str, tuple[str, bool]]
) -> type[ThemeForm]:
    questions = applicable_questions(theme, role, earlier_answers)
    keys = {q.key for q in questions}
    same_step = {
        q.key: q for q in questions if q.condition is not None and q.condition.question in keys
    }
    fields: dict[str, Any] = {q.key: _field(q, conditional=q.key in same_step) for q in questions}
    fields[COMMENT_FIELD] = forms.CharField(
        label=_("Comment on this theme (optional)"),
        help_text=_(
            "Examples or context that explain your answers. Coordinators see comments "
            "without names once at least two people have submitted."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attrs = {
        **fields,
        "theme": theme,
        "questions": tuple(questions),
        "same_step_conditions": same_step,
    }
    class_name = "ThemeForm_" + re.sub(r"\W", "_", theme.key)
    return type(class_name, (ThemeForm,), attrs)


class CheckForm(forms.Form):
    """The check-your-answers step has nothing to fill in; posting it submits."""


class RoleForm(forms.ModelForm):
    class Meta:
        model = Respondent
        fields = ["role_group"]
        widgets = {"role_group": forms.RadioSelect}
        labels = {"role_group": _("Which role do you answer in?")}
        error_messages = {"role_group": {"required": _("Choose the role you answer in.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A radio list needs no "---------" choice: nothing checked already means "not chosen".
        field = self.fields["role_group"]
        field.choices = [(value, label) for value, label in field.choices if value]


class MunicipalitySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Municipality name or number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


PERIOD_RE = re.compile(r"^(\d{4})-(\d{4})$")


class AssessmentCreateForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["period", "round", "label"]
        labels = {
            "period": _("Election term"),
            "round": _("Round"),
            "label": _("Own label (optional)"),
        }
        help_texts = {
            "period": _("Four years, for example 2023-2027."),
            "label": _("For example “Before the planning strategy 2024”."),
        }
        widgets = {"round": forms.RadioSelect}

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip().replace("–", "-")
        match = PERIOD_RE.match(period)
        if not match or int(match[2]) - int(match[1]) != 4:
            raise ValidationError(
                _("Write the election term as two years four years apart, for example 2023-2027.")
            )
        return period


class InvitationCreateForm(forms.Form):
    role_group = forms.ChoiceField(
        label=_("Role group"),
        choices=Respondent._meta.get_field("role_group").choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the role group the links are for.")},
    )
    count = forms.IntegerField(
        label=_("Number of links to hand out yourself"),
        help_text=_("For example one per member of the council. Leave empty to use e-mail only."),
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "invalid": _("Write a whole number."),
            "min_value": _("The number cannot be negative."),
            "max_value": _("At most 100 links at a time."),
        },
    )
    emails = forms.CharField(
        label=_("E-mail addresses (optional)"),
        help_text=_("One per line. Each gets a personal link by e-mail."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_emails(self) -> list[str]:
        validator = forms.EmailField()
        addresses = [
            line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()
        ]
        bad = []
        for address in addresses:
            try:
                validator.clean(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError(
                _("Not valid e-mail addresses: %(list)s") % {"list": ", ".join(bad)}
            )
        if len(addresses) > 100:
            raise ValidationError(_("At most 100 addresses at a time."))
        return list(dict.fromkeys(addresses))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("count") and not cleaned.get("emails"):
            raise ValidationError(
                _("Ask for a number of links, or give at least one e-mail address.")
            )
        return cleaned


class CoordinatorAddForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    email = forms.EmailField(
        label=_("E-mail address of the new coordinator"),
        error_messages={"invalid": _("Write a valid e-mail address, like navn@kommune.no.")},
    )

    def __init__(self, *args: Any, municipalities: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from assessment.models import Municipality

        field = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])
        if len(municipalities) == 1:
            field.initial = municipalities[0].pk
