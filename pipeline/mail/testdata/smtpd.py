"""A real SMTP server for offshore's mail tests (aiosmtpd).

It listens on 127.0.0.1 at a port the system chooses, prints
"listening <port>" on stdout once it accepts connections, and exits when
its stdin closes (the Go test that started it has ended).

Each DATA is one attempt, logged as a line of <dir>/attempts.log: the code
answered and the recipients. The answer is, in this order:
  - the first line of <dir>/reply when that file exists (the test changes
    the server's mind while it runs), such as "550 5.1.1 No such mailbox";
  - "451 4.3.0 Try again later" for the first --fail attempts;
  - "250 OK", after saving the message as <dir>/msg-<n>.eml (the bytes
    received) and <dir>/msg-<n>.json (the envelope), written under a
    temporary name and renamed, so that a reader sees whole files only.

Options: --tls starttls|tls with --cert and --key (PEM files); --user and
--password to require AUTH (PLAIN or LOGIN).
"""

import argparse
import asyncio
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, folder, fail):
        self.folder = folder
        self.fail = fail
        self.attempts = 0
        self.saved = 0

    def reply(self):
        try:
            with open(os.path.join(self.folder, "reply"), encoding="utf-8") as f:
                line = f.readline().strip()
                if line:
                    return line
        except FileNotFoundError:
            pass
        if self.attempts <= self.fail:
            return "451 4.3.0 Try again later"
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        answer = self.reply()
        with open(os.path.join(self.folder, "attempts.log"), "a", encoding="utf-8") as log:
            log.write("%s %s\n" % (answer[:3], ",".join(envelope.rcpt_tos)))
        if not answer.startswith("250"):
            return answer
        self.saved += 1
        base = os.path.join(self.folder, "msg-%03d" % self.saved)
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".json.tmp", base + ".json")
        os.rename(base + ".eml.tmp", base + ".eml")
        return answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--tls", choices=["", "starttls", "tls"], default="")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--user")
    ap.add_argument("--password")
    a = ap.parse_args()

    context = None
    if a.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(a.cert, a.key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    handler = Handler(a.dir, a.fail)
    kwargs = {"enable_SMTPUTF8": True}
    if a.user:
        kwargs.update(authenticator=authenticate, auth_required=True,
                      auth_require_tls=bool(a.tls))
    if a.tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="offshore-test", **kwargs),
        host="127.0.0.1", port=0, ssl=context if a.tls == "tls" else None))
    port = server.sockets[0].getsockname()[1]

    def watch_stdin():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("listening %d" % port, flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
