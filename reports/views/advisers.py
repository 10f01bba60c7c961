"""The adviser workspace: dashboard, compare, a municipality over time, exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import services
from assessment.display import display_change
from assessment.forms import MUNICIPALITY_NUMBER_RE, AdviserFilterForm, CompareForm
from assessment.i18n import tr
from assessment.models import AuditEvent, Municipality, QuestionBank
from assessment.permissions import (
    adviser_municipalities,
    can_compare,
    is_coordinator,
    shared_assessments,
)
from reports import charts, comparison, exports
from reports.models import ReportExport
from reports.storage import export_storage
from reports.tasks import export_reports

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest

MAX_COMPARE = 6


def _adviser_only(request: HttpRequest) -> None:
    if not can_compare(request.user):
        raise PermissionDenied


def _names() -> dict[str, str]:
    """Display names of dimensions and themes by key: the newest published bank's, and an
    earlier bank's for a theme only it has (trends across versions name both)."""
    names: dict[str, str] = {}
    for bank in QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).order_by(
        "created_at"
    ):
        parsed = bank.parsed
        names |= {d.key: tr(d.name) for d in parsed.dimensions}
        names |= {t.key: tr(t.name) for t in parsed.themes}
    return names


def _filter_form(request: HttpRequest) -> AdviserFilterForm:
    """The dashboard's query string, parsed; what does not parse is ignored (form.ignored)."""
    dimension_keys, _themes = comparison.bank_keys()
    sorts = (*comparison.SORTS, *(k for key in dimension_keys for k in (key, f"-{key}")))
    form = AdviserFilterForm(
        request.GET, bands=[b.key for b in comparison.POPULATION_BANDS], sorts=sorts
    )
    form.is_valid()
    return form


def _filters(form: AdviserFilterForm) -> comparison.Filters:
    return comparison.Filters(
        county=form.value("county", ""),
        band=form.value("band", ""),
        centrality=form.value("centrality", None),
        period=form.value("period", ""),
    )


def _dashboard(
    request: AuthenticatedHttpRequest, form: AdviserFilterForm, *, all_rows: bool = False
) -> comparison.Dashboard:
    return comparison.dashboard(
        request.user,
        _filters(form),
        sort=form.value("sort", "name"),
        page=form.value("page", 1),
        page_size=None if all_rows else comparison.PAGE_SIZE,
    )


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    _adviser_only(request)
    form = _filter_form(request)
    for problem in form.ignored():
        messages.warning(request, problem)
    data = _dashboard(request, form)
    names = _names()
    context = {
        "data": data,
        "filters": _filters(form),
        "sort": form.value("sort", "name"),
        "names": names,
        "dimension_columns": [(k, names.get(k, k)) for k in data.dimension_keys],
        "theme_columns": [(k, names.get(k, k)) for k in data.theme_keys],
        "bands": comparison.POPULATION_BANDS,
        "heat_bands": data.band_minimums,
        "heat_legend": data.heat_legend,
        "query": _without(request, form),
        "query_without_sort": _without(request, form, "sort", "page"),
        "query_without_page": _without(request, form, "page"),
    }
    return render(request, "reports/advisers/dashboard.html", context)


def _without(request: HttpRequest, form: AdviserFilterForm, *keys: str) -> str:
    """The query string for links on the page: without `keys` and without ignored values."""
    query = request.GET.copy()
    for key in (*keys, *form.errors):
        query.pop(key, None)
    return query.urlencode()


def _labels(names: dict[str, str]) -> dict[str, str]:
    return names | {
        "number": _("Municipality number"),
        "municipality": _("Municipality"),
        "county": _("County"),
        "population": _("Population"),
        "period": _("Election term"),
        "round": _("Round"),
        "closed": _("Closed"),
        "overall": _("Overall"),
        "completeness": _("Completeness (%)"),
    }


@login_required
def dashboard_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    _adviser_only(request)
    form = _filter_form(request)
    if form.errors:
        # Not a file of something other than what was asked for: back to the page, which
        # says what it ignored.
        return redirect(f"{reverse('reports:adviser_dashboard')}?{request.GET.urlencode()}")
    data = _dashboard(request, form, all_rows=True)
    table = exports.dashboard_table(data, _labels(_names()))
    response = _table_response(table, fmt, "planprofil-oversikt")
    services.audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        subject=f"oversikt.{fmt}: {len(data.rows)} municipalities",
    )
    return response


