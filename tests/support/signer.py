"""A WACZ signer on 127.0.0.1 with a local key, speaking authsign's ``POST /sign`` protocol.

py-wacz (``wacz create --signing-url``) posts ``{"hash", "created"}`` and keeps the JSON it
gets back as ``signedData``. This one answers in the WACZ 1.1 form for a key without a
domain certificate: ``publicKey`` (base64 DER SubjectPublicKeyInfo, ECDSA P-384) and
``signature`` (base64 DER ECDSA/SHA-256 over the ``hash`` string), as ArchiveWeb.page signs.
``POST /verify`` answers 200 for a ``signedData`` this key signed, else 400.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

TOKEN = "test-token"


def verify(signed: dict) -> bool:
    """Does ``signature`` sign ``hash`` with ``publicKey``?"""
    key = serialization.load_der_public_key(base64.b64decode(signed["publicKey"]))
    try:
        key.verify(base64.b64decode(signed["signature"]), signed["hash"].encode(), ec.ECDSA(hashes.SHA256()))
    except Exception:  # cryptography's InvalidSignature, or a malformed one  # noqa: BLE001
        return False
    return True


def sign_elsewhere(digest: dict) -> dict:
    """``datapackage-digest.json`` with its signature forged: made by another key, claiming the signer's."""
    forger = ec.generate_private_key(ec.SECP384R1())
    signature = forger.sign(digest["hash"].encode(), ec.ECDSA(hashes.SHA256()))
    return {**digest, "signedData": {**digest["signedData"], "signature": base64.b64encode(signature).decode()}}


@contextlib.contextmanager
def signer():
    """Yields the /sign URL (``Authorization: bearer test-token``); ``/verify`` beside it checks a
    ``signedData`` made with this signer's key, as authsign's verifier API does."""
    key = ec.generate_private_key(ec.SECP384R1())
    public = base64.b64encode(key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path == "/verify":  # authsign's verify API, as `wacz validate --verifier-url` calls it
                if not verify(request) or request.get("publicKey") != public:
                    self.send_error(400)
                    return
                body = json.dumps({"observer": "citecheck tests", "timestamp": request["created"]}).encode()
            elif self.path == "/sign" and self.headers.get("Authorization") == f"bearer {TOKEN}":
                signature = key.sign(request["hash"].encode(), ec.ECDSA(hashes.SHA256()))
                body = json.dumps({"hash": request["hash"], "created": request["created"],
                                   "software": "citecheck tests", "publicKey": public,
                                   "signature": base64.b64encode(signature).decode()}).encode()
            else:
                self.send_error(403)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sign"
    finally:
        server.shutdown()
        server.server_close()
