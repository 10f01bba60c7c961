"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py` from the project root.

The access log never shows a respondent key: request line, path, query, referer and every
other field of a line are redacted the same way as Django's logs (config/logging.py).
"""

import os

from gunicorn.glogging import Logger

from config.logging import (
    RedactRespondentKeysFilter,
    TruncateFilter,
    cap,
    max_chars_from_env,
    redact,
)

wsgi_app = "config.wsgi:application"
# Processes, not threads: PDF rendering is CPU-bound and shares one font cache per process.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Recycle workers now and then, so a slow leak cannot grow without bound; the jitter keeps
# them from all restarting at once.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger with respondent keys redacted from access and error lines."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactRespondentKeysFilter) for f in handler.filters):
                    handler.addFilter(RedactRespondentKeysFilter())
                    handler.addFilter(TruncateFilter())

    def atoms(self, resp, req, environ, request_time):
        limit = max_chars_from_env()
        return {
            key: cap(redact(value), limit) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = RedactingLogger
