#!/usr/bin/env python3
"""A minimal CoAP observer for the end-to-end tests, written from RFC 7252
and RFC 7641 and independent of Tern and libcoap: it checks that a client
ends an observation on a GET with Observe=1 (Cancel Observation).

Usage: coap_observe.py HOST PORT PATH QUIET_SECONDS
  1. GET PATH with Observe=0       -> prints "observing CODE observe=N 'PAYLOAD'"
  2. waits up to 20 s for one notification, ACKs it if confirmable
                                   -> prints "notified observe=N 'PAYLOAD'"
  3. GET PATH with Observe=1, same token
                                   -> prints "cancelled CODE observe=N|none 'PAYLOAD'"
  4. listens QUIET_SECONDS; every message with the token is printed
     ("late ...") and answered with RST
                                   -> prints "done late=COUNT"
Exits 0 after step 4, 1 on a timeout or a malformed message.
"""
import os
import select
import socket
import struct
import sys
import time

CON, NON, ACK, RST = 0, 1, 2, 3
OPT_OBSERVE, OPT_URI_PATH = 6, 11


def say(*words):
    print(*words, flush=True)


def code_text(code):
    return "%d.%02d" % (code >> 5, code & 31)


def encode_option(delta, value):
    def nibble(n):
        if n < 13:
            return n, b""
        if n < 269:
            return 13, bytes([n - 13])
        return 14, struct.pack(">H", n - 269)
    d, dext = nibble(delta)
    l, lext = nibble(len(value))
    return bytes([(d << 4) | l]) + dext + lext + value


def request(mid, token, path, observe):
    msg = bytes([0x40 | len(token), 1]) + struct.pack(">H", mid) + token
    msg += encode_option(OPT_OBSERVE, b"" if observe == 0 else bytes([observe]))
    last = OPT_OBSERVE
    for seg in path.strip("/").split("/"):
        msg += encode_option(OPT_URI_PATH - last, seg.encode())
        last = OPT_URI_PATH
    return msg


def parse(data):
    """(type, code, mid, token, {option: [values]}, payload)"""
    if len(data) < 4 or data[0] >> 6 != 1:
        raise ValueError("not a CoAP message")
    mtype, tkl = (data[0] >> 4) & 3, data[0] & 15
    code, mid = data[1], struct.unpack(">H", data[2:4])[0]
    token, i, number, options = data[4:4 + tkl], 4 + tkl, 0, {}
    while i < len(data) and data[i] != 0xFF:
        delta, length = data[i] >> 4, data[i] & 15
        i += 1
        for which in (0, 1):
            n = delta if which == 0 else length
            if n == 13:
                n, i = data[i] + 13, i + 1
            elif n == 14:
                n, i = struct.unpack(">H", data[i:i + 2])[0] + 269, i + 2
            elif n == 15:
                raise ValueError("reserved option nibble")
            if which == 0:
                delta = n
            else:
                length = n
        number += delta
        options.setdefault(number, []).append(data[i:i + length])
        i += length
    payload = data[i + 1:] if i < len(data) else b""
    return mtype, code, mid, token, options, payload


def observe_of(options):
    if OPT_OBSERVE not in options:
        return "none"
    return str(int.from_bytes(options[OPT_OBSERVE][0], "big"))


def main():
    host, port, path, quiet = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.connect((host, port))
    token = os.urandom(8)
    mid = struct.unpack(">H", os.urandom(2))[0]

    def receive(deadline):
        """The next message for our token (ACKing confirmable ones), or None."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                return None
            m = parse(sock.recv(2048))
            if m[3] == token:
                return m

    def ack(m, kind=ACK):
        if m[0] == CON:
            sock.send(bytes([0x40 | (kind << 4), 0]) + struct.pack(">H", m[2]))

    def exchange(observe, label):
        nonlocal mid
        mid = (mid + 1) & 0xFFFF
        msg = request(mid, token, path, observe)
        deadline = time.monotonic() + 20
        for attempt in range(5):  # retransmit as RFC 7252 4.2, roughly
            sock.send(msg)
            m = receive(min(deadline, time.monotonic() + 2.0 * (attempt + 1)))
            while m is not None and observe == 1 and m[0] != ACK and OPT_OBSERVE in m[4]:
                ack(m)  # a notification sent before the client saw the cancel
                m = receive(min(deadline, time.monotonic() + 2.0 * (attempt + 1)))
            if m is not None and m[1] >> 5 != 0 and (m[0] == ACK and m[2] == mid or m[0] != ACK):
                ack(m)
                say(label, code_text(m[1]), "observe=" + observe_of(m[4]), repr(m[5].decode(errors="replace")))
                return
        say("timeout waiting for the response to", label)
        sys.exit(1)

    exchange(0, "observing")
    m = receive(time.monotonic() + 20)
    if m is None:
        say("timeout waiting for a notification")
        sys.exit(1)
    ack(m)
    say("notified", "observe=" + observe_of(m[4]), repr(m[5].decode(errors="replace")))
    exchange(1, "cancelled")
    late = 0
    deadline = time.monotonic() + quiet
    while True:
        m = receive(deadline)
        if m is None:
            break
        late += 1
        ack(m, RST)
        say("late", code_text(m[1]), "observe=" + observe_of(m[4]), repr(m[5].decode(errors="replace")))
    say("done late=%d" % late)


if __name__ == "__main__":
    main()
