#!/usr/bin/env python3
"""Milliseconds from exec to the first +PONG of a server: first-pong.py PORT COMMAND... (the command gets --port PORT).
Polls a connection every millisecond; fails (exit 1) if the server exits first or 60 s pass."""
import socket, subprocess, sys, time

port, cmd = int(sys.argv[1]), sys.argv[2:] + ["--port", sys.argv[1]]
t0 = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while True:
        if proc.poll() is not None:
            sys.exit(f"{cmd[0]} exited with {proc.returncode} before answering")
        if time.perf_counter() - t0 > 60:
            sys.exit(f"{cmd[0]} did not answer within 60 s")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.001)
    print(f"{(time.perf_counter() - t0) * 1000:.1f}")
finally:
    proc.terminate()
    proc.wait()
