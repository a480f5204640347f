"""Run every benchmark under benchmarks/ (`make bench`), each with its defaults.

    python -m benchmarks.run [--only NAME ...] [--list]

A benchmark is a module here with a top-level `main` function; each runs as
`python -m benchmarks.<name>` in its own subprocess, one after the other (they would compete for
the CPUs and some share a scratch database name), and writes its own section of
docs/performance.md. A failing benchmark (it crashed, or it exits non-zero because it missed
its target) does not stop the others. A summary follows; the exit status is 1 if any failed.
"""

import argparse
import ast
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def discover() -> list[str]:
    """Modules of this package that define `main`, read without importing them."""
    names = []
    for path in sorted(HERE.glob("*.py")):
        if path.stem in ("__init__", "run"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body):
            names.append(path.stem)
    return names


def run(name: str) -> tuple[int, float]:
    print(f"== benchmarks.{name}", flush=True)
    started = time.monotonic()
    code = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=ROOT).returncode
    return code, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="run only these")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)
    names = discover()
    if args.list:
        print("\n".join(names))
        return 0
    if args.only:
        unknown = set(args.only) - set(names)
        if unknown:
            parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
        names = [n for n in names if n in args.only]
    results = {name: run(name) for name in names}
    print("\nSummary (each benchmark wrote its section of docs/performance.md):")
    for name, (code, seconds) in results.items():
        status = "ok" if code == 0 else f"FAILED (exit status {code})"
        print(f"  {name:20} {status:28} {seconds:6.0f} s")
    return 1 if any(code for code, _ in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
