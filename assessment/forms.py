"""Forms. Wizard step forms are generated from the question bank, one per theme."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from assessment import bank as bank_module
from assessment.i18n import tr
from assessment.models import Assessment, PlanRegister, Respondent
from assessment.scoring import Answer as ScoringAnswer
from assessment.scoring import Kind, Response, RoleGroup, question_status
from assessment.services import AnswerInput

if TYPE_CHECKING:
    from assessment.models import Municipality

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
        assert cleaned is not None  # nosec B101 # type narrowing; BaseForm.clean returns cleaned_data
        for key, question in self.same_step_conditions.items():
            assert question.condition is not None  # nosec B101 # type narrowing; same_step_conditions only holds conditional questions
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
    if question.kind in (Kind.YESNO, Kind.AWARENESS):
        # An awareness question asks about a fact that is either so or not: no "partly".
        choices = [
            (value, str(text))
            for value, text in YESNO_LABELS.items()
            if value in question.spec.value_scores()
        ]
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
        return _number_field(question, label, help_text)
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def local_number(value: float | Decimal | str) -> str:
    """A number as a person reads it in the active language: "0", "1,5" (never "0.0")."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return formats.number_format(number.normalize() if number % 1 else number)


def _number_field(question: bank_module.Question, label: str, help_text: str) -> forms.Field:
    unit = tr(question.unit)
    help_text = " ".join(filter(None, [help_text, str(_("Unit: %s") % unit) if unit else ""]))
    # Limits written into the messages here, in the page's language ("at least 0", "1,5"):
    # Django would show the bank's float as "0.0". The messages keep their %(limit_value)s
    # for the translations; the value is already in.
    messages = {
        "min_value": _("The number must be at least %(limit_value)s.")
        % {"limit_value": local_number(question.min)}
        if question.min is not None
        else "",
        "max_value": _("The number must be at most %(limit_value)s.")
        % {"limit_value": local_number(question.max)}
        if question.max is not None
        else "",
    }
    limits = {
        "min_value": None if question.min is None else Decimal(str(question.min)),
        "max_value": None if question.max is None else Decimal(str(question.max)),
    }
    if question.asks_whole_number:
        return forms.IntegerField(
            label=label,
            help_text=help_text,
            required=False,
            localize=True,
            **limits,  # type: ignore[arg-type]
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            error_messages={
                "invalid": _("Enter a whole number, for example 12 (no decimals)."),
                **{k: v for k, v in messages.items() if v},
            },
        )
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=8,
        decimal_places=2,
        localize=True,
        **limits,  # type: ignore[arg-type]
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Write a number, for example 1,5."),
            **{k: v for k, v in messages.items() if v},
        },
    )


def applicable_questions(
    theme: bank_module.Theme,
    role: RoleGroup,
    earlier_answers: Mapping[str, tuple[str, bool]],
    bank_questions: Mapping[str, bank_module.Question],
) -> list[bank_module.Question]:
    """Questions of a theme this respondent should see, given answers on earlier steps.

    Decided by scoring.question_status, the one rule for "is this question asked of this
    respondent": the wizard asks exactly what the scores count. A follow-up whose condition
    is on this same step is shown and hidden in place (ThemeForm.same_step_conditions) when
    its parent is shown. `earlier_answers` maps question keys to (value, dont_know)."""
    specs = {key: q.spec for key, q in bank_questions.items()}
    response = Response(
        role=role,
        answers={
            key: ScoringAnswer(value=value or None, dont_know=dont_know)
            for key, (value, dont_know) in earlier_answers.items()
        },
    )
    own_keys = {q.key for q in theme.questions}
    shown: list[bank_module.Question] = []
    for q in theme.questions:
        if q.condition is not None and q.condition.question in own_keys:
            if q.spec.asked_of(role) and any(p.key == q.condition.question for p in shown):
                shown.append(q)
        elif question_status(q.spec, response, specs) == "asked":
            shown.append(q)
    return shown


def _outside_limits(question: bank_module.Question, value: Any) -> bool:
    number = Decimal(str(value))
    return (question.min is not None and number < Decimal(str(question.min))) or (
        question.max is not None and number > Decimal(str(question.max))
    )


def _bank_rule(question: bank_module.Question):
    """The bank's own check of an answer (bank.Question.check_value), the one rule the
    service and the answers file apply too; the field's widget and type come first."""

    def validate(value: Any) -> None:
        if value in (None, "", DONT_KNOW):
            return
        try:
            question.check_value(_stored(value))
        except bank_module.InvalidAnswer as exc:
            if question.kind is Kind.NUMBER and _outside_limits(question, value):
                return  # the field's own message says which limit, in the page's language
            raise ValidationError(_("This answer is not one this question accepts.")) from exc

    return validate


