"""Request guards that belong before any view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RefuseNulMiddleware:
    """A NUL character in a URL path is never a real address, and PostgreSQL refuses it in any
    query ("A string literal cannot contain NUL"), which would surface as a 500 from whichever
    view's URL parameter got it. Refuse it once, here, with a 400. (Query strings and form data
    go through Django forms, which refuse NUL with a message next to the field.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)