def _table_response(table: exports.Table, fmt: str, stem: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(table, title="Planprofil"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def dashboard_json(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Read-only, authenticated: the dashboard as data, for advisers' own analyses."""
    if request.method != "GET":
        return JsonResponse({"error": "read-only"}, status=405)
    if not can_compare(request.user):
        return JsonResponse({"error": "forbidden"}, status=403)
    form = _filter_form(request)
    if form.errors:
        return JsonResponse(
            {
                "error": "invalid query parameters",
                "fields": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
            },
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    data = _dashboard(request, form, all_rows=True)
    response = JsonResponse(
        {
            "count": data.total,
            "municipalities": [
                {
                    "number": r.number,
                    "name": r.name,
                    "county": r.county,
                    "population": r.population,
                    "assessment_id": r.assessment_id,
                    "period": r.period,
                    "round": str(r.round_label),
                    "closed_at": r.closed_at.isoformat() if r.closed_at else None,
                    "rounds": r.rounds,
                    "overall": r.overall,
                    "completeness": r.completeness,
                    "dimensions": r.dimensions,
                    "themes": r.themes,
                }
                for r in data.rows
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    # A file to save, not a page: the link on the dashboard downloads it.
    response["Content-Disposition"] = 'attachment; filename="planprofil-oversikt.json"'
    return response


# --- compare ---------------------------------------------------------------------------


def _compare_data(request: AuthenticatedHttpRequest) -> tuple[list, list[tuple[str, str]], str]:
    numbers = CompareForm(request.GET).numbers()[: MAX_COMPARE + 1]
    rounds = comparison.latest_shared_rounds(request.user, numbers)
    error = ""
    if len(numbers) > MAX_COMPARE:
        error = _("Choose at most %(n)s municipalities.") % {"n": MAX_COMPARE}
        rounds = []
    elif len(rounds) < 2:
        error = _("Choose between two and six municipalities with shared results.")
    names = _names()
    dimension_keys, theme_keys = comparison.bank_keys()
    rows = [(k, names.get(k, k)) for k in (*dimension_keys, *theme_keys)]
    return rounds, rows, error


@login_required
def compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    _adviser_only(request)
    for problem in CompareForm(request.GET).ignored():
        messages.warning(request, problem)
    rounds, rows, error = _compare_data(request)
    columns = _columns(rounds)
    dimension_keys, _themes = comparison.bank_keys()
    context = {
        "rounds": rounds,
        "error": error if request.GET.getlist("m") else "",
        "table": exports.compare_table(columns, rows, _("Dimension or theme")),
        "chart": charts.compare_svg(
            [name for name, _ in columns],
            [
                (label, [scores.get(key) for _, scores in columns])
                for key, label in rows
                if key in dimension_keys
            ],
        )
        if len(rounds) >= 2
        else "",
        "choices": adviser_municipalities(request.user)
        .filter(assessments__in=shared_assessments(request.user))
        .distinct()
        .order_by("name"),
        "chosen": {a.municipality_id for a in rounds},
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/advisers/compare.html", context)


def _columns(rounds) -> list[tuple[str, dict[str, float | None]]]:
    return [
        (a.municipality.name, scores)
        for a, scores in zip(rounds, comparison.round_scores(rounds), strict=True)
    ]


@login_required
def compare_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    _adviser_only(request)
    rounds, rows, _error = _compare_data(request)
    columns = _columns(rounds)
    table = exports.compare_table(columns, rows, _("Dimension or theme"))
    response = _table_response(table, fmt, "planprofil-sammenligning")
    services.audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        subject=f"sammenligning.{fmt}: {', '.join(a.municipality_id for a in rounds)}",
    )
    return response


# --- one municipality over time ------------------------------------------------------


@login_required
def municipality(request: HttpRequest, number: str) -> HttpResponse:
    """Rounds over time. Coordinators see all their closed rounds; advisers the shared ones
    of municipalities in their scope."""
    if not MUNICIPALITY_NUMBER_RE.fullmatch(number):
        raise Http404
    place = get_object_or_404(Municipality, number=number)
    if is_coordinator(request.user, place):
        rounds = place.assessments.all()
    elif adviser_municipalities(request.user).filter(pk=place.pk).exists():
        rounds = shared_assessments(request.user).filter(municipality=place)
    else:
        raise Http404
    recorded = comparison.trend_rounds(rounds)
    if not recorded:
        raise Http404
    names = _names()
    dimension_keys, theme_keys = comparison.bank_keys()
    # Every round in the terms of the latest round's bank (its declared version mapping),
    # listed in that bank's order.
    latest_bank = comparison.bank_of_version(recorded[-1].bank_version)
    trend = [comparison.in_terms_of(latest_bank, r) for r in recorded]
    order = [t.key for t in latest_bank.themes] if latest_bank else theme_keys
    keys = comparison.comparable_theme_keys(trend, order)
    pairs = comparison.cross_version_pairs(latest_bank, recorded)
    # A theme of an earlier version that a newer theme is compared with is not "left out".
    mapped_from = {old for _new, olds in pairs for old in olds.split(", ")}
    dropped = {k for r in recorded for k in r.themes} - set(keys) - mapped_from
    rows = []
    for key in keys:
        values = [r.themes.get(key) for r in trend]
        rows.append(
            {"key": key, "name": names.get(key, key), "values": values, "change": _change(values)}
        )
    latest = trend[-1]
    round_names = [f"{r.period} {r.label}" for r in trend]
    series = [
        (_("Overall"), [r.overall for r in trend]),
        *[(names.get(k, k), [r.dimensions.get(k) for r in trend]) for k in dimension_keys],
    ]
    benchmark = comparison.peer_benchmark(
        rounds.get(pk=latest.assessment_id), group=request.GET.get("peers", "band")
    )
    context = {
        "place": place,
        "trend": trend,
        "rows": rows,
        "versions": sorted({r.bank_version for r in trend}),
        "dropped": sorted(names.get(k, k) for k in dropped),
        "mapped": [
            (names.get(new, new), ", ".join(names.get(o, o) for o in olds.split(", ")))
            for new, olds in pairs
        ],
        "overall_change": display_change(trend[-2].overall, trend[-1].overall)
        if len(trend) >= 2
        else None,
        "benchmark": benchmark,
        "benchmark_rows": _benchmark_rows(benchmark, latest, names, dimension_keys, theme_keys)
        if benchmark
        else [],
        "peers": request.GET.get("peers", "band"),
        "trend_chart": charts.trend_svg(round_names, series, chart_id="trend-chart"),
        "trend_series": [
            {"name": name, "values": values, "change": _change(values)} for name, values in series
        ],
        "is_adviser": can_compare(request.user),
    }
    return render(request, "reports/advisers/municipality.html", context)


def _change(values: list[float | None]) -> int | None:
    """The change since the round before, from the shown figures (display_change)."""
    return display_change(values[-2], values[-1]) if len(values) >= 2 else None


def _benchmark_rows(benchmark, latest, names, dimension_keys, theme_keys) -> list[dict[str, Any]]:
    """Dimensions, then themes, in the bank's order (JSON objects keep none in PostgreSQL)."""
    rows = []
    for key, own, quartiles in [
        *[(k, latest.dimensions.get(k), benchmark.dimensions.get(k)) for k in dimension_keys],
        *[(k, latest.themes.get(k), benchmark.themes.get(k)) for k in theme_keys],
    ]:
        if quartiles is not None:
            rows.append(
                {
                    "name": names.get(key, key),
                    "own": own,
                    "q": quartiles,
                    "is_dimension": key in dimension_keys,
                }
            )
    return rows


# --- batch PDF export ----------------------------------------------------------------


@login_required
@require_POST
def export_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    _adviser_only(request)
    numbers = CompareForm(request.POST).numbers()[:400]
    visible = {a.municipality_id for a in comparison.latest_shared_rounds(request.user, numbers)}
    numbers = [n for n in numbers if n in visible]
    if not numbers:
        return redirect("reports:adviser_dashboard")
    export = ReportExport.objects.create(
        requested_by=request.user, numbers=numbers, total=len(numbers)
    )
    export_reports.enqueue(str(export.pk))
    services.audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        subject=f"PDF batch: {len(numbers)} municipalities",
    )
    return redirect("reports:adviser_export", pk=export.pk)


def _own_export(request: HttpRequest, pk) -> ReportExport:
    _adviser_only(request)
    return get_object_or_404(ReportExport, pk=pk, requested_by=request.user)


@login_required
def export_status(request: HttpRequest, pk) -> HttpResponse:
    export = _own_export(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": export.status, "done": export.done, "total": export.total})
    return render(request, "reports/advisers/export.html", {"export": export})


@login_required
def export_download(request: HttpRequest, pk) -> FileResponse:
    export = _own_export(request, pk)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404
    return FileResponse(
        export_storage().open(export.file, "rb"),  # FileResponse closes it
        as_attachment=True,
        filename="planprofil-rapporter.zip",
        content_type="application/zip",
    )
