"""`crisisdesk check-reply`: check a draft read from stdin and print the findings as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from crisisdesk.guardrails import check_message
from crisisdesk.guardrails.errors import GuardrailInputError
from crisisdesk.guardrails.model import Commitment

CommitmentLoader = Callable[[str], Sequence[Commitment]]

EXIT_ALLOWED = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `check-reply` subcommand on an argparse subparsers object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check-reply",
        help="check a draft reply (stdin) against the guardrails",
        description="Read a draft on stdin; print {allowed, violations} JSON; "
        "exit 0 allowed, 1 blocked, 2 usage error.",
    )
    configure(parser)
    return parser


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the check-reply options to parser."""
    channel = parser.add_mutually_exclusive_group()
    channel.add_argument(
        "--public",
        dest="channel",
        action="store_const",
        const="public",
        help="the draft is a public reply or post (default)",
    )
    channel.add_argument(
        "--private",
        dest="channel",
        action="store_const",
        const="private",
        help="the draft is a private message",
    )
    parser.set_defaults(channel="public", func=run)
    parser.add_argument(
        "--incident",
        metavar="ID",
        help="allow promises that match this incident's approved commitments",
    )
    parser.add_argument("--recipient", metavar="HANDLE", help="the handle being replied to")
    parser.add_argument(
        "--brand", metavar="HANDLE", action="append", default=[], help="a brand handle (repeatable)"
    )
    parser.add_argument(
        "--case-reference", metavar="REF", help="the case reference allowed in private messages"
    )


def run(
    args: argparse.Namespace,
    load_commitments: CommitmentLoader | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run check-reply for parsed args; return 0 allowed, 1 blocked or 2 usage error."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    text = stdin.read()
    if not text.strip():
        print("check-reply: no draft on stdin", file=stderr)
        return EXIT_USAGE
    commitments: Sequence[Commitment] = ()
    incident = getattr(args, "incident", None)
    if incident:
        if load_commitments is None:
            print("check-reply: --incident needs a commitment store (not configured)", file=stderr)
            return EXIT_USAGE
        try:
            commitments = load_commitments(incident)
        except (KeyError, LookupError) as exc:
            print(f"check-reply: unknown incident {incident}: {exc}", file=stderr)
            return EXIT_USAGE
    try:
        result = check_message(
            text.rstrip("\n"),
            channel=args.channel,
            commitments=commitments,
            recipient_handle=getattr(args, "recipient", None),
            brand_handles=getattr(args, "brand", None) or (),
            case_reference=getattr(args, "case_reference", None),
        )
    except GuardrailInputError as exc:
        print(f"check-reply: {exc}", file=stderr)
        return EXIT_USAGE
    json.dump(result.to_dict(), stdout)
    stdout.write("\n")
    return EXIT_ALLOWED if result.allowed else EXIT_BLOCKED


def main(
    argv: Sequence[str] | None = None, load_commitments: CommitmentLoader | None = None
) -> int:
    """Standalone entry point: `python -m crisisdesk.guardrails.cli [--public|--private] ...`."""
    parser = argparse.ArgumentParser(prog="check-reply", description=__doc__)
    configure(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return run(args, load_commitments)


if __name__ == "__main__":
    raise SystemExit(main())
