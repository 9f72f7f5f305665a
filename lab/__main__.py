"""``python -m lab serve [--port 6390] [--bind 127.0.0.1] [--requirepass PASS]
[--config FILE] [--seed N]``: serve a wall-clock engine over RESP (``lab.resp_server``)."""

from __future__ import annotations

import argparse
import sys


def _read_config(path: str) -> dict[str, str]:
    """A redis.conf: ``name value...`` per line, ``#`` comments, quoted values."""
    from .resp_server import split_args

    out: dict[str, str] = {}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith(b"#"):
                continue
            args = split_args(line)
            if not args:
                raise SystemExit(f"{path}: bad line {raw!r}")
            name = args[0].decode().lower()
            out[name] = " ".join(a.decode("utf-8", "surrogateescape") for a in args[1:])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab", description="Redis Lab")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve", help="serve an engine over RESP (redis-cli, redis-benchmark...)")
    p.add_argument("--port", type=int, default=None, help="TCP port (default 6390)")
    p.add_argument("--bind", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--requirepass", default=None, help="password of the default user")
    p.add_argument("--config", default=None, help="a redis.conf-style file")
    p.add_argument("--seed", type=int, default=0, help="seed of the engine's random source")
    args = parser.parse_args(argv)

    from .clock import WallClock
    from .engine import Engine
    from .engine.config import PARAM_BY_NAME
    from .resp_server import run_forever

    config: dict[str, str] = {}
    if args.config:
        for name, value in _read_config(args.config).items():
            if name in PARAM_BY_NAME:
                config[name] = value
            else:
                print(f"lab: ignoring unsupported config directive {name!r}", file=sys.stderr)
    if args.requirepass is not None:
        config["requirepass"] = args.requirepass
    port = args.port if args.port is not None else int(config.get("port", 6390))
    bind = args.bind if args.bind is not None else "127.0.0.1"
    if args.bind is None and "bind" in config:
        bind = config["bind"].split()[0].lstrip("-")
        bind = "0.0.0.0" if bind == "*" else bind
    config["port"] = str(port)
    config["bind"] = bind
    engine = Engine(config=config, seed=args.seed, clock=WallClock())
    run_forever(engine, bind, port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
