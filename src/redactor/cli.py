"""Command line: thin functions over the library. Exit codes are a contract (see README).

    redactor check PATH... [--format text|json|sarif] [--html REPORT.html] [-j N]
                                              report; exit 0 clean, 1 findings, 2 usage, 3 unreadable
    redactor redact PATH... -o OUTDIR         write redacted copies (mirrored tree)
    redactor config --show                    print the effective configuration
    redactor serve [--port 8000]              HTTP API (POST /v1/check, POST /v1/redact)
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from .errors import ConfigError
from .policy import Policy, find_config
from .reporting import EXIT_USAGE, RunReport


def _load_policy(args: argparse.Namespace) -> Policy:
    path = args.config or find_config()
    policy = Policy.from_file(path) if path else Policy()
    if getattr(args, "no_names", False):
        from dataclasses import replace

        policy = replace(policy, names=False)
    return policy


def _emit(run: RunReport, args: argparse.Namespace, outdir: str | None) -> None:
    fmt = "json" if args.json else args.format
    # With stdout carrying the redacted text, every report goes to stderr.
    machine_out = sys.stderr if outdir == "-" else sys.stdout
    if args.html:
        from .report.html import write_html

        try:
            write_html(run, args.html)
        except OSError as e:
            raise ConfigError(f"cannot write the HTML report: {e.strerror or e}", path=args.html) from None
    if fmt == "json":
        json.dump(run.to_dict(), machine_out, ensure_ascii=False, indent=2)
        print(file=machine_out)
    elif fmt == "sarif":
        from .report.sarif import to_sarif

        json.dump(to_sarif(run), machine_out, ensure_ascii=False, indent=2)
        print(file=machine_out)
    if fmt == "text":
        from .terminal import print_report

        print_report(run, machine_out, verbose=args.verbose, quiet=args.quiet)
    elif not args.quiet:
        # Machine-readable stdout: the human summary goes to stderr (quiet silences it).
        from .terminal import summary_line

        print(summary_line(run), file=sys.stderr)


def _run(args: argparse.Namespace, outdir: str | None) -> int:
    from .parallel import run_parallel
    from .progress import Progress
    from .walk import plan

    policy = _load_policy(args)
    if args.jobs is not None and args.jobs < 0:
        raise ConfigError("-j/--jobs must be 0 (number of cores) or more")
    # Copies go under masked names (filenames.py): the names are scanned here, in one process.
    from .filenames import renamer
    from .pipeline import Redactor

    redactor = Redactor(policy) if outdir not in (None, "-") else None
    items = list(plan(args.paths, outdir, rename=renamer(redactor) if redactor else None))
    enabled = None if not (args.quiet or args.no_progress) else False
    with Progress(len(items), sys.stderr, enabled=enabled) as bar:
        if len(items) < 2:
            bar.enabled = False
        run = run_parallel(
            policy, args.paths, outdir, jobs=args.jobs, items=items, redactor=redactor,
            on_start=lambda item: bar.start(item.source),
            on_done=lambda rep: bar.advance(),
        )
    _emit(run, args, outdir)
    return run.exit_code


def cmd_check(args: argparse.Namespace) -> int:
    return _run(args, outdir=None)


def cmd_redact(args: argparse.Namespace) -> int:
    outdir = args.output
    if outdir is None:
        if args.paths == ["-"]:
            outdir = "-"
        else:
            raise ConfigError("redact needs -o OUTDIR (or '-' as the only input to write to stdout)")
    return _run(args, outdir=outdir)


def cmd_config(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .detect import DETECTOR_FAMILIES
    from .findings import KINDS

    policy = _load_policy(args)
    data = asdict(policy)
    data["kinds"] = {k: asdict(policy.for_kind(k)) for k in KINDS}
    if data.get("hmac_key"):
        data["hmac_key"] = "***"
    data["detector_families"] = list(DETECTOR_FAMILIES)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    try:
        from .service import serve
    except ImportError as e:
        raise ConfigError(f"redactor serve needs the 'serve' extra (pip install 'redactor[serve]'): {e}") from None
    policy = _load_policy(args)
    token = os.environ.get(args.token_env) or None
    if args.workers is not None and args.workers < 0:
        raise ConfigError("--workers must be 0 or more")
    if args.max_upload_mb <= 0 or args.timeout <= 0:
        raise ConfigError("--max-upload-mb and --timeout must be positive")
    if token is None and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"redactor: warning: serving on {args.host} without a token (set {args.token_env})", file=sys.stderr)
    serve(policy, host=args.host, port=args.port, workers=args.workers, max_upload_mb=args.max_upload_mb,
          timeout=args.timeout, token=token, log_level=args.log_level)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="redactor", description="Make Chinese government documents safe to publish.")
    parser.add_argument("--version", action="version", version=f"redactor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders ('-' reads text from stdin)")
        p.add_argument("--config", help="config file (default: redactor.toml found by walking up)")
        p.add_argument("--json", action="store_true", help="same as --format json")
        p.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                       help="report on stdout: text (default), json (schema redactor.report/1) or sarif (SARIF 2.1.0)")
        p.add_argument("--html", metavar="REPORT.html", help="also write a self-contained HTML report")
        p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: number of cores; 1: no workers)")
        p.add_argument("--no-names", action="store_true", help="skip person-name and address detection")
        p.add_argument("-q", "--quiet", action="store_true", help="only the summary line, no progress bar")
        p.add_argument("-v", "--verbose", action="count", default=0,
                       help="list every file and finding (-vv: with explanations)")
        p.add_argument("--no-progress", action="store_true", help="no progress bar (it is shown only on a terminal)")

    p = sub.add_parser("check", help="report what must be redacted or reviewed")
    common(p)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("redact", help="write redacted copies to OUTDIR")
    common(p)
    p.add_argument("-o", "--output", metavar="OUTDIR", help="output folder ('-' writes stdin's text to stdout)")
    p.set_defaults(func=cmd_redact)
    p = sub.add_parser("config", help="show the effective configuration")
    p.add_argument("--show", action="store_true", help="print the effective config as JSON")
    p.add_argument("--config", help="config file")
    p.set_defaults(func=cmd_config)
    p = sub.add_parser("serve", help="run the HTTP API (POST /v1/check, POST /v1/redact, GET /healthz)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--config", help="config file (default: redactor.toml found by walking up)")
    p.add_argument("--no-names", action="store_true", help="skip person-name and address detection")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes for the CPU work (default: number of cores; 0: threads in the server)")
    p.add_argument("--max-upload-mb", type=float, default=50.0, help="largest upload accepted (default 50)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per request before 504 (default 120)")
    p.add_argument("--token-env", default="REDACTOR_API_TOKEN", metavar="VAR",
                   help="environment variable holding the bearer token; unset or empty: no token needed")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=cmd_serve)
    from .evaluate import add_subcommand as add_eval  # redactor eval CORPUS (names/addresses scores)

    add_eval(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return int(e.code or 0)
    try:
        return args.func(args)
    except ConfigError as e:
        print(f"redactor: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
