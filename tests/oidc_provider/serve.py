"""Run the test OpenID provider: migrate its database, add the seeded users and client, serve.

    python -m tests.oidc_provider.serve SEED.json

SEED.json: {"users": [{"username", "password", "email", "first_name", "last_name",
                       "groups": [...]}, ...],
            "client": {"client_id", "client_secret", "redirect_uri", "skip_authorization"}}

Serves on a free port of 127.0.0.1 (the standard library's WSGI server, a thread per
request) and prints ``listening on <port>`` once it accepts connections. Stops on SIGTERM.
"""

import json
import os
import signal
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def log_message(self, format, *args):  # one line per request on stderr, for debugging
        sys.stderr.write(f"provider: {format % args}\n")


def _seed(seed: dict) -> None:
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    for spec in seed["users"]:
        user = User.objects.create_user(
            spec["username"],
            spec["email"],
            spec["password"],
            first_name=spec.get("first_name", ""),
            last_name=spec.get("last_name", ""),
        )
        for name in spec.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = seed["client"]
    Application.objects.create(
        name="Planprofil",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=client.get("skip_authorization", False),
    )


def main(seed_file: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _seed(json.loads(Path(seed_file).read_text()))

    server = make_server(
        "127.0.0.1", 0, WSGIHandler(), server_class=_ThreadingWSGIServer, handler_class=_Handler
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on {server.server_port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv[1])
