"""An invitation's token never reaches gunicorn's access log (mim/web/access_log.py): the
line is written by gunicorn's own logger, as in production, to a file."""

import datetime as dt
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from mim.accounts.services import invitation_path
from mim.web.access_log import HIDDEN, AccessLogger

pytestmark = pytest.mark.django_db


def _line(tmp_path, path: str, query: str = "", referer: str = "-") -> str:
    log = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log))
    config.set("access_log_format", '%(h)s "%(r)s" %(U)s %(q)s %(s)s "%(f)s"')
    logger = AccessLogger(config)
    uri = f"{path}?{query}" if query else path
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": uri, "PATH_INFO": path,
               "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "192.0.2.1", "HTTP_REFERER": referer}
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    logger.close_on_exec()
    for handler in logger.access_log.handlers:
        handler.flush()
    return log.read_text()


def test_it_writes_no_invitation_token_into_the_access_log(world, tmp_path):
    path = invitation_path(world.funder)  # the link as the invitation mail holds it
    token = path.rstrip("/").rsplit("/", 1)[1]
    line = _line(tmp_path, path, query=f"next={path}", referer=f"https://mim.example{path}")
    assert token not in line
    assert line.count(HIDDEN) == 5  # request line (twice: path and query), path, query, referrer
    assert '"GET /inloggen/uitnodiging/' in line and " 302 " in line


def test_it_keeps_every_other_path_as_it_was(tmp_path):
    for path in ("/inloggen/uitnodiging/MQ/set-password/", "/registratie/moeders/site-a/12/",
                 "/inloggen/"):
        line = _line(tmp_path, path)
        assert f'"GET {path} HTTP/1.1"' in line and HIDDEN not in line
