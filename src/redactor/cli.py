"""Command line: thin functions over the library. Exit codes are a contract (see README).

    redactor check PATH... [--json]           report; exit 0 clean, 1 findings, 2 usage, 3 unreadable
    redactor redact PATH... -o OUTDIR         write redacted copies (mirrored tree)
    redactor config --show                    print the effective configuration
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from .errors import ConfigError
from .policy import Policy, find_config
from .reporting import EXIT_USAGE, FileReport, RunReport


def _load_policy(args: argparse.Namespace) -> Policy:
    path = args.config or find_config()
    policy = Policy.from_file(path) if path else Policy()
    if getattr(args, "no_names", False):
        from dataclasses import replace

        policy = replace(policy, names=False)
    return policy


def _print_terminal(run: RunReport, verbose: int, quiet: bool, out=sys.stdout) -> None:
    if not quiet:
        for f in run.files:
            line = f"{f.verdict.upper():8} {f.path}"
            if f.output and verbose:
                line += f" -> {f.output}"
            print(line, file=out)
            for reason in f.reasons if f.verdict != "publish" else []:
                print(f"         {reason}", file=out)
            if verbose:
                for r in f.findings:
                    loc = ", ".join(f"{k}={v}" for k, v in r.location.items() if k not in ("start", "end", "segment"))
                    print(f"         - {r.kind:14} {r.preview:24} {r.action:9} {r.rule} [{loc}]", file=out)
    s = run.summary()
    v = s["verdicts"]
    print(
        f"{s['files']} file(s): {v['publish']} publish, {v['redact']} redact, {v['block']} block, {v['error']} error",
        file=out,
    )
    if s["findings"] and not quiet:
        print("findings: " + ", ".join(f"{k} {n}" for k, n in s["findings"].items()), file=out)


def _run(args: argparse.Namespace, outdir: str | None) -> int:
    from .pipeline import Redactor

    policy = _load_policy(args)
    redactor = Redactor(policy)
    as_json = args.json or args.format == "json"
    # With stdout carrying the redacted text, the human summary goes to stderr.
    human_out = sys.stderr if outdir == "-" or as_json else sys.stdout
    run = redactor.run(args.paths, outdir=outdir)
    if as_json:
        json.dump(run.to_dict(), sys.stdout if outdir != "-" else sys.stderr, ensure_ascii=False, indent=2)
        print(file=sys.stdout if outdir != "-" else sys.stderr)
    else:
        _print_terminal(run, args.verbose, args.quiet, out=human_out)
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


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="redactor", description="Make Chinese government documents safe to publish.")
    parser.add_argument("--version", action="version", version=f"redactor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders ('-' reads text from stdin)")
        p.add_argument("--config", help="config file (default: redactor.toml found by walking up)")
        p.add_argument("--json", action="store_true", help="print the JSON report (schema redactor.report/1)")
        p.add_argument("--format", choices=["text", "json"], default="text", help="report format")
        p.add_argument("--no-names", action="store_true", help="skip person-name and address detection")
        p.add_argument("-q", "--quiet", action="store_true", help="only the summary line")
        p.add_argument("-v", "--verbose", action="count", default=0, help="list every finding")

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
