"""The council paper (saksframlegg): the coordinator edits it, and whoever may see the round's
results downloads it as PDF or Word."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.permissions import can_coordinate, get_assessment
from reports import council_paper_pdf, docx, paper_store
from reports.council_paper import PaperEdits
from reports.forms import CouncilPaperForm, PointFormSet, stale_wording
from reports.texts import default_responsible
from reports.views.results import REPORT_LANGUAGES

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def council_paper(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    # Edits are written in the municipality's language form; other languages keep the dates.
    language = assessment.municipality.report_language
    paper = paper_store.build_paper(assessment, language=language)
    current = paper_store.paper_edits(assessment)
    if request.method == "POST" and "reset" in request.POST:
        paper_store.council_paper_reset(assessment=assessment)
        messages.success(request, _("The council paper follows the report again."))
        return redirect("reports:council_paper", pk=pk)
    post = request.POST if request.method == "POST" else None
    form = CouncilPaperForm(
        post,
        paper=paper,
        initial={
            "meeting_date": paper.meeting_date,
            "deadline": paper.deadline,
            "responsible": paper.responsible,
            "assessment_text": "\n\n".join(
                b.text for s in paper.sections[1:2] for b in s.blocks if b.kind == "p"
            ),
        },
    )
    points = PointFormSet(
        post, paper=paper, initial=[{"text": p} for p in paper.resolution], prefix="points"
    )
    if post is not None and form.is_valid() and points.is_valid():
        data = form.cleaned_data
        responsible = data["responsible"].strip()
        posted = points.points()
        new_defaults = paper_store.build_paper(
            assessment,
            language=language,
            edits=PaperEdits(language=language, deadline=data["deadline"], responsible=responsible),
        ).resolution
        # A point left as the report wrote it follows the report (and so the new date); a
        # reworded one is the coordinator's and must not keep the old date or name.
        following = [
            not current.resolution and i < len(paper.resolution) and p == paper.resolution[i]
            for i, p in enumerate(posted)
        ]
        merged = tuple(
            new_defaults[i] if follow and i < len(new_defaults) else p
            for i, (p, follow) in enumerate(zip(posted, following, strict=True))
        )
        own = tuple(p for p, follow in zip(posted, following, strict=True) if not follow)
        for field, error in stale_wording(paper, own, data["deadline"], responsible):
            form.add_error(field, error)
        if form.is_valid():
            paper_store.council_paper_save(
                assessment=assessment,
                user=request.user,  # type: ignore[arg-type]  # login_required
                language=language,
                meeting_date=data["meeting_date"],
                deadline=data["deadline"],
                responsible="" if responsible == default_responsible_in(language) else responsible,
                assessment_text=form.text_if_edited(),
                resolution=() if merged == new_defaults else merged,
            )
            saved = paper_store.build_paper(assessment, language=language)
            pages = council_paper_pdf.page_count(saved)
            if pages > 2:
                messages.warning(
                    request,
                    _(
                        "The council paper is saved, but it now fills %(n)s pages. Shorten the "
                        "assessment or the points to keep it to two."
                    )
                    % {"n": pages},
                )
            else:
                messages.success(request, _("The council paper has been saved."))
            return redirect("reports:council_paper", pk=pk)
    context = {
        "assessment": assessment,
        "paper": paper,
        "form": form,
        "points": points,
        "edited": current != PaperEdits(),
        "report_language": language,
        "report_languages": REPORT_LANGUAGES,
    }
    return render(request, "reports/council_paper.html", context)


def default_responsible_in(language: str) -> str:
    with translation.override(language):
        return default_responsible()


def _paper_for_download(request: HttpRequest, pk: int):
    # As the report: whoever may see the round's results (its coordinators, advisers it is
    # shared with) may download the paper; only coordinators edit it.
    assessment = get_assessment(request.user, pk)
    language = request.GET.get("lang")
    return paper_store.build_paper(
        assessment, language=language if language in REPORT_LANGUAGES else None
    )


@login_required
def council_paper_pdf_view(request: HttpRequest, pk: int) -> FileResponse:
    paper = _paper_for_download(request, pk)
    return FileResponse(
        council_paper_pdf.open_cached_paper_pdf(paper),
        filename=f"{paper.file_stem}.pdf",
        content_type="application/pdf",
    )


@login_required
def council_paper_docx(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper_for_download(request, pk)
    response = HttpResponse(docx.render_docx(paper), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{paper.file_stem}.docx"'
    return response
