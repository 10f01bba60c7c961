"""Who may edit and download the council paper, editing, and nothing lost on bad input."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from reports.models import CouncilPaper
from reports.texts import paper_date

pytestmark = pytest.mark.django_db


def _status(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        # Read to the end, as a WSGI server would: FileResponse closes the cached file then.
        # (response.close() would also close the test's database connection.)
        b"".join(response.streaming_content)
    return response.status_code


def _url(name: str, assessment, query: str = "") -> str:
    return reverse(f"reports:{name}", args=[assessment.pk]) + query


def _post_data(client, assessment, **changes):
    """The edit form as the page shows it, with `changes` applied."""
    page = client.get(_url("council_paper", assessment))
    form, points = page.context["form"], page.context["points"]
    data = {
        "meeting_date": "",
        "deadline": form.initial["deadline"].isoformat(),
        "responsible": form.initial["responsible"],
        "assessment_text": form.initial["assessment_text"],
        "points-TOTAL_FORMS": str(len(points.forms)),
        "points-INITIAL_FORMS": str(len(points.initial)),
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "8",
    }
    for i, f in enumerate(points.forms):
        data[f"points-{i}-text"] = (f.initial or {}).get("text", "")
    data.update(changes)
    return data


def test_coordinator_edits_adviser_downloads_others_see_nothing(
    client, closed, alice, bob, charlie, adviser_in_scope, adviser_elsewhere
):
    client.force_login(alice)
    assert client.get(_url("council_paper", closed)).status_code == 200
    assert _status(client, _url("council_paper_pdf", closed)) == 200
    client.force_login(adviser_in_scope)
    assert client.get(_url("council_paper", closed)).status_code == 404
    assert client.post(_url("council_paper", closed), {"reset": "1"}).status_code == 404
    assert _status(client, _url("council_paper_pdf", closed)) == 200
    assert _status(client, _url("council_paper_docx", closed)) == 200
    for outsider in (bob, charlie, adviser_elsewhere):
        client.force_login(outsider)
        for name in ("council_paper", "council_paper_pdf", "council_paper_docx"):
            assert _status(client, _url(name, closed)) == 404, (outsider, name)
    client.logout()
    assert client.get(_url("council_paper_pdf", closed)).status_code == 302


def test_results_page_links_to_the_paper(client, closed, alice, adviser_in_scope):
    client.force_login(alice)
    assert _url("council_paper", closed) in client.get(_url("results", closed)).content.decode()
    client.force_login(adviser_in_scope)
    page = client.get(_url("results", closed)).content.decode()
    assert _url("council_paper_pdf", closed) in page
    assert _url("council_paper", closed) + '"' not in page


def test_downloads_have_file_names_per_language(client, closed, alice):
    client.force_login(alice)
    pdf = client.get(_url("council_paper_pdf", closed))
    b"".join(pdf.streaming_content)
    assert 'filename="saksframlegg-vega-2023-2027.pdf"' in pdf["Content-Disposition"]
    docx = client.get(_url("council_paper_docx", closed, "?lang=en"))
    assert 'filename="case-presentation-vega-2023-2027.docx"' in docx["Content-Disposition"]


def test_editing_saves_and_the_paper_uses_it(client, closed, alice):
    client.force_login(alice)
    data = _post_data(
        client,
        closed,
        meeting_date="2027-02-04",
        deadline="2027-09-01",
        responsible="rådmannen",
        **{"points-0-text": "Kommunestyret tar egenvurderingen til orientering."},
    )
    response = client.post(_url("council_paper", closed), data)
    assert response.status_code == 302, response.context["form"].errors
    record = CouncilPaper.objects.get(assessment=closed)
    assert record.language == "nb" and record.responsible == "rådmannen"
    assert str(record.deadline) == "2027-09-01"
    assert record.resolution[0] == "Kommunestyret tar egenvurderingen til orientering."
    assert record.assessment_text == ""  # unchanged: follows the report
    assert record.updated_by == alice
    page = client.get(_url("council_paper", closed))
    assert page.context["paper"].resolution[0].startswith("Kommunestyret tar egenvurderingen til")
    # Reset: back to the report's text.
    client.post(_url("council_paper", closed), {"reset": "1"})
    assert not CouncilPaper.objects.filter(assessment=closed).exists()


def test_unchanged_points_follow_a_new_deadline(client, closed, alice):
    client.force_login(alice)
    client.post(_url("council_paper", closed), _post_data(client, closed, deadline="2027-09-01"))
    record = CouncilPaper.objects.get(assessment=closed)
    assert record.resolution == []
    paper = client.get(_url("council_paper", closed)).context["paper"]
    with translation.override("nb"):
        assert any(paper_date(date(2027, 9, 1)) in p for p in paper.resolution)


def test_nothing_lost_on_bad_input(client, closed, alice):
    client.force_login(alice)
    long_text = "Vår egen vurdering. " * 200  # past the limit
    data = _post_data(
        client,
        closed,
        deadline="not a date",
        assessment_text=long_text,
        **{"points-1-text": "Et eget punkt som ikke må forsvinne."},
    )
    response = client.post(_url("council_paper", closed), data)
    assert response.status_code == 200
    assert not CouncilPaper.objects.filter(assessment=closed).exists()
    html = response.content.decode()
    assert "Et eget punkt som ikke må forsvinne." in html
    assert "Vår egen vurdering." in html
    assert "not a date" in html


def test_a_reworded_point_with_the_old_date_is_refused(client, closed, alice):
    client.force_login(alice)
    page = client.get(_url("council_paper", closed))
    points = list(page.context["paper"].resolution)
    deadline = paper_date(page.context["paper"].deadline)
    follow = next(i for i, p in enumerate(points) if deadline in p)
    data = _post_data(
        client,
        closed,
        deadline="2027-09-01",
        **{f"points-{follow}-text": "Endret: " + points[follow]},
    )
    response = client.post(_url("council_paper", closed), data)
    assert response.status_code == 200
    assert not CouncilPaper.objects.filter(assessment=closed).exists()
    assert response.context["form"].errors["deadline"]


def test_open_round_paper_is_marked_draft_on_every_page(client, open_round, alice):
    import pikepdf

    from tests.reports_council.test_pages import page_texts

    client.force_login(alice)
    response = client.get(_url("council_paper_pdf", open_round, "?lang=en"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    texts = page_texts(data)
    assert texts[0].count("Draft") >= 2  # the title and the running header
    for text in texts:
        assert "Draft" in text
    assert "of 100" not in " ".join(texts)
    assert len(pikepdf.open(io.BytesIO(data)).pages) <= 2
