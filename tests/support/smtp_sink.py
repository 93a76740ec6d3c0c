#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd) on 127.0.0.1, a free port.

Prints "listening PORT" once it accepts connections, then one JSON line per message received:
{"from", "to", "data", "tls", "login"}. With --tlscert/--tlskey it offers STARTTLS and requires
it before anything else; with --login USER --password PW it requires AUTH (PLAIN or LOGIN) with
those credentials, only over TLS. Stops when stdin closes (the test process ended).
"""
import argparse
import asyncio
import json
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    async def handle_DATA(self, server, session, envelope):
        login = getattr(session.auth_data, "login", None)
        if isinstance(login, bytes):
            login = login.decode("utf-8", "replace")
        print(json.dumps({
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "data": envelope.content.decode("utf-8", "replace"),
            "tls": session.ssl is not None,
            "login": login,
        }), flush=True)
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tlscert")
    p.add_argument("--tlskey")
    p.add_argument("--login")
    p.add_argument("--password")
    a = p.parse_args()

    context = None
    if a.tlscert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.tlscert, a.tlskey)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == (a.login or "").encode()
              and auth_data.password == (a.password or "").encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        kwargs = dict(hostname="localhost", tls_context=context,
                      require_starttls=context is not None)
        if a.login:
            kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=True)
        return SMTP(Sink(), **kwargs)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)

    def wait_for_stdin_eof():
        sys.stdin.read()
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=wait_for_stdin_eof, daemon=True).start()
    loop.run_forever()


if __name__ == "__main__":
    main()
