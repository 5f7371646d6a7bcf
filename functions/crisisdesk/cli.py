"""The `crisisdesk` command: local runtime, replays, commander actions, classifier tools."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crisisdesk.client import ApiError, CommanderClient

STATE_FILE = Path(".crisisdesk") / "local.json"
SECRETS_FILE = Path(".crisisdesk") / "secrets.json"
DATA_FILE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / ("airline-tweets-2015.jsonl")
)

# Exit codes: 0 ok, 1 a failed action (API said no), 2 usage or input error, 3 not reachable.
EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 1, 2, 3


class CliError(Exception):
    """A sentence for the user and an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _local_state() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(STATE_FILE.read_text())
    except FileNotFoundError:
        return {}
    except ValueError as e:
        raise CliError(f"{STATE_FILE} is not valid JSON: {e}") from e
    return data


def _client(args: argparse.Namespace) -> CommanderClient:
    state = _local_state()
    api = args.api or os.environ.get("CRISISDESK_API") or state.get("api")
    token = args.token or os.environ.get("CRISISDESK_TOKEN") or state.get("commander_token")
    if not api or not token:
        raise CliError(
            "no API to talk to: start one with `crisisdesk up`, or pass --api and "
            "--token (or set CRISISDESK_API and CRISISDESK_TOKEN)"
        )
    return CommanderClient(api, token, commander=args.commander)


def _print(data: Any, as_json: bool) -> None:
    if as_json or not isinstance(data, dict | list):
        print(json.dumps(data, indent=2, default=str) if not isinstance(data, str) else data)
    else:
        print(json.dumps(data, indent=2, default=str))


