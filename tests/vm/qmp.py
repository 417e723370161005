#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Send QMP commands to a QEMU monitor socket, one at a time.

    qmp.py [--timeout SECS] SOCKET 'JSON-COMMAND' ...

Prints each reply; exits 1 on the first error reply, 2 on timeout or a
closed socket.  Asynchronous events are skipped.
"""
import json
import socket
import sys


def main() -> int:
    args = sys.argv[1:]
    timeout = 600.0
    if len(args) >= 2 and args[0] == "--timeout":
        timeout = float(args[1])
        args = args[2:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(args[0])
    stream = sock.makefile("rwb")

    def reply() -> dict:
        while True:
            line = stream.readline()
            if not line:
                raise EOFError("QMP socket closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    try:
        reply()  # greeting
        for cmd in ['{"execute": "qmp_capabilities"}'] + args[1:]:
            stream.write(cmd.encode() + b"\n")
            stream.flush()
            msg = reply()
            print(json.dumps(msg))
            if "error" in msg:
                return 1
    except (OSError, EOFError, socket.timeout) as e:
        print(f"qmp.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