def theme_form_class(
    theme: bank_module.Theme,
    role: RoleGroup,
    earlier_answers: Mapping[str, tuple[str, bool]],
    bank_questions: Mapping[str, bank_module.Question],
) -> type[ThemeForm]:
    questions = applicable_questions(theme, role, earlier_answers, bank_questions)
    keys = {q.key for q in questions}
    same_step = {
        q.key: q for q in questions if q.condition is not None and q.condition.question in keys
    }
    fields: dict[str, Any] = {q.key: _field(q, conditional=q.key in same_step) for q in questions}
    for q in questions:
        fields[q.key].validators.append(_bank_rule(q))
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
        field = cast(forms.ChoiceField, self.fields["role_group"])
        field.choices = [
            (value, label)
            for value, label in cast("list[tuple[str, Any]]", field.choices)  # the model's list
            if value
        ]


class MunicipalitySearchForm(forms.Form):
    data: dict[str, Any]  # a QueryDict (a dict) or a dict; __init__ copies and edits it

    q = forms.CharField(
        label=_("Municipality name or number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        # The start page searches with form.data, valid or not. A NUL character (which
        # PostgreSQL refuses outright) or an over-long text is taken out of the data, so it
        # never reaches the database, and reported on the field instead.
        self._refused_q = ""
        if self.is_bound:
            q = self.data.get("q") or ""
            if "\x00" in q or len(q) > cast(
                int, cast(forms.CharField, self.fields["q"]).max_length
            ):
                self._refused_q = q
                self.data = self.data.copy()
                self.data["q"] = ""

    def clean_q(self) -> str:
        if "\x00" in self._refused_q:
            raise ValidationError(
                _("The search contained a character that cannot be searched for. Write it again.")
            )
        if self._refused_q:
            raise ValidationError(
                _("Write at most %(n)s characters.")
                % {"n": cast(forms.CharField, self.fields["q"]).max_length}
            )
        return self.cleaned_data["q"]


# --- the adviser dashboard's query string ---------------------------------------------------

MUNICIPALITY_NUMBER_RE = re.compile(r"[0-9]{4}")
MAX_PAGE = 100_000


def _one_message(message: Any) -> dict[str, Any]:
    """The same message for every way a query parameter can be wrong."""
    codes = ("invalid", "invalid_choice", "min_value", "max_value", "max_length")
    return {code: message for code in (*codes, "null_characters_not_allowed")}


class AdviserFilterForm(forms.Form):
    """The adviser dashboard's filters, sorting and page, for the page, its exports and the
    JSON API. They arrive in links people copy and edit, so a value that does not parse is
    reported and ignored (see `ignored`), never an error page."""

    county = forms.CharField(
        label=_("County"),
        required=False,
        max_length=2,
        validators=[RegexValidator(r"\A[0-9]{2}\Z")],
        error_messages=_one_message(_("Choose a county from the list.")),
    )
    band = forms.ChoiceField(
        label=_("Population"),
        required=False,
        error_messages=_one_message(_("Choose a population group from the list.")),
    )
    centrality = forms.IntegerField(
        label=_("Centrality class"),
        required=False,
        min_value=1,
        max_value=6,
        error_messages=_one_message(_("Choose a centrality class from 1 to 6.")),
    )
    period = forms.CharField(
        label=_("Election term"),
        required=False,
        max_length=9,
        validators=[RegexValidator(r"\A[0-9]{4}-[0-9]{4}\Z")],
        error_messages=_one_message(_("Choose an election term from the list.")),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        error_messages=_one_message(_("Choose a column to sort by.")),
    )
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages=_one_message(_("A page number is a whole number from 1.")),
    )

    def __init__(self, data: Any, *, bands: Any = (), sorts: Any = (), **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["band"]).choices = [("", ""), *((b, b) for b in bands)]
        cast(forms.ChoiceField, self.fields["sort"]).choices = [("", ""), *((s, s) for s in sorts)]

    def value(self, name: str, default: Any) -> Any:
        """The cleaned value of a parameter, or `default` when it is missing or ignored."""
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    def ignored(self) -> list[str]:
        """One line per ignored parameter: which, and why."""
        self.is_valid()
        return [
            str(
                _("Ignored “%(field)s” in the address: %(error)s")
                % {
                    "field": self.fields[name].label,
                    # ErrorList iterates as text (its __getitem__); the stub types its raw items.
                    "error": " ".join(errors),  # type: ignore[arg-type]
                }
            )
            for name, errors in self.errors.items()
        ]


class CompareForm(forms.Form):
    """Municipality numbers (`m`) to compare: four ASCII digits each; others are ignored."""

    m = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def numbers(self) -> list[str]:
        return [n for n in self._raw() if MUNICIPALITY_NUMBER_RE.fullmatch(n)]

    def ignored(self) -> list[str]:
        if any(not MUNICIPALITY_NUMBER_RE.fullmatch(n) for n in self._raw()):
            return [str(_("Ignored a municipality number that is not four digits."))]
        return []

    def _raw(self) -> list[str]:
        raw = self["m"].value() or []
        return [str(n) for n in raw]


FIRST_TERM_YEAR = 2019  # municipal elections are held every four years: 2019, 2023, 2027 …


def election_terms(today: date) -> list[tuple[str, str]]:
    """The previous, current and next election term around `today`, as (value, label). A
    new council takes over in October of the election year, so in September 2027 the
    current term is still 2023-2027."""
    year = today.year if today.month >= 10 else today.year - 1
    current = year - (year - FIRST_TERM_YEAR) % 4
    labels = {
        current - 4: _("%(term)s (previous term)"),
        current: _("%(term)s (current term)"),
        current + 4: _("%(term)s (next term)"),
    }
    return [
        (f"{first}-{first + 4}", str(label % {"term": f"{first}–{first + 4}"}))
        for first, label in labels.items()
    ]


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
            "label": _("For example “Before the planning strategy 2024”."),
        }
        widgets = {"round": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = election_terms(timezone.localdate())
        # A choice of terms, not free text: a round always belongs to a real election term.
        self.fields["period"] = forms.ChoiceField(
            label=_("Election term"),
            choices=terms,
            initial=terms[1][0],
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose the election term."),
                "invalid_choice": _("Choose the election term."),
            },
        )
        round_field = cast(forms.ChoiceField, self.fields["round"])
        round_field.choices = [
            (value, label)
            for value, label in cast("list[tuple[str, Any]]", round_field.choices)
            if value
        ]
        round_field.error_messages["required"] = _("Choose the round.")


