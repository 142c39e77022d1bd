"""`python -m kulti_sandbox --port 8000`: run the sandbox until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import uvicorn

from kulti_sandbox.app import build_sandbox, create_app
from kulti_sandbox.config import SandboxConfig
from kulti_sandbox.env_file import write_env_file
from kulti_sandbox.shapes import SHAPE_NAMES
from kulti_sandbox.faults import Faults, UnknownFault, parse_fault_arg

KEEP_ALIVE_S = 60


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kulti_sandbox", description=__doc__)
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to bind; 0 picks a free one (default 8000)")
    p.add_argument("--db", type=Path, help="SQLite file to use (default: a fresh temporary one)")
    p.add_argument("--env-file", type=Path, help="write the settings a suite needs to reach this sandbox here")
    p.add_argument("--fault", action="append", default=[], metavar="NAME[=VALUE]",
                   help="switch on a fault at start (repeatable); see kulti_sandbox/README.md")
    p.add_argument("--otp-cooldown", type=int, default=60, metavar="SECONDS",
                   help="minimum time between two OTP requests for one number (default 60)")
    p.add_argument("--otp-expiry", type=int, default=60, metavar="SECONDS", help="OTP lifetime (default 60)")
    p.add_argument("--test-otp", action="append", default=[], metavar="PHONE=CODE",
                   help="fixed OTP for a number, no SMS sent (like Supabase test phone numbers)")
    p.add_argument("--reserved-test-otp", metavar="CODE",
                   help="make the reserved test numbers Supabase test phone numbers with this fixed code (no "
                        "SMS sent), and say so in the env file (SMOKE_OTP_MODE=fixed): for scheduled runs")
    p.add_argument("--shape", default="runbook", metavar="NAME",
                   help="which Kulti to serve: runbook (default, the launch runbook's data-testid contract) "
                        "or kulti-2025-11 (the surface of the launched app)")
    p.add_argument("--client-nav", action="store_true",
                   help="runbook shape: links and the redirects after a form move client-side (history.pushState "
                        "and a fetch of the next page), as a single-page app's router does; the session room is "
                        "still a full page load. The kulti-2025-11 shape always moves so")
    p.add_argument("--camera-fps", type=int, default=30, metavar="N",
                   help="the frame rate both shapes' rooms ask the camera for (1-30, default 30): an app tuned for "
                        "low bandwidth; a lighter room for tests that do not judge the camera's rate")
    p.add_argument("--camera-size", default="960x540", metavar="WxH",
                   help="the picture size both shapes' rooms ask the camera for (default 960x540, up to 1920x1080): "
                        "a lighter room, as --camera-fps, for tests that do not judge the camera's picture")
    p.add_argument("--supabase-jwt-secret", metavar="SECRET",
                   help="sign the Supabase keys with this secret (32+ characters) instead of a random one, so "
                        "the anon and service-role keys are the same on every start")
    p.add_argument("--environment", default="sandbox", help="what /api/health reports as environment")
    p.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    return p.parse_args(argv)


def camera_size_from(arg: str, parser_error) -> tuple[int, int]:
    width, _, height = arg.partition("x")
    if not (width.isdigit() and height.isdigit() and 160 <= int(width) <= 1920 and 90 <= int(height) <= 1080):
        parser_error(f"--camera-size {arg!r}: expected WIDTHxHEIGHT from 160x90 to 1920x1080, e.g. 480x270")
    return int(width), int(height)


def config_from(args: argparse.Namespace, parser_error) -> tuple[SandboxConfig, Faults]:
    faults = Faults()
    for arg in args.fault:
        try:
            faults.set(*parse_fault_arg(arg))
        except UnknownFault as exc:
            parser_error(f"--fault: {exc}")
    test_otps = {}
    for arg in args.test_otp:
        phone, _, code = arg.partition("=")
        if not (phone.startswith("+") and phone[1:].isdigit() and len(code) == 6 and code.isdigit()):
            parser_error(f"--test-otp {arg!r}: expected +E164PHONE=6DIGITS, e.g. +15555550100=123456")
        test_otps[phone] = code
    reserved_code = args.reserved_test_otp
    if reserved_code is not None and not (len(reserved_code) == 6 and reserved_code.isdigit()):
        parser_error(f"--reserved-test-otp {reserved_code!r}: expected 6 digits")
    if args.shape not in SHAPE_NAMES:
        parser_error(f"--shape {args.shape!r}: expected one of {', '.join(SHAPE_NAMES)}")
    if args.client_nav and args.shape != "runbook":
        parser_error(f"--client-nav: only for --shape runbook; {args.shape} already moves client-side as the "
                     "launched app does")
    if not 1 <= args.camera_fps <= 30:
        parser_error(f"--camera-fps {args.camera_fps}: expected 1 to 30 frames a second")
    camera_size = camera_size_from(args.camera_size, parser_error)
    for name in ("otp_cooldown", "otp_expiry"):
        if getattr(args, name) < 0:
            parser_error(f"--{name.replace('_', '-')} must be 0 or more seconds")
    cfg = SandboxConfig(
        host=args.host, port=args.port, db_path=args.db, environment=args.environment, shape=args.shape,
        otp_cooldown_s=args.otp_cooldown, otp_expiry_s=args.otp_expiry, test_otps=test_otps,
        reserved_test_otp=reserved_code, client_nav=args.client_nav, camera_fps=args.camera_fps,
        camera_size=camera_size,
    )
    if args.supabase_jwt_secret is not None:
        # Supabase asks for JWT secrets of at least 32 characters; so do we.
        if len(args.supabase_jwt_secret) < 32:
            parser_error("--supabase-jwt-secret must be at least 32 characters")
        cfg.credentials.pin_supabase_secret(args.supabase_jwt_secret)
    return cfg, faults


def bind(host: str, port: int, parser_error) -> socket.socket:
    # IPPROTO_TCP named explicitly: asyncio sets TCP_NODELAY on accepted connections only when
    # the listening socket says it is TCP. Without it, every response on a kept-alive connection
    # waited ~40 ms (Nagle against the browser's delayed ACK) for its last chunk.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        parser_error(f"--port {port}: cannot bind {host}:{port} ({exc.strerror})")
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


async def serve(cfg: SandboxConfig, faults: Faults, sock: socket.socket, env_file: Path | None, log_level: str):
    sb = build_sandbox(cfg, faults)
    # Idle keep-alive connections stay open a minute, as behind the load balancers of the services it
    # stands in for: with uvicorn's own 5 s, a service read of the suite's met a connection closed that
    # instant (official CI of 2645b26); the suite now sends such a read again (fixtures/services/http_client.py).
    server = uvicorn.Server(uvicorn.Config(create_app(sb), log_level=log_level, ws="websockets-sansio",
                                           lifespan="on", timeout_graceful_shutdown=2,
                                           timeout_keep_alive=KEEP_ALIVE_S))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if server.started:
        if env_file:
            write_env_file(env_file, cfg)
        active = ", ".join(f"{k}={v}" for k, v in faults.active().items()) or "none"
        print(f"Kulti sandbox ready at {cfg.url} (faults: {active})", flush=True)
    try:
        await task
    finally:
        # Every run starts on an empty database: one kept behind is only disk (a CI run starts ~800).
        if sb.workdir:
            shutil.rmtree(sb.workdir, ignore_errors=True)


def _stop_as_ctrl_c(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    args = parse_args(sys.argv[1:] if argv is None else argv)

    def parser_error(msg: str):
        parser.exit(2, f"kulti_sandbox: error: {msg}\n")

    cfg, faults = config_from(args, parser_error)
    sock = bind(cfg.host, cfg.port, parser_error)
    cfg.port = sock.getsockname()[1]
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again with the handler it
    # found: the default one would kill the process before the env file and workdir go. A stop by
    # SIGTERM (a service manager, CI) is the same clean stop as Ctrl-C.
    signal.signal(signal.SIGTERM, _stop_as_ctrl_c)
    try:
        asyncio.run(serve(cfg, faults, sock, args.env_file, args.log_level))
    except KeyboardInterrupt:
        pass
    finally:
        if args.env_file and args.env_file.exists():
            os.unlink(args.env_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
