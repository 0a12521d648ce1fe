"""Hand one message to the mail server and say, per recipient, what it answered.

Django's `EmailMessage.send()` returns a count and drops what smtplib's
`sendmail()` returns: the recipients the server refused at RCPT. A message to
two officers, one of them refused with 451, counted as sent to both, and the
refused one was never retried. `transmit()` uses the SMTP backend's own
connection (so every `EMAIL_*` setting still applies) and returns an `Outcome`
per envelope recipient; other backends (console, locmem, file) accept or fail
as a whole.

What is permanent: a 5xx reply about a recipient (at RCPT) or about the message
itself (at DATA). Everything else is temporary, including a 5xx to MAIL FROM or
to the login: those say our sending is misconfigured, not that the recipient
will never take the message, and an operator who fixes the server runs
`send_reminders --retry-now`.
"""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

State = Literal["sent", "deferred", "refused"]


@dataclass(frozen=True)
class Outcome:
    """What became of one recipient's copy: `reply` is the server's words, or our error."""

    state: State
    reply: str = ""


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"[:1000]


def _by_code(code: int, text: bytes | str) -> Outcome:
    return Outcome("refused" if 500 <= code < 600 else "deferred", _reply(code, text))


def transmit(connection, message: EmailMessage) -> dict[str, Outcome]:
    """Send `message` to its recipients; {recipient as given: Outcome}.

    1. Not Django's SMTP backend: `send_messages()`, all or nothing.
    2. Open the connection if needed; a failure to connect or log in defers
       everyone (the recipients were never asked).
    3. `sendmail()` returns the refused recipients of a transaction that went
       through: those are refused or deferred by their code, the rest sent.
    4. `SMTPRecipientsRefused`: nobody got it (all refused, or a 421 cut the
       session mid-list); each listed address by its code, the others deferred.
    5. Any other reply error (`SMTPResponseException`): at DATA a 5xx refuses
       the message, anything else defers it; the connection is dropped if the
       server closed it (421). Disconnects and timeouts defer everyone: a
       server may have stored the message before the line dropped, which is
       the one case that gives a second copy (see docs/REMINDERS.md).
    """
    addresses = list(message.recipients())
    if not isinstance(connection, SMTPBackend):
        try:
            connection.send_messages([message])
        except Exception as exc:  # a backend of the console/file kind failing as a whole
            return dict.fromkeys(addresses, Outcome("deferred", f"{type(exc).__name__}: {exc}"))
        return dict.fromkeys(addresses, Outcome("sent"))

    encoding = message.encoding or settings.DEFAULT_CHARSET
    envelope = {sanitize_address(a, encoding): a for a in addresses}
    try:
        connection.open()
        refused = connection.connection.sendmail(
            sanitize_address(message.from_email, encoding),
            list(envelope),
            message.message().as_bytes(linesep="\r\n"),
        )
    except smtplib.SMTPRecipientsRefused as exc:
        _drop_if_closed(connection)
        told = {envelope[r]: _by_code(code, text) for r, (code, text) in exc.recipients.items()}
        unasked = Outcome("deferred", "Máy chủ thư ngắt phiên trước khi nhận địa chỉ này.")
        return {a: told.get(a, unasked) for a in addresses}
    except smtplib.SMTPDataError as exc:
        _drop_if_closed(connection)
        return dict.fromkeys(addresses, _by_code(exc.smtp_code, exc.smtp_error))
    except smtplib.SMTPResponseException as exc:  # MAIL FROM, AUTH: our side, not theirs
        _drop_if_closed(connection)
        return dict.fromkeys(addresses, Outcome("deferred", _reply(exc.smtp_code, exc.smtp_error)))
    except (OSError, smtplib.SMTPException) as exc:  # refused connection, timeout, disconnect
        with contextlib.suppress(Exception):
            connection.close()  # a broken session is reopened by the next send
        return dict.fromkeys(addresses, Outcome("deferred", f"{type(exc).__name__}: {exc}"))
    told = {envelope[r]: _by_code(code, text) for r, (code, text) in refused.items()}
    return {a: told.get(a, Outcome("sent")) for a in addresses}


def _drop_if_closed(connection: SMTPBackend) -> None:
    """smtplib closes the socket after a 421; forget it so that the next send reconnects."""
    smtp = connection.connection
    if smtp is not None and getattr(smtp, "sock", None) is None:
        connection.close()