class InvitationCreateForm(forms.Form):
    role_group = forms.ChoiceField(
        label=_("Role group"),
        choices=cast("list[tuple[str, Any]]", Respondent._meta.get_field("role_group").choices),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the role group the links are for.")},
    )
    emails = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_(
            "One per line. Each person gets a personal link by e-mail; you never see it, so "
            "nobody but them can start their response."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    group_link = forms.BooleanField(
        label=_("Also make a shared link for this role group"),
        help_text=_(
            "To hand out in a meeting or by text message. Everyone who opens it starts their "
            "own, empty response; the link never opens anyone's answers."
        ),
        required=False,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("For your own overview, for example “council meeting 12 March”."),
        max_length=100,
        required=False,
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
        assert cleaned is not None  # nosec B101 # type narrowing; BaseForm.clean returns cleaned_data
        if not self.errors and not cleaned.get("group_link") and not cleaned.get("emails"):
            raise ValidationError(_("Give at least one e-mail address, or ask for a shared link."))
        return cleaned


class CoordinatorAddForm(forms.Form):
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, empty_label=None
    )
    email = forms.EmailField(
        label=_("E-mail address of the new coordinator"),
        max_length=150,  # it becomes the user name (django.contrib.auth allows 150)
        error_messages={"invalid": _("Write a valid e-mail address, like navn@kommune.no.")},
    )

    def __init__(self, *args: Any, municipalities: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from assessment.models import Municipality

        field = cast("forms.ModelChoiceField[Municipality]", self.fields["municipality"])
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])
        if len(municipalities) == 1:
            field.initial = municipalities[0].pk


class ResumeEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a new personal link there and do not keep the address."),
        max_length=254,
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write a valid e-mail address, like navn@kommune.no."),
        },
    )


