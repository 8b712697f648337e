"""HTTPS on loopback with certificates made for the test: good, expired, wrong host, self-signed.

A test CA signs the good, expired and wrong-host certificates; the crawler
trusts it through ``SSL_CERT_FILE`` (OpenSSL's default verify paths), so each
failure is exactly the one named, not a generic "unknown issuer".
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.server import LocalServer, _Server

NOW = dt.datetime.now(dt.timezone.utc)
LOOPBACK = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject: str, key, issuer: str, issuer_key, *, san, start, end, ca=False) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if san is not None:
        builder = builder.add_extension(san, critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, cert: x509.Certificate, key) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return path


def make_certificates(folder: Path) -> dict[str, Path]:
    """PEM files (certificate + key) per case, and ``ca`` to trust."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    year = dt.timedelta(days=365)
    ca = _cert("citecheck test CA", ca_key, "citecheck test CA", ca_key, san=None, start=NOW - year,
               end=NOW + year, ca=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cases = {
        "good": dict(issuer_key=ca_key, issuer="citecheck test CA", san=LOOPBACK, start=NOW - year, end=NOW + year),
        "expired": dict(issuer_key=ca_key, issuer="citecheck test CA", san=LOOPBACK,
                        start=NOW - 3 * year, end=NOW - 2 * year),
        "wrong_host": dict(issuer_key=ca_key, issuer="citecheck test CA", start=NOW - year, end=NOW + year,
                           san=x509.SubjectAlternativeName([x509.DNSName("elsewhere.example")])),
        "self_signed": dict(issuer_key=None, issuer="127.0.0.1", san=LOOPBACK, start=NOW - year, end=NOW + year),
    }
    paths = {"ca": folder / "ca.pem"}
    for case, spec in cases.items():
        key = ec.generate_private_key(ec.SECP256R1())
        issuer_key = spec.pop("issuer_key") or key
        paths[case] = _write(folder / f"{case}.pem", _cert("127.0.0.1", key, issuer_key=issuer_key, **spec), key)
    return paths


class TLSServer(LocalServer):
    """The standard test routes over HTTPS with the given certificate."""

    def __init__(self, pem: Path, routes=None):
        super().__init__(routes)
        self.pem = pem

    def start(self) -> TLSServer:
        self._server = _Server(self._routes, self._requests, self._lock)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.pem)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def url(self, path: str = "/") -> str:
        return "https" + super().url(path)[len("http"):]
