"""gunicorn's access log without the secret of an invitation's link.

An invitation's link holds a token that sets the first password of an account that has none
yet (mim.accounts.services.invitation_path). gunicorn writes every request's path into its
access log, which operators read and often ship elsewhere: whoever reads the line before the
invited coordinator follows her link could choose her password. The token is replaced by
`[verborgen]` in every part of the line (request line, path, query, headers such as the
referrer); Django's own stand-in after the first visit, "set-password", is no secret and stays.

Used as `gunicorn --logger-class mim.web.access_log.AccessLogger` (docs/deployment.md). It
imports no Django: gunicorn loads it in its master process, before the application."""

import re

from gunicorn.glogging import Logger

HIDDEN = "[verborgen]"
# /inloggen/uitnodiging/<uidb64>/<token>/ (mim/accounts/urls.py; a test ties the two together)
_TOKEN = re.compile(r"(/inloggen/uitnodiging/[^/\s?#\"]*/)(?!set-password(?:[/?#\s\"]|$))"
                    r"[^/\s?#\"]+")


def redact(text: str) -> str:
    return _TOKEN.sub(lambda match: match[1] + HIDDEN, text)


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
