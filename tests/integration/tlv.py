#!/usr/bin/env python3
"""An independent OMA LwM2M TLV decoder for the integration tests.

Usage: tlv.py BASE_PATH < payload
Prints one line per value: "PATH HEX", e.g. "/3/0/0 5465726e". Exits 1
on a malformed payload. Written from the TS (6.4.3), not from Tern's C
decoder, so the two check each other.
"""
import sys


def records(data):
    i = 0
    while i < len(data):
        t = data[i]
        kind = t >> 6
        id_len = 2 if t & 0x20 else 1
        len_type = (t >> 3) & 3
        i += 1
        if i + id_len > len(data):
            raise ValueError("identifier runs past the end")
        ident = int.from_bytes(data[i:i + id_len], "big")
        i += id_len
        if len_type == 0:
            length = t & 7
        else:
            if i + len_type > len(data):
                raise ValueError("length runs past the end")
            length = int.from_bytes(data[i:i + len_type], "big")
            i += len_type
        if i + length > len(data):
            raise ValueError("value runs past the end")
        yield kind, ident, data[i:i + length]
        i += length


def walk(data, prefix, out):
    for kind, ident, value in records(data):
        path = prefix + [ident]
        if kind in (0, 2):  # object instance, multiple resource
            walk(value, path, out)
        else:
            out.append(("/" + "/".join(str(p) for p in path), value.hex()))


def main():
    base = [int(p) for p in sys.argv[1].strip("/").split("/") if p]
    data = sys.stdin.buffer.read()
    # resources of an instance read, or instances of an object read
    prefix = base if len(base) >= 2 else base
    out = []
    try:
        if len(base) == 3:
            prefix = base[:2]
        elif len(base) == 4:
            prefix = base[:3]
        walk(data, prefix, out)
    except ValueError as e:
        print("malformed TLV: %s" % e, file=sys.stderr)
        sys.exit(1)
    for path, hexval in out:
        print(path, hexval)


if __name__ == "__main__":
    main()
