from collections.abc import Mapping, Sequence

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from assessment.display import display_score
from assessment.i18n import tr as translate_mapping

register = template.Library()


@register.filter
def tr(value: Mapping[str, str] | None) -> str:
    """{{ question.text|tr }}: the active language's text of a bank or library mapping."""
    return translate_mapping(value)


@register.simple_tag
def ds_widget(field: BoundField) -> SafeString:
    """Render a non-radio widget with Designsystemet classes and the ARIA links to its help
    text and error message."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def get_field(form, name: str) -> BoundField:
    return form[name]


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def score(value) -> str:
    """A 0-100 score as a whole number, or an en dash for none."""
    shown = display_score(value)
    return "–" if shown is None else str(shown)


@register.filter
def heat(value: float | None, band_minimums: Sequence[float] = ()) -> str:
    """CSS class for a heat-map cell: the maturity band the *shown* score falls in (a cell
    reading 35 is coloured as 35, even when the score is 34.6). Band limits come from the
    bank (reports.comparison.band_minimums), not from this template filter."""
    shown = display_score(value)
    if shown is None or not band_minimums:
        return "hm-none"
    band = sum(1 for minimum in band_minimums[1:] if shown >= minimum)
    return f"hm-{band}"


@register.simple_tag
def error_summary_items(form) -> list[tuple[str, str]]:
    """(anchor, text) per error for the error summary, each readable on its own: "Choose an
    answer to “Has …?”" for a question with options, "Label: message" otherwise (quoted when
    the label is itself a sentence, so it never reads "…?: Choose")."""
    from django.utils.translation import gettext as _

    from assessment.forms import DONT_KNOW

    items = []
    for field in form:
        if not field.errors:
            continue
        label = str(field.label).strip()
        if getattr(field.field.widget, "input_type", None) == "radio":
            # “Som folkevalgt kjenner jeg …” ends with a full stop of its own: not two.
            label = label.removesuffix(".")
            choices = [value for value, _text in getattr(field.field, "choices", [])]
            text = (
                _("Choose an answer to “%(question)s”, or “Don't know”.")
                if DONT_KNOW in choices
                else _("Choose an answer to “%(question)s”.")
            ) % {"question": label}
            items.append((f"#{field.auto_id}_0", text))
            continue
        template = (
            _("“%(label)s”: %(error)s")
            if label and label[-1] in "?."
            else _("%(label)s: %(error)s")
        )
        items.extend(
            (f"#{field.auto_id}", template % {"label": label, "error": error})
            for error in field.errors
        )
    return items


@register.simple_tag
def menu_roles(user) -> dict[str, bool]:
    """What the site menu offers: coordinator actions to anyone but an adviser who
    coordinates nothing, the adviser overview to advisers. One query."""
    if not getattr(user, "is_authenticated", False):
        return {"coordinator": False, "adviser": False}
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from assessment.models import Adviser, Coordinator

    adviser, coordinator = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            Exists(Adviser.objects.filter(user=OuterRef("pk"))),
            Exists(Coordinator.objects.filter(user=OuterRef("pk"))),
        )
        .get()
    )
    return {"coordinator": coordinator or not adviser, "adviser": adviser}
