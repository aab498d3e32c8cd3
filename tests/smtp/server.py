"""A real SMTP server on loopback for quire's `mail` tests, built on aiosmtpd.

    python3 tests/smtp/server.py --maildir DIR [options]

It listens on 127.0.0.1 at a port the kernel picks, prints exactly one line,
`PORT <n>`, to stdout once it accepts connections, and serves until killed.
Nothing else is ever written to stdout; diagnostics go to stderr, and no
password is ever logged.

Every accepted message is stored in the Maildir DIR: written to DIR/tmp, then
renamed to DIR/new/<seq>.<pid>.quire-smtp (so names sort in arrival order),
holding exactly the message bytes the client sent (CRLF line ends, dot-stuffing
undone, no header added). One JSON line per stored message is appended to
DIR/log.jsonl:
    {"file", "mail_from", "rcpt_tos", "size", "tls", "auth_user", "dropped"}

Options:
    --starttls CERT KEY     offer STARTTLS and require it before MAIL (530)
    --implicit-tls CERT KEY TLS from the first byte (smtps, as on port 465)
    --auth USER PASSWORD    require AUTH PLAIN or LOGIN before MAIL (530);
                            wrong credentials get 535
    --exit-on-eof           exit when stdin reaches end of file (the Rust
                            harness holds the pipe: the server dies with it)
Faults, counted over all connections unless said otherwise:
    --fail-rcpt ADDR        RCPT TO:<ADDR> gets 550 5.1.1 (repeatable)
    --tempfail-mail N       the first N MAIL get 421 4.7.0 and the connection
                            is closed
    --max-per-connection K  after K stored messages on one connection, the
                            next MAIL gets 421 4.7.0 and the connection is
                            closed
    --tempfail-data N       the first N messages (end of DATA) get 451 4.3.0
                            and are not stored
    --drop-after-data N     the next N messages after those are answered by
                            closing the connection with no reply at all...
    --drop-stores           ...having stored them first (default: not stored)
    --delay-ms MS           wait MS after storing a message before its 250
"""

import argparse
import asyncio
import json
import logging
import os
import ssl
import sys
import threading
import warnings

from aiosmtpd.smtp import MISSING, SMTP, AuthResult


class Faults:
    """The fault-injection counters; asyncio runs one hook at a time, so no locks."""

    def __init__(self, args):
        self.fail_rcpt = {a.lower() for a in args.fail_rcpt}
        self.tempfail_mail = args.tempfail_mail
        self.tempfail_data = args.tempfail_data
        self.drop_after_data = args.drop_after_data
        self.drop_stores = args.drop_stores
        self.delay = args.delay_ms / 1000
        self.max_per_connection = args.max_per_connection


async def hang_up(server, reply=None):
    """Send `reply` (if any), close the connection and never return: closing the
    transport makes aiosmtpd cancel this session's task, so no reply follows."""
    if reply is not None:
        await server.push(reply)
        server.transport.close()  # flushes the reply first
    else:
        server.transport.abort()  # like a crash: no reply, no TLS close_notify
    await asyncio.Event().wait()


class Handler:
    """aiosmtpd hooks: each gets (server, session, envelope, ...) and returns
    the reply, or MISSING for aiosmtpd's default behaviour."""

    def __init__(self, maildir, faults):
        self.maildir = maildir
        self.faults = faults
        self.seq = 0  # messages stored so far

    async def handle_MAIL(self, server, session, envelope, address, options):
        f = self.faults
        if f.tempfail_mail > 0:
            f.tempfail_mail -= 1
            await hang_up(server, "421 4.7.0 too busy")
        stored = getattr(session, "stored", 0)
        if f.max_per_connection and stored >= f.max_per_connection:
            await hang_up(server, "421 4.7.0 too many messages on this connection")
        return MISSING

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in self.faults.fail_rcpt:
            return "550 5.1.1 mailbox unavailable"
        return MISSING

    async def handle_DATA(self, server, session, envelope):
        f = self.faults
        if f.tempfail_data > 0:
            f.tempfail_data -= 1
            return "451 4.3.0 try again later"
        if f.drop_after_data > 0:
            f.drop_after_data -= 1
            if f.drop_stores:
                self.store(server, session, envelope, dropped=True)
            await hang_up(server)
        self.store(server, session, envelope, dropped=False)
        session.stored = getattr(session, "stored", 0) + 1
        if f.delay:
            await asyncio.sleep(f.delay)
        return "250 2.0.0 OK: queued"

    def store(self, server, session, envelope, dropped):
        """Write the message into the Maildir (tmp, then an atomic rename into
        new) and append its line to log.jsonl."""
        self.seq += 1
        name = f"{self.seq:06d}.{os.getpid()}.quire-smtp"
        tmp = os.path.join(self.maildir, "tmp", name)
        with open(tmp, "wb") as out:
            out.write(envelope.original_content)
        os.rename(tmp, os.path.join(self.maildir, "new", name))
        auth = session.auth_data  # a LoginPassword after a successful AUTH
        entry = {
            "file": name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "size": len(envelope.original_content),
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": auth.login.decode("utf-8", "replace") if auth else None,
            "dropped": dropped,
        }
        with open(os.path.join(self.maildir, "log.jsonl"), "a") as log:
            log.write(json.dumps(entry) + "\n")


def tls_context(cert_key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(*cert_key)
    return ctx


def authenticator(user, password):
    """Accepts exactly USER / PASSWORD, for PLAIN and LOGIN alike."""
    want = (user.encode(), password.encode())

    def check(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == want
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--maildir", required=True)
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    tls.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    p.add_argument("--exit-on-eof", action="store_true")
    p.add_argument("--fail-rcpt", action="append", default=[], metavar="ADDR")
    p.add_argument("--tempfail-mail", type=int, default=0, metavar="N")
    p.add_argument("--max-per-connection", type=int, default=0, metavar="K")
    p.add_argument("--tempfail-data", type=int, default=0, metavar="N")
    p.add_argument("--drop-after-data", type=int, default=0, metavar="N")
    p.add_argument("--drop-stores", action="store_true")
    p.add_argument("--delay-ms", type=int, default=0, metavar="MS")
    return p.parse_args()


async def main():
    args = parse_args()
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
    handler = Handler(args.maildir, Faults(args))

    # aiosmtpd warns (on stderr) when AUTH is allowed without TLS; that is the
    # point of a `?tls=none` test, so keep stderr for real problems.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.basicConfig(stream=sys.stderr, level=logging.ERROR)

    def smtp():
        return SMTP(
            handler,
            hostname="localhost",
            enable_SMTPUTF8=True,
            tls_context=tls_context(args.starttls) if args.starttls else None,
            require_starttls=bool(args.starttls),
            authenticator=authenticator(*args.auth) if args.auth else None,
            auth_required=bool(args.auth),
            # aiosmtpd only counts STARTTLS as TLS: with implicit TLS (or none,
            # on loopback) AUTH must be allowed without it.
            auth_require_tls=bool(args.starttls),
            loop=asyncio.get_running_loop(),
        )

    implicit = tls_context(args.implicit_tls) if args.implicit_tls else None
    server = await asyncio.get_running_loop().create_server(
        smtp, host="127.0.0.1", port=0, ssl=implicit
    )
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)

    if args.exit_on_eof:
        def watch_stdin():
            sys.stdin.buffer.read()
            os._exit(0)

        threading.Thread(target=watch_stdin, daemon=True).start()

    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
