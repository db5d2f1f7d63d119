"""No secret in a log. Reflex logs the whole event of a handler it cannot find (its router
data holds the request headers, the Cookie header with the session token among them), and
a traceback or an access log line can carry a form's password or a hand-over code in a URL.
A log record factory, installed once at app start in every worker, scrubs the values of
cookies, tokens, passwords, codes, nonces and secrets from every record's message and
traceback before any handler formats it (whatever logger and handler it goes to)."""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_NAMES = (r"cookie|set-cookie|authorization|x-reflex-client-token|token|password|passwd|new_password|"
          r"new_password2|current_password|actor_password|password2|secret|code|nonce|linli_session|linli_nonce")
# 'cookie': 'a=b; c=d'   "password": "..."   (dict reprs and JSON)
_QUOTED = re.compile(r"""(?i)(['"]?\b(?:""" + _NAMES + r""")['"]?\s*[:=]\s*)(['"])(.*?)(?<!\\)\2""")
# linli_session=...  ?code=...  &token=...  (cookies, query strings, key=value logs)
_BARE = re.compile(r"""(?i)\b((?:""" + _NAMES + r""")=)([^\s&;,'"\])}]+)""")


def scrub(text: str) -> str:
    if not text:
        return text
    text = _QUOTED.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}{m.group(2)}", text)
    return _BARE.sub(lambda m: f"{m.group(1)}{REDACTED}", text)


_installed = False


def install() -> None:
    """Scrub every log record created from now on in this process (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()
    formatter = logging.Formatter()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: keep the record as it is
            return record
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(formatter.formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
