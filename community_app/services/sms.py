"""Sending text messages (短信): one small interface, one backend chosen by ``SMS_BACKEND``.

- ``console`` (the default outside production): the message goes to the application log,
  with the mobile masked; nothing else (no cookie, no token) is logged with it. When
  ``SMS_OUTBOX_FILE`` is set (the browser tests set it; production refuses it), each message
  is also appended to that file as one JSON line, so the tests can read the code a resident
  would have received.
- ``package.module:ClassName``: a provider adapter (阿里云短信, 腾讯云短信, an operator's
  gateway ...). The class is built with no arguments (it reads its own credentials from the
  environment) and implements ``SmsSender.send``. It must raise ``SmsError`` when the provider
  refuses, and never log the message text.

    class AliyunSender:
        def __init__(self):
            self.key = os.environ["ALIYUN_SMS_KEY"]; ...
        def send(self, mobile: str, message: SmsMessage) -> None:
            # template id + {"code": message.code}; raise SmsError on failure
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from community_app.settings import get_settings

log = logging.getLogger("community_app.sms")
_outbox_lock = threading.Lock()


class SmsError(Exception):
    """The provider did not take the message."""


@dataclass(frozen=True)
class SmsMessage:
    text: str  # the full text, for a gateway that sends free text
    code: str = ""  # the one-time code, for a provider that fills a registered template
    purpose: str = ""


class SmsSender(Protocol):
    def send(self, mobile: str, message: SmsMessage) -> None: ...


def mask(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) >= 7 else "****"


class ConsoleSender:
    """Development and tests: the message in the log (mobile masked), and in the outbox file
    when ``SMS_OUTBOX_FILE`` is set."""

    def send(self, mobile: str, message: SmsMessage) -> None:
        log.warning("SMS to %s: %s", mask(mobile), message.text)
        outbox = get_settings().sms_outbox_file
        if outbox:
            line = json.dumps({"mobile": mobile, "code": message.code, "purpose": message.purpose},
                              ensure_ascii=False)
            with _outbox_lock:
                fd = os.open(outbox, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                with os.fdopen(fd, "a", encoding="utf-8") as f:
                    f.write(line + "\n")


@cache
def _load(spec: str) -> SmsSender:
    if spec in ("", "console"):
        return ConsoleSender()
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise RuntimeError(f"SMS_BACKEND must be 'console' or 'package.module:ClassName', not {spec!r}")
    sender = getattr(importlib.import_module(module_name), class_name)()
    if not callable(getattr(sender, "send", None)):
        raise RuntimeError(f"SMS_BACKEND {spec!r} has no send(mobile, message) method")
    return sender


def get_sender() -> SmsSender:
    return _load(get_settings().sms_backend)
