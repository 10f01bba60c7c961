"""The action plan: as many lines as needed, removable lines, and nothing lost on an error or
when a line is added."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from guidance.models import ActionPlanItem


def _form(lines: list[dict], **extra) -> dict:
    data = {
        "plan-TOTAL_FORMS": str(len(lines)),
        "plan-INITIAL_FORMS": "0",
        "plan-MIN_NUM_FORMS": "0",
        "plan-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"plan-{i}-{key}"] = value
    return data | extra


def _url(assessment) -> str:
    return reverse("reports:action_plan", kwargs={"pk": assessment.pk})


def test_more_than_seven_lines_are_saved(client, alice, answered_assessment):
    client.force_login(alice)
    lines = [{"what": f"Tiltak {n}", "who": "Rådmann", "due": "2027"} for n in range(1, 13)]
    response = client.post(_url(answered_assessment), _form(lines))
    assert response.status_code == 302
    saved = list(ActionPlanItem.objects.filter(assessment=answered_assessment).order_by("position"))
    assert [i.what for i in saved] == [f"Tiltak {n}" for n in range(1, 13)]


def test_a_line_marked_for_removal_is_not_saved(client, alice, answered_assessment):
    client.force_login(alice)
    lines = [{"what": "Behold"}, {"what": "Fjern", "DELETE": "on"}, {"what": "Også"}]
    client.post(_url(answered_assessment), _form(lines))
    assert list(
        ActionPlanItem.objects.filter(assessment=answered_assessment)
        .order_by("position")
        .values_list("what", flat=True)
    ) == ["Behold", "Også"]


def test_add_a_line_without_javascript_keeps_what_was_typed(client, alice, answered_assessment):
    client.force_login(alice)
    lines = [{"what": f"Linje {n}", "who": "Ordfører"} for n in range(1, 8)]
    response = client.post(_url(answered_assessment), _form(lines, add_line="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="plan-TOTAL_FORMS" value="8"' in html
    for n in range(1, 8):
        assert f"Linje {n}</textarea>" in html
    assert 'id="line-8"' in html
    assert not ActionPlanItem.objects.filter(assessment=answered_assessment).exists()
    # The next "add a line" jumps to the line after that.
    assert 'formaction="#line-9"' in html


def test_an_error_keeps_every_line(client, alice, answered_assessment):
    client.force_login(alice)
    lines = [{"what": f"Linje {n}"} for n in range(1, 10)] + [{"what": "", "who": "Noen"}]
    response = client.post(_url(answered_assessment), _form(lines))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-error-summary" in html
    for n in range(1, 10):
        assert f"Linje {n}</textarea>" in html
    assert 'value="Noen"' in html


def test_text_boxes_grow_and_the_page_offers_add_a_line(client, alice, answered_assessment):
    client.force_login(alice)
    html = client.get(_url(answered_assessment)).content.decode()
    assert "data-autogrow" in html and 'rows="3"' in html
    assert 'name="add_line"' in html
    assert "<template data-line-template>" in html and "plan-__prefix__-what" in html
    assert "js/action_plan.js" in html
    css = Path("static/css/app.css").read_text(encoding="utf-8")
    assert "field-sizing: content" in css
