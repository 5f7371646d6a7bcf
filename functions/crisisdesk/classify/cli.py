"""``crisisdesk classify [FILE|-]``: classify JSONL feedback items, one JSON line out per item."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .classifier import FeedbackInput, load_classifier
from .errors import ClassifierError, InputError
from .troll import StreamTracker

_STR_FIELDS = ("id", "author", "brand", "created_at", "account_created_at")
_INT_FIELDS = ("followers", "following", "statuses", "retweets")
_BOOL_FIELDS = ("default_profile_image", "verified")
# accepted aliases (e.g. Twitter's user object names)
_ALIASES = {
    "followers_count": "followers",
    "friends_count": "following",
    "statuses_count": "statuses",
    "retweet_count": "retweets",
    "user_created_at": "account_created_at",
}


def parse_item(obj: Any) -> FeedbackInput:
    """Validate one decoded JSON value and build a ``FeedbackInput``; raises ``InputError``."""
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object")
    obj = {_ALIASES.get(k, k): v for k, v in obj.items()}
    account = obj.get("account") or obj.get("user")
    if isinstance(account, dict):
        for k, v in account.items():
            obj.setdefault(_ALIASES.get(k, k), v)
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("field 'text' is required and must be a string")
    kw: dict[str, Any] = {"text": text}
    for f in _STR_FIELDS:
        v = obj.get(f)
        if v is None:
            continue
        if f == "id" and isinstance(v, int) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str):
            raise InputError(f"field {f!r} must be a string")
        kw[f] = v
    for f in _INT_FIELDS:
        v = obj.get(f)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise InputError(f"field {f!r} must be a non-negative integer")
        kw[f] = v
    for f in _BOOL_FIELDS:
        v = obj.get(f)
        if v is None:
            continue
        if not isinstance(v, bool):
            raise InputError(f"field {f!r} must be a boolean")
        kw[f] = v
    return FeedbackInput(**kw)


def classify_lines(
    lines: Iterable[str], *, skip_bad: bool, err: IO[str]
) -> Iterator[dict[str, Any]]:
    """Classify JSONL lines; raise ``InputError("line N: ...")`` on a bad line unless skipping."""
    clf = load_classifier()
    tracker = StreamTracker()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = parse_item(json.loads(line))
        except (ValueError, InputError) as exc:  # JSONDecodeError is a ValueError
            msg = f"line {n}: {exc}"
            if not skip_bad:
                raise InputError(msg) from exc
            print(f"skipped {msg}", file=err)
            continue
        result = clf.classify(item, tracker.observe(item))
        yield {"id": item.id, **result.to_dict()}


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``classify`` subcommand."""
    p = subparsers.add_parser(
        "classify",
        help="classify JSONL feedback items (sentiment, category, severity, troll, PII)",
        description=(
            "Read JSONL items (text required; optional id, author, brand, created_at, "
            "followers, following, statuses, account_created_at, default_profile_image, "
            "verified, retweets) and write one JSON line per item."
        ),
    )
    p.add_argument("file", nargs="?", default="-", help="input JSONL file, '-' for stdin")
    p.add_argument(
        "--skip-bad", action="store_true", help="report malformed lines on stderr and continue"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``classify``: 0 ok, 2 malformed input (without --skip-bad), 1 other error."""
    path: str = getattr(args, "file", "-") or "-"
    skip_bad: bool = bool(getattr(args, "skip_bad", False))
    out = sys.stdout
    try:
        fh: IO[str] = (
            sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        )
    except OSError as exc:
        print(f"crisisdesk classify: cannot open {path}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        for rec in classify_lines(fh, skip_bad=skip_bad, err=sys.stderr):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except InputError as exc:
        print(f"crisisdesk classify: {exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"crisisdesk classify: input is not UTF-8: {exc}", file=sys.stderr)
        return 2
    except (ClassifierError, OSError) as exc:
        print(f"crisisdesk classify: {exc}", file=sys.stderr)
        return 1
    finally:
        if fh is not sys.stdin:
            fh.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``python -m crisisdesk.classify.cli [FILE|-]``."""
    parser = argparse.ArgumentParser(prog="crisisdesk")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(["classify", *(sys.argv[1:] if argv is None else argv)])
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
