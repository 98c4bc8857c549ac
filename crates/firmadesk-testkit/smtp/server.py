"""A real SMTP server on loopback for FirmaDesk's tests: aiosmtpd (Debian's python3-aiosmtpd).

STARTTLS required (or TLS from the first byte with --implicit-tls), AUTH PLAIN/LOGIN required and only
over TLS, with the given login and password. Each message accepted is written as <n>.eml in the output
folder, and each of its attachments as <n>-<file name>. Prints "READY" once listening; stops when its
standard input closes.

usage: server.py PORT CERT_PEM KEY_PEM OUT_DIR LOGIN PASSWORD [--implicit-tls]
"""
import email
import email.policy
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    port, cert, key, out, login, password = sys.argv[1:7]
    implicit = "--implicit-tls" in sys.argv[7:]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == login
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok)

    class Keep:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Keep.count += 1
            n = Keep.count
            with open(os.path.join(out, f"{n}.eml"), "wb") as f:
                f.write(envelope.content)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            for part in message.iter_attachments():
                name = os.path.basename(part.get_filename() or "attachment")
                with open(os.path.join(out, f"{n}-{name}"), "wb") as f:
                    f.write(part.get_content())
            return "250 Message accepted for delivery"

    options = dict(
        hostname="127.0.0.1",
        port=int(port),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    if implicit:
        controller = Controller(Keep(), ssl_context=context, **options)
    else:
        controller = Controller(Keep(), tls_context=context, require_starttls=True, **options)
    controller.start()
    print("READY", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
