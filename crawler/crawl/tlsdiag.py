"""Why a TLS handshake failed, in the words OpenSSL's verifier uses.

Twisted reports only "certificate verify failed"; an editor needs to know
whether the certificate expired, is self-signed or belongs to another host.
One handshake with Python's ``ssl`` (same trust store: OpenSSL's default
paths, ``SSL_CERT_FILE``) returns the verifier's own message.
"""

from __future__ import annotations

import socket
import ssl


def diagnose(host: str, port: int, timeout: float = 10.0) -> str | None:
    """The verification error for ``host:port``, or None when the handshake succeeds or cannot be made."""
    context = ssl.create_default_context()
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            with context.wrap_socket(sock, server_hostname=host):
                return None
    except ssl.SSLCertVerificationError as exc:
        return exc.verify_message or str(exc)
    except ssl.SSLError as exc:
        return exc.reason or str(exc)
    except OSError:
        return None
