"""The council's PDF: content, tagging (PDF/UA-1), local-only rendering, caching, download."""

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.models import Assessment
from reports import pdf
from reports.report import build_report


def _text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def _struct_types(pdf_doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found = []
    stack = [pdf_doc.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
    return found


@pytest.fixture
def report(answered_assessment):
    return build_report(answered_assessment)


@pytest.fixture
def rendered(report) -> bytes:
    return pdf.render_pdf(report)


def test_pdf_text_has_municipality_scores_and_recommendations(report, rendered):
    text = _text(rendered)
    assert "Vega" in text
    assert str(report.overall) in text
    for dim in report.dimensions:
        assert dim.name.split()[0] in text
    assert report.recommendations, "a middling profile should get advice"
    for rec in report.recommendations:
        assert rec.title[:30] in " ".join(text.split())
    assert "Side 2 av" in text  # running footer, in the municipality's language (bokmål)


def test_pdf_is_tagged_pdf_ua_with_language_title_and_alt_texts(report, rendered):
    with pikepdf.open(io.BytesIO(rendered)) as doc:
        assert "/StructTreeRoot" in doc.Root
        assert str(doc.Root.Lang) == "nb"
        assert doc.Root.MarkInfo.Marked
        assert doc.Root.ViewerPreferences.DisplayDocTitle
        with doc.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
            assert "Vega" in meta.get("dc:title")
        nodes = _struct_types(doc)
        types = {str(n.S) for n in nodes}
        assert {"/H1", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"} <= types
        figures = [n for n in nodes if str(n.S) == "/Figure"]
        assert len(figures) == 3  # radar, theme bars, role gaps (2 + 2 respondents)
        alts = [str(f.get("/Alt", "")) for f in figures]
        assert all(alts), "every chart needs alternative text"
        assert any(report.dimensions[0].name in alt for alt in alts)
        assert len(doc.pages) >= 8


def test_nynorsk_municipality_gets_a_nynorsk_report(db, bank_record, alice):
    from assessment.models import Municipality
    from assessment.scoring import RoleGroup
    from tests.factories import answer_everything

    vanylven = Municipality.objects.get(number="1511")  # official form: nynorsk
    assessment = Assessment.objects.create(
        municipality=vanylven, bank=bank_record, period="2023-2027"
    )
    answer_everything(assessment, RoleGroup.ADMINISTRATION, 3)
    report = build_report(assessment)
    assert report.language == "nn"
    with pikepdf.open(io.BytesIO(pdf.render_pdf(report))) as doc:
        assert str(doc.Root.Lang) == "nn"
    assert build_report(assessment, language="nb").language == "nb"


def test_renderer_reads_nothing_outside_the_project(report):
    fetcher = pdf.LocalOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/font.woff2")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_same_report_renders_once(report, monkeypatch):
    calls = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda r, **kw: calls.append(1) or real(r, **kw))
    first = pdf.cached_pdf(report)
    second = pdf.cached_pdf(report)
    assert first == second and first.startswith(b"%PDF")
    assert len(calls) == 1


def test_cached_pdfs_go_through_the_storage_api_without_shared_temp_files(report, settings):
    """Any Django storage backend can hold the cache (shared by workers on several machines);
    the local default writes each file under a name unique to its writer, then renames."""
    from reports.storage import AtomicFileSystemStorage, report_storage

    assert isinstance(report_storage(), AtomicFileSystemStorage)
    name = pdf.cached_pdf_name(report)
    storage = report_storage()
    assert storage.exists(name)
    import threading

    from django.core.files.base import ContentFile

    errors = []

    def write(payload: bytes) -> None:
        try:
            storage.save("race.pdf", ContentFile(payload))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(bytes([i]) * 200_000,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with storage.open("race.pdf") as handle:
        data = handle.read()
    assert len(data) == 200_000 and len(set(data)) == 1  # one whole write, never a mix
    leftovers = [p.name for p in Path(settings.PLANPROFIL_REPORT_CACHE).iterdir()]
    assert all(not n.startswith(".") for n in leftovers), leftovers


def test_editing_the_action_plan_changes_the_cache_key(answered_assessment, client, alice):
    before = pdf.cache_key(build_report(answered_assessment))
    client.force_login(alice)
    response = client.post(
        reverse("reports:action_plan", kwargs={"pk": answered_assessment.pk}),
        {
            "plan-TOTAL_FORMS": "1",
            "plan-INITIAL_FORMS": "0",
            "plan-0-what": "Opplæringsdag for kommunestyret",
            "plan-0-who": "Ordfører",
            "plan-0-due": "Juni 2027",
        },
    )
    assert response.status_code == 302
    report = build_report(answered_assessment)
    assert report.action_plan[0].what == "Opplæringsdag for kommunestyret"
    assert report.action_plan_edited
    assert pdf.cache_key(report) != before
    assert "Opplæringsdag for kommunestyret" in _text(pdf.render_pdf(report))


def test_action_plan_line_without_what_is_an_error(answered_assessment, client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("reports:action_plan", kwargs={"pk": answered_assessment.pk}),
        {"plan-TOTAL_FORMS": "1", "plan-INITIAL_FORMS": "0", "plan-0-who": "Ordfører"},
    )
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()


def test_download_button_returns_the_pdf(answered_assessment, client, alice, bob):
    url = reverse("reports:report_pdf", kwargs={"pk": answered_assessment.pk})
    client.force_login(alice)
    page = client.get(reverse("reports:results", kwargs={"pk": answered_assessment.pk}))
    assert url in page.content.decode()
    response = client.get(url, {"lang": "nn"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # A download (not a page replacing the results), named in the report's language.
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="planprofil-rapport-vega-2023-2027.pdf"'
    )
    with pikepdf.open(io.BytesIO(b"".join(response.streaming_content))) as doc:
        assert str(doc.Root.Lang) == "nn"
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_report_command(answered_assessment, tmp_path):
    out = tmp_path / "rapport.pdf"
    call_command("report", str(answered_assessment.pk), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="No assessment"):
        call_command("report", "999999", "--out", str(out))


def test_report_command_refuses_empty_assessment(vega_assessment, tmp_path):
    with pytest.raises(CommandError, match="nothing to report"):
        call_command("report", str(vega_assessment.pk), "--out", str(tmp_path / "x.pdf"))


def test_assess_file_writes_a_pdf(db, tmp_path, settings, capsys):
    out = tmp_path / "fil.pdf"
    call_command(
        "assess_file", str(settings.BASE_DIR / "docs/examples/answers.json"), "--pdf", str(out)
    )
    assert "Vega" in _text(out.read_bytes())