# -- commands ------------------------------------------------------------------------
def cmd_up(args: argparse.Namespace) -> int:
    """Run the local AWS and the API in the foreground until Ctrl-C."""
    from crisisdesk_local.runtime import LocalRuntime

    params = {
        "UpdateCadenceSeconds": str(args.cadence),
        "ApprovalTimeoutSeconds": str(args.approval_timeout),
    }
    rt = LocalRuntime(port=args.port, api_port=args.api_port, parameters=params)
    ep = rt.start()
    print("crisisdesk local runtime is up")
    print(
        f"  AWS endpoint : {ep.aws}   (aws --endpoint-url {ep.aws} stepfunctions "
        "list-state-machines)"
    )
    print(f"  API          : {ep.api}   (webhooks at {ep.api}/webhooks/{{x,meta,generic}})")
    print(f"  dashboard    : {ep.api}/dashboard")
    print(f"  commander token: {rt.secrets.get('commander_token')}")
    print(f"  table        : {rt.stack.physical_name('Table')}")
    print("  (AWS CLI credentials: any values; region us-east-1)")
    print("Ctrl-C to stop.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    rt.stop()
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    """Sign and POST dataset lines as webhooks."""
    from crisisdesk.replay import ReplayError, read_items, replay

    state = _local_state()
    api = args.api or os.environ.get("CRISISDESK_API") or state.get("api")
    if not api:
        raise CliError("no API: start one with `crisisdesk up` or pass --api")
    try:
        secrets = json.loads(Path(args.secrets).read_text())
    except FileNotFoundError as e:
        raise CliError(
            f"secrets file {args.secrets} not found (it is written by `crisisdesk up`)"
        ) from e
    try:
        items = read_items(Path(args.file), brand=args.brand, since=args.since, until=args.until)
        if args.limit:
            items = items[: args.limit]
        stats = replay(api, items, platform=args.platform, secrets=secrets, speed=args.speed)
    except ReplayError as e:
        raise CliError(str(e), EXIT_UNREACHABLE if "reachable" in str(e) else EXIT_USAGE) from e
    print(
        f"sent {stats.sent} webhooks in {stats.seconds:.1f}s: {stats.accepted} events "
        f"accepted, rejected {stats.rejected or 'none'}"
    )
    return 0 if not stats.rejected else EXIT_FAILED


def cmd_incidents(args: argparse.Namespace) -> int:
    """List incidents or care cases."""
    items = _client(args).incidents("care" if args.care else "incident")
    if args.json:
        _print(items, True)
        return 0
    if not items:
        print("no incidents" if not args.care else "no care cases")
    for i in items:
        flag = "  approval pending" if i.get("approval_pending") else ""
        print(
            f"{i['id']:16} {i.get('severity', ''):5} {i.get('status', ''):9} "
            f"{int(i.get('feedback_count', 0)):5} items  {i.get('title', '')}{flag}"
        )
    return 0


def cmd_windows(args: argparse.Namespace) -> int:
    """Private-reply windows about to close."""
    items = _client(args).request("GET", "/windows", query={"hours": str(args.hours)})["items"]
    if args.json:
        _print(items, True)
        return 0
    if not items:
        print(f"no private-reply window closes within {args.hours:g} h")
    for w in items:
        print(f"{w['deadline']}  {w['state']:7} {w['incident']:16} {w['event_id']:28} "
              f"@{w['to']}  handoff: {w['handoff']}")
    return 0


def format_show(d: dict[str, Any], max_entries: int = 40) -> str:
    """Human view of `show`: status, workflow position, next update, timeline, chain."""
    inc, wf, chain = d["incident"], d["workflow"], d["chain"]
    lines = [
        f"{inc['id']}  {inc.get('title')}",
        f"  status {inc.get('status')}  severity {inc.get('severity')}  "
        f"trigger: {inc.get('trigger')}",
        f"  workflow {wf.get('status')}"
        + (f" at {wf['current_state']}" if wf.get("current_state") else "")
        + (
            f" ({len(wf.get('states_visited', []))} states entered)"
            if wf.get("states_visited")
            else ""
        ),
        f"  next update due: {inc.get('next_update_at') or '-'}",
        f"  feedback items: {inc.get('feedback_count', 0)}, updates published: "
        f"{inc.get('updates_published', 0)}",
        f"  timeline: {chain['entries']} entries, hash chain "
        + ("verifies" if chain["ok"] else f"BROKEN at {chain['first_bad_seq']}: {chain['reason']}"),
    ]
    for h in d.get("held", []):
        lines.append(
            f"  HELD for review: {h['step']} to @{h['to']} ({h['event_id']}): "
            f"{'; '.join(v['message'] for v in (h.get('guardrails') or {}).get('violations', []))}"
            f"  -> crisisdesk release {inc['id']} {h['event_id']} --step {h['step']}"
        )
    entries = d["timeline"]
    shown = (
        entries
        if len(entries) <= max_entries
        else [*entries[: max_entries // 2], None, *entries[-max_entries // 2 :]]
    )
    for e in shown:
        if e is None:
            lines.append(f"    ... {len(entries) - max_entries} more entries ...")
            continue
        data = e["data"]
        detail = (
            data.get("draft")
            or data.get("text")
            or data.get("summary")
            or data.get("reason")
            or data.get("trigger")
            or ""
        )
        extra = ""
        if "guardrails" in data:
            g = data["guardrails"]
            extra = " [guardrails: " + ("pass" if g.get("allowed") else "BLOCKED") + "]"
        if data.get("approved_by"):
            extra += f" [approved by {data['approved_by']}]"
        if data.get("platform_result"):
            extra += f" [platform: {data['platform_result'].get('status')}]"
        lines.append(
            f"    {e['seq']:4} {e['at'][11:19]} {e['kind']:20} {e['actor'][:18]:18} "
            f"{str(detail)[:100]}{extra}"
        )
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    """Show one incident."""
    d = _client(args).show(args.id)
    print(json.dumps(d, indent=2, default=str) if args.json else format_show(d, args.entries))
    return 0 if d["chain"]["ok"] else EXIT_FAILED


def cmd_action(args: argparse.Namespace) -> int:
    """approve / reject / resolve / note / commit / escalate."""
    client = _client(args)
    body: dict[str, Any]
    if args.command == "approve":
        verb, body = "approve", {"text": args.text or "", "override_reason": args.override or ""}
    elif args.command == "reject":
        verb, body = "reject", {"reason": args.reason}
    elif args.command == "resolve":
        verb, body = "resolve", {"summary": args.summary}
    elif args.command == "note":
        verb, body = "notes", {"text": args.text, "category": args.category, "public": args.public}
    elif args.command == "commit":
        verb, body = "commitments", {"text": args.text}
    elif args.command == "release":
        verb = f"held/{args.event_id}/approve"
        body = {"step": args.step, "text": args.text or "", "override_reason": args.override or ""}
    else:
        verb, body = "escalate", {"severity": args.severity, "reason": args.reason}
    _print(client.action(args.id, verb, body), True)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Print the post-mortem."""
    _print(_client(args).report(args.id, markdown=not args.json), args.json)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The whole story in one process."""
    from crisisdesk_local.demo import run_demo

    return int(run_demo(Path(args.data), cadence=args.cadence, out=sys.stdout))


# -- parser --------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """All subcommands."""
    p = argparse.ArgumentParser(prog="crisisdesk", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def api_opts(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--api", help="API base URL (default: the one `crisisdesk up` started)")
        sp.add_argument("--token", help="commander token (default: from `crisisdesk up`)")
        sp.add_argument(
            "--commander",
            default=os.environ.get("USER", "commander"),
            help="your name on the timeline",
        )
        sp.add_argument("--json", action="store_true", help="print raw JSON")

    up = sub.add_parser("up", help="start the local AWS runtime and the API (foreground)")
    up.add_argument("--port", type=int, default=4566, help="AWS endpoint port (0 = any)")
    up.add_argument("--api-port", type=int, default=8000, help="API port (0 = any)")
    up.add_argument("--cadence", type=int, default=60, help="seconds between public updates")
    up.add_argument(
        "--approval-timeout", type=int, default=900, help="seconds a draft waits for approval"
    )
    up.set_defaults(fn=cmd_up)

    rp = sub.add_parser("replay", help="sign and POST JSONL items as platform webhooks")
    rp.add_argument("file", help="JSONL file (e.g. the airline tweets)")
    rp.add_argument("--api", help="API base URL (default: from `crisisdesk up`)")
    rp.add_argument("--platform", choices=("x", "meta", "generic"), default="x")
    rp.add_argument(
        "--speed",
        type=float,
        default=0.0,
        help="event-time speed-up (600 = ten minutes a second; 0 = flat out)",
    )
    rp.add_argument("--brand", help="only this brand")
    rp.add_argument("--since", help="only items with created_at >= this ISO prefix")
    rp.add_argument("--until", help="only items with created_at < this ISO prefix")
    rp.add_argument("--limit", type=int, help="at most this many items")
    rp.add_argument("--secrets", default=str(SECRETS_FILE), help="webhook secrets JSON")
    rp.set_defaults(fn=cmd_replay)

    inc = sub.add_parser("incidents", help="list incidents")
    inc.add_argument("--care", action="store_true", help="list individual care cases instead")
    api_opts(inc)
    inc.set_defaults(fn=cmd_incidents)

    wn = sub.add_parser("windows", help="private-reply windows (Meta: 7 days) about to close")
    wn.add_argument("--hours", type=float, default=24.0, help="look this far ahead")
    api_opts(wn)
    wn.set_defaults(fn=cmd_windows)

    sh = sub.add_parser("show", help="one incident: status, workflow position, timeline")
    sh.add_argument("id")
    sh.add_argument("--entries", type=int, default=40, help="timeline entries to print")
    api_opts(sh)
    sh.set_defaults(fn=cmd_show)

    ap = sub.add_parser("approve", help="approve the pending public update")
    ap.add_argument("id")
    ap.add_argument("--text", help="publish this edited text instead of the draft")
    ap.add_argument("--override", help="reason to publish despite guardrail findings")
    api_opts(ap)
    ap.set_defaults(fn=cmd_action)

    rl = sub.add_parser("release", help="approve a reply the guardrails held for review")
    rl.add_argument("id")
    rl.add_argument("event_id", help="the feedback event id (see `show`: held)")
    rl.add_argument("--step", choices=("ack", "handoff"), default="ack")
    rl.add_argument("--text", help="send this edited text instead of the held draft")
    rl.add_argument("--override", help="reason to send despite guardrail findings")
    api_opts(rl)
    rl.set_defaults(fn=cmd_action)

    rj = sub.add_parser("reject", help="reject the pending public update")
    rj.add_argument("id")
    rj.add_argument("--reason", required=True)
    api_opts(rj)
    rj.set_defaults(fn=cmd_action)

    rs = sub.add_parser("resolve", help="resolve an incident (closing update, then post-mortem)")
    rs.add_argument("id")
    rs.add_argument("--summary", required=True, help="public summary of the resolution")
    api_opts(rs)
    rs.set_defaults(fn=cmd_action)

    nt = sub.add_parser("note", help="add a note, action, root cause or action item")
    nt.add_argument("id")
    nt.add_argument("text")
    nt.add_argument(
        "--category", default="note", choices=("note", "action", "root_cause", "action_item")
    )
    nt.add_argument("--public", action="store_true", help="may be used in public updates")
    api_opts(nt)
    nt.set_defaults(fn=cmd_action)

    cm = sub.add_parser("commit", help="record an approved commitment")
    cm.add_argument("id")
    cm.add_argument("text")
    api_opts(cm)
    cm.set_defaults(fn=cmd_action)

    es = sub.add_parser("escalate", help="change severity")
    es.add_argument("id")
    es.add_argument("severity", choices=("SEV1", "SEV2", "SEV3", "SEV4"))
    es.add_argument("--reason", required=True)
    api_opts(es)
    es.set_defaults(fn=cmd_action)

    rep = sub.add_parser("report", help="the post-crisis review")
    rep.add_argument("id")
    api_opts(rep)
    rep.set_defaults(fn=cmd_report)

    dm = sub.add_parser("demo", help="replay the 22 Feb 2015 US Airways surge end to end")
    dm.add_argument("--data", default=str(DATA_FILE), help="airline tweets JSONL")
    dm.add_argument("--cadence", type=int, default=3, help="seconds between public updates")
    dm.set_defaults(fn=cmd_demo)

    _add_optional(sub)
    return p


def _add_optional(sub: Any) -> None:
    """Subcommands owned by the classifier and guardrails packages."""
    from crisisdesk.classify import cli as classify_cli
    from crisisdesk.guardrails import cli as guardrails_cli

    classify_cli.add_parser(sub)
    guardrails_cli.add_parser(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "classify":
            from crisisdesk.classify import cli as classify_cli

            return int(classify_cli.run(args))
        if args.command == "check-reply":
            from crisisdesk.guardrails import cli as guardrails_cli

            return int(guardrails_cli.run(args, load_commitments=_commitments_loader(args)))
        return int(args.fn(args))
    except CliError as e:
        print(f"crisisdesk: {e}", file=sys.stderr)
        return e.code
    except ApiError as e:
        print(f"crisisdesk: {e}", file=sys.stderr)
        return EXIT_UNREACHABLE if e.status == 0 else EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def _commitments_loader(args: argparse.Namespace) -> Any:
    """check-reply --incident ID reads the incident's approved commitments from the API."""
    from crisisdesk.guardrails import Commitment

    def load(owner_id: str) -> list[Commitment]:
        ns = argparse.Namespace(api=None, token=None, commander="check-reply")
        d = _client(ns).show(owner_id)
        return [
            Commitment(id=str(c["id"]), text=str(c["text"]), approved=bool(c["approved"]))
            for c in d["commitments"]
        ]

    return load


if __name__ == "__main__":
    sys.exit(main())