class AccessRequestForm(forms.Form):
    """Asking for access to coordinate a municipality's rounds."""

    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        to_field_name="number",
        error_messages={
            "required": _("Choose your municipality."),
            "invalid_choice": _("Choose a municipality from the list."),
        },
    )
    name = forms.CharField(
        label=_("Your name"), max_length=120, error_messages={"required": _("Write your name.")}
    )
    job_title = forms.CharField(
        label=_("Your role in the municipality"),
        help_text=_("For example planning adviser, chief executive or mayor."),
        max_length=120,
        error_messages={"required": _("Write your role in the municipality.")},
    )
    email = forms.EmailField(
        label=_("Work e-mail address"),
        help_text=_("Your address at the municipality; we send the answer there."),
        max_length=150,  # it becomes the user name (django.contrib.auth allows 150)
        error_messages={
            "required": _("Write your work e-mail address."),
            "invalid": _("Write a valid e-mail address, like navn@kommune.no."),
        },
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from assessment.models import Municipality

        cast(
            "forms.ModelChoiceField[Municipality]", self.fields["municipality"]
        ).queryset = Municipality.objects.order_by("name")


# --- the plan register (bank v2 on) ---------------------------------------------------------
# Each dated fact is a status (radios) and a date that applies only to "adopted on"; the form
# turns the pair into the model's fields (the date, *_missing, *_kept). "Not recorded" is a
# choice of its own, so a coordinator can say "I don't know yet" without guessing.

ADOPTED = "adopted"
NOT_ADOPTED = "not_adopted"
KEPT = "kept"
NO_PART = "none"
NOT_RECORDED = "unknown"
EARLIEST_REGISTER_DATE = date(1990, 1, 1)
# Dates are written day.month.year, as in Norway, in every language: Django's formats for the
# language are accepted too (ISO dates everywhere), but a Norwegian date typed with the page in
# English must not be refused.
_DAY_MONTH_YEAR = ("%d.%m.%Y", "%d.%m.%y")
_EXAMPLE_DATE = date(2024, 3, 14)


def register_date_format() -> str:
    """How register dates are shown in the form and in its examples."""
    return _DAY_MONTH_YEAR[0]


class _RegisterDateFormats:
    """The active language's date input formats, then day.month.year (read at each use, so
    the request's language counts)."""

    def __iter__(self) -> Iterator[str]:
        accepted = [str(f) for f in formats.get_format("DATE_INPUT_FORMATS")]
        yield from accepted
        yield from (f for f in _DAY_MONTH_YEAR if f not in accepted)


class _RegisterDateInput(forms.DateInput):
    def format_value(self, value: Any) -> str | None:
        if isinstance(value, date):
            return value.strftime(register_date_format())
        return super().format_value(value)


def _plausible_date(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if value < EARLIEST_REGISTER_DATE:
        raise ValidationError(_("Enter a date in 1990 or later."), code="too_early")


def _register_date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=_RegisterDateFormats(),  # type: ignore[arg-type]
        widget=_RegisterDateInput(attrs={"autocomplete": "off", "size": 10}),
        validators=[_plausible_date],
    )


def _register_status(
    label: Any, choices: list[tuple[str, Any]], help_text: Any = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=[*choices, (NOT_RECORDED, _("Not recorded"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one of the options, or “Not recorded”."),
            "invalid_choice": _("Choose one of the options, or “Not recorded”."),
        },
    )


_DEADLINE_CHOICES = [(ADOPTED, _("Adopted on")), (NOT_ADOPTED, _("Not adopted this term"))]
_PLAN_PART_CHOICES = [
    (ADOPTED, _("Last adopted on")),
    (KEPT, _("Kept by this term's planning strategy (no revision needed)")),
    (NO_PART, _("The municipality has none")),
]


class PlanRegisterForm(forms.Form):
    """The coordinator's plan register: one page, every fact optional ("Not recorded")."""

    # (status field, date field, model field for "not adopted", model field for "kept")
    DATED: ClassVar[tuple[tuple[str, str, str, str], ...]] = (
        ("strategy_status", "strategy_adopted", "strategy_missing", ""),
        (
            "community_part_status",
            "community_part",
            "community_part_missing",
            "community_part_kept",
        ),
        ("land_use_part_status", "land_use_part", "land_use_part_missing", "land_use_part_kept"),
        ("delegation_status", "delegation_adopted", "delegation_missing", ""),
    )
    YES_NO: ClassVar[dict[str, bool | None]] = {"yes": True, "no": False, NOT_RECORDED: None}

    council_constituted = _register_date(_("The council was constituted on"))
    strategy_status = _register_status(
        _("Planning strategy"),
        _DEADLINE_CHOICES,
        _("Adopted by the council elected for this term."),
    )
    strategy_adopted = _register_date(_("Date the planning strategy was adopted"))
    community_part_status = _register_status(
        _("Community part of the master plan"), _PLAN_PART_CHOICES
    )
    community_part = _register_date(_("Date the community part was last adopted"))
    land_use_part_status = _register_status(
        _("Land-use part of the master plan"), _PLAN_PART_CHOICES
    )
    land_use_part = _register_date(_("Date the land-use part was last adopted"))
    action_part = _register_status(
        _("Action part"),
        list(PlanRegister.ActionPart.choices),
        _("How the community part's action part relates to the financial plan."),
    )
    plan_count = forms.IntegerField(
        label=_("Thematic and sector plans in force (optional)"),
        help_text=_("A whole number, for example 12. Count the plans adopted and still in use."),
        required=False,
        min_value=0,
        max_value=32767,  # the model's PositiveSmallIntegerField
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter a whole number, for example 12 (no decimals)."),
            "min_value": _("The number cannot be negative."),
            "max_value": _("Enter a number no larger than %(limit_value)s."),
        },
    )
    delegation_status = _register_status(
        _("Delegation regulation"),
        _DEADLINE_CHOICES,
        _(
            "The council's rules for delegating its authority, adopted by the council elected for "
            "this term."
        ),
    )
    delegation_adopted = _register_date(_("Date the delegation regulation was adopted"))
    youth_council = _register_status(
        _("Youth council"),
        [("yes", _("Yes")), ("no", _("No"))],
        _("A youth council, or another arrangement for young people's participation."),
    )
    planning_cooperation = _register_status(
        _("Planning cooperation"), list(PlanRegister.Cooperation.choices)
    )

    def __init__(self, *args: Any, assumed_constituted: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        example = _EXAMPLE_DATE.strftime(register_date_format())
        for_example = _("For example %(example)s.") % {"example": example}
        invalid = _("Enter a real date, for example %(example)s.") % {"example": example}
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.help_text = for_example
                field.error_messages["invalid"] = invalid
        if assumed_constituted is not None:
            assumed = _("If you leave it empty, %(date)s is assumed") % {
                "date": assumed_constituted.strftime(register_date_format())
            }
        else:
            assumed = str(_("If you leave it empty, 31 October of the election year is assumed"))
        self.fields["council_constituted"].help_text = _(
            "Optional. Deadlines count from this day. %(assumed)s. %(example)s"
        ) % {"assumed": assumed, "example": for_example}

    @classmethod
    def initial_from(cls, row: PlanRegister | None) -> dict[str, Any]:
        """The form's starting values from what is recorded (nothing: all "Not recorded")."""
        initial: dict[str, Any] = {status: NOT_RECORDED for status, *_rest in cls.DATED} | {
            "action_part": NOT_RECORDED,
            "youth_council": NOT_RECORDED,
            "planning_cooperation": NOT_RECORDED,
        }
        if row is None:
            return initial
        initial["council_constituted"] = row.council_constituted
        initial["plan_count"] = row.plan_count
        for status, day, missing, kept in cls.DATED:
            initial[day] = getattr(row, day)
            if kept and getattr(row, kept):
                initial[status] = KEPT
            elif getattr(row, missing):
                initial[status] = NOT_ADOPTED if not kept else NO_PART
            elif getattr(row, day) is not None:
                initial[status] = ADOPTED
        initial["action_part"] = row.action_part or NOT_RECORDED
        initial["planning_cooperation"] = row.planning_cooperation or NOT_RECORDED
        initial["youth_council"] = {True: "yes", False: "no"}.get(row.youth_council, NOT_RECORDED)  # type: ignore[arg-type]
        return initial

    def rows(self) -> Iterator[tuple[forms.BoundField, forms.BoundField | None]]:
        """Each question in page order, with the date field that belongs to its "adopted on"."""
        dates = {status: day for status, day, *_rest in self.DATED}
        for name in self.fields:
            if name in dates.values():
                continue
            yield self[name], self[dates[name]] if name in dates else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # nosec B101 # type narrowing; BaseForm.clean returns cleaned_data
        for status, day, *_rest in self.DATED:
            if cleaned.get(status) == ADOPTED:
                if cleaned.get(day) is None and day not in self.errors:
                    self.add_error(day, _("Enter the date, or choose another option."))
            else:
                # The date does not apply to the chosen option: forget it, whatever was typed.
                self.errors.pop(day, None)
                cleaned[day] = None
        return cleaned

    def values(self) -> dict[str, Any]:
        """The model's fields, as services.plan_register_save takes them."""
        c = self.cleaned_data
        values: dict[str, Any] = {
            "council_constituted": c["council_constituted"],
            "plan_count": c["plan_count"],
            "action_part": "" if c["action_part"] == NOT_RECORDED else c["action_part"],
            "youth_council": self.YES_NO[c["youth_council"]],
            "planning_cooperation": (
                "" if c["planning_cooperation"] == NOT_RECORDED else c["planning_cooperation"]
            ),
        }
        for status, day, missing, kept in self.DATED:
            chosen = c[status]
            values[day] = c[day] if chosen == ADOPTED else None
            values[missing] = chosen in (NOT_ADOPTED, NO_PART)
            if kept:
                values[kept] = chosen == KEPT
        return values
