"""The workshop's presentation mode: no site menu, large type, one section at a time with
next and previous, an exit; without JavaScript a readable long page."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse


def _get(client, user, assessment, **query) -> str:
    client.force_login(user)
    url = reverse("reports:workshop", kwargs={"pk": assessment.pk})
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_workshop_page_offers_the_presentation(client, alice, answered_assessment):
    html = _get(client, alice, answered_assessment)
    assert 'href="?present=1"' in html
    assert "data-presentation" not in html
    assert "js/workshop.js" not in html


def test_presentation_mode_markup(client, alice, answered_assessment):
    html = _get(client, alice, answered_assessment, present="1")
    assert re.search(r'<div class="workshop workshop--present" data-presentation', html)
    assert "js/workshop.js" in html
    # Sections to step through, each with a heading that can take focus.
    slides = re.findall(
        r'<section [^>]*data-slide>\s*(?:<p[^>]*>.*?</p>\s*)?<h([12])[^>]*tabindex="-1"', html, re.S
    )
    assert len(slides) >= 4
    assert html.count("data-slide") == len(slides) + 0
    # Previous/next (hidden until the script runs), full screen, a live status, an exit.
    assert re.search(r"<button [^>]*data-prev hidden>", html)
    assert re.search(r"<button [^>]*data-next hidden>", html)
    assert re.search(r"<button [^>]*data-fullscreen hidden", html)
    assert re.search(r'<p [^>]*data-status aria-live="polite"', html)
    exit_url = reverse("reports:workshop", kwargs={"pk": answered_assessment.pk})
    assert html.count(f'href="{exit_url}"') == 2  # in the bar and at the end (without JS)
    assert 'data-status-template="' in html


def test_presentation_css_hides_the_menu_and_respects_reduced_motion():
    css = Path("static/css/app.css").read_text(encoding="utf-8")
    assert "body:has(.workshop--present) .site-header" in css
    assert "body:has(.workshop--present) .site-footer" in css
    assert "@media (prefers-reduced-motion: no-preference)" in css
    js = Path("static/js/workshop.js").read_text(encoding="utf-8")
    for key in ("ArrowRight", "ArrowLeft", "requestFullscreen", "fullscreenEnabled", "focus()"):
        assert key in js


def test_an_adviser_sees_the_presentation_of_a_shared_round_only_as_before(
    client, charlie, answered_assessment
):
    client.force_login(charlie)
    url = reverse("reports:workshop", kwargs={"pk": answered_assessment.pk})
    assert client.get(url, {"present": "1"}).status_code == 404
