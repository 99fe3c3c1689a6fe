#!/usr/bin/env python3
"""Keystroke latency, bytes and memory of `fluxion tui` in a pseudo-terminal (standard library only).

    python3 tui_latency.py --fluxion ../.build/release/fluxion [--examples DIR] [--quick] [--keys N]

For each built-in example it starts `fluxion tui EXAMPLE` in a pty of 120x40 (TERM=xterm-256color,
LANG=C.UTF-8, FLUXION_TUI_TRACE set), waits for the first complete frame, then plays a scripted
session (typing into the function and deleting it, editing x, moving the plot's cursor, zooming,
panning, the Jacobian's cells) one key at a time: it writes the key and reads the terminal until
the trace marker `ESC ] 777 ; fluxion-frame ; <generation> ; <keys> BEL` says the frame after
that key is complete (TUI.md "Latency, defined": the key's f value, results, plot and Jacobian
rows all drawn; a key that starts no evaluation is complete at its echo). That gives the end to
end latency and the bytes the explorer wrote for the key; the trace file gives the figures inside
the binary (from the key's read to the doupdate of the echo frame and of the complete frame).
The cube's session runs to 1000 keys for the RSS check (VmRSS after key 10 against after 1000).

Prints JSON for report.py: {"results": {name: seconds}, "figures": {name: text}, "notes": {...}}.
"""
import argparse
import fcntl
import json
import os
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time

MARKER = re.compile(rb"\x1b\]777;fluxion-frame;(\d+);(\d+)\x07")

# Keys as xterm-256color sends them (ncurses turns on keypad transmit mode: ESC O for arrows).
RIGHT, LEFT, HOME, END = b"\x1bOC", b"\x1bOD", b"\x1bOH", b"\x1bOF"
SHIFT_LEFT, SHIFT_RIGHT = b"\x1b[1;2D", b"\x1b[1;2C"
UP, DOWN = b"\x1bOA", b"\x1bOB"
TAB, BACKSPACE, CTRL_Q = b"\t", b"\x7f", b"\x11"
F4 = b"\x1bOS"



def typed(text):
    return [c.encode() for c in text]


# With the insight panes open (issue 21): the Taylor view (T in the plot), the Jacobian's
# structure (s), and the jaxpr pane's side-by-side view of f, jvp and vjp with values
# (F4, V for its last view, =); the gradient check is always on. Ends with the focus on the function.
INSIGHT = [TAB] + typed("T") + [TAB, TAB] + typed("s") + [F4] + typed("V=") + [TAB]


def script(insight=False):
    """One pass of the session, starting and ending with the focus on the function (with the
    insight panes open the jaxpr pane is one more stop of Tab)."""
    keys = []
    # Type suffixes into the function (every prefix is evaluated; most are syntax errors) and
    # delete them again.
    for suffix in (" * 1.5", " + 0.25", " - 2"):
        keys += typed(suffix) + [BACKSPACE] * len(suffix)
    # Move in the line (no evaluation), edit in the middle, back to the end.
    keys += [HOME] + [RIGHT] * 8 + typed("(") + [BACKSPACE] + [LEFT] * 4 + [END]
    # The plot: move the cursor, zoom in and out, pan, autoscale and tangent, reset.
    keys += [TAB] + [RIGHT] * 12 + [LEFT] * 12
    keys += typed("++") + [RIGHT] * 4 + typed("--") + [LEFT] * 4
    keys += typed("hhll") + [SHIFT_LEFT, SHIFT_RIGHT] + typed("kj") + typed("aa") + typed("tt") + typed("0")
    # The results: edit x (a number for the scalar examples) and put it back.
    keys += [TAB, END] + typed("5") + [BACKSPACE] + typed("*2") + [BACKSPACE] * 2
    keys += [DOWN] + typed("*1") + [BACKSPACE] * 2 + [UP]
    # The Jacobian's cell cursor, then back to the function.
    keys += [TAB, DOWN, RIGHT, UP, LEFT, TAB] + ([TAB] if insight else [])
    return keys


def percentile(xs, p):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


class Explorer:
    """`fluxion tui FILE` in a pty, read until markers."""

    def __init__(self, binary, example, trace, width, height):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LC_ALL")}
        # A data directory of its own: the session the explorer saves on quit must not replace
        # the user's.
        self.data_home = tempfile.mkdtemp(prefix="fluxion-tui-data-")
        env.update(TERM="xterm-256color", LANG="C.UTF-8", FLUXION_TUI_TRACE=trace, COLUMNS=str(width),
                   LINES=str(height), XDG_DATA_HOME=self.data_home)
        pid = os.fork()
        if pid == 0:
            try:
                os.close(master)
                os.login_tty(slave)
                os.execve(binary, [binary, "tui", example], env)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid, self.fd = pid, master
        self.pending = b""
        self.keys_done = -1

    def wait_marker(self, keys, timeout):
        """Reads until a marker says `keys` keys are complete; returns (bytes read, less markers)."""
        deadline = time.monotonic() + timeout
        count = 0
        while self.keys_done < keys:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no complete frame for key {keys} within {timeout} s")
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                raise EOFError("the explorer exited")
            count += len(chunk)
            self.pending += chunk
            last = 0
            for m in MARKER.finditer(self.pending):
                count -= len(m.group(0))
                self.keys_done = max(self.keys_done, int(m.group(2)))
                last = m.end()
            # Keep a tail that may hold the start of a split marker.
            self.pending = self.pending[last:][-64:]
        return count

    def send(self, key):
        os.write(self.fd, key)

    def quit(self):
        try:
            os.write(self.fd, CTRL_Q)
        except OSError:
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    if not os.read(self.fd, 1 << 16):
                        break
                except OSError:
                    break
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.pid = None
                break
        if self.pid:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        shutil.rmtree(self.data_home, ignore_errors=True)


def run_example(binary, example, keys_wanted, rss_at=None, timeout=60, insight=False):
    fd, trace = tempfile.mkstemp(prefix="fluxion-tui-trace-", suffix=".jsonl")
    os.close(fd)
    x = Explorer(binary, example, trace, 120, 40)
    e2e, per_key_bytes, rss = [], [], {}
    try:
        t0 = time.monotonic()
        startup_bytes = x.wait_marker(0, timeout)
        startup = time.monotonic() - t0
        one = script(insight)
        session = list(INSIGHT) if insight else []
        while len(session) < keys_wanted:
            session += one
        for i, key in enumerate(session, 1):
            t = time.monotonic()
            x.send(key)
            per_key_bytes.append(x.wait_marker(i, timeout))
            e2e.append(time.monotonic() - t)
            if rss_at and i in rss_at:
                rss[i] = rss_kib(x.pid)
    finally:
        x.quit()
    with open(trace) as f:
        records = [json.loads(line) for line in f if line.strip()]
    os.unlink(trace)
    evaluations = {r["evaluation"]: r for r in records if "evaluation" in r}
    jacobians = {r["jacobian"]: r for r in records if "jacobian" in r}
    # The last key is Ctrl-Q (never drawn).
    records = [r for r in records if "key" in r and r["key"] <= len(e2e)]
    # Where an evaluation's time goes: its steps, then the Jacobian (its message's arrival after the
    # evaluation's: 0 when both were taken in one turn of the loop), median milliseconds over the
    # session's evaluations.
    steps = {}
    for g, ev in evaluations.items():
        for k, v in ev["steps"].items():
            steps.setdefault(k, []).append(v)
        if g in jacobians:
            steps.setdefault("jacobian_arrived_after", []).append((jacobians[g]["at_ns"] - ev["at_ns"]) / 1e6)
    return {
        "keys": len(e2e), "e2e": e2e, "bytes": per_key_bytes, "rss": rss, "startup_bytes": startup_bytes,
        "startup": startup,
        "inside": [r["complete_ms"] / 1e3 if r["complete_ms"] is not None else None for r in records],
        "echo": [r["echo_ms"] / 1e3 if r["echo_ms"] is not None else None for r in records],
        "records": records, "evaluations": len(evaluations),
        "steps": {k: percentile(v, 50) for k, v in steps.items()},
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fluxion", default=os.path.join(here, "..", ".build", "release", "fluxion"))
    ap.add_argument("--examples", default=os.path.join(here, "..", "Resources", "examples"))
    ap.add_argument("--only", help="comma-separated example names (e.g. 01_cube,02_logistic)")
    ap.add_argument("--keys", type=int, default=200, help="keystrokes per example (at least 200)")
    ap.add_argument("--rss-keys", type=int, default=1000, help="keystrokes of the cube's session (RSS)")
    ap.add_argument("--quick", action="store_true", help="accepted for run.sh; the session is the same")
    ap.add_argument("--verbose", action="store_true", help="per-example lines and slowest keys on stderr")
    ap.add_argument("--insight", default="all",
                    help="examples also run with the insight panes open (tui_insight_* rows): comma-separated, "
                         "'all' (the default) or '' for none")
    args = ap.parse_args()
    binary = os.path.abspath(args.fluxion)
    names = sorted(n for n in os.listdir(args.examples) if n.endswith(".py"))
    if args.only:
        wanted = set(args.only.split(","))
        names = [n for n in names if n[:-3] in wanted or n in wanted]

    results, figures, notes = {}, {}, {}
    targets = "targets: p95 < 8 ms inside, < 16 ms end to end"
    insight = {n[:-3] for n in names} if args.insight == "all" else set(filter(None, args.insight.split(",")))
    runs = [(n, False) for n in names] + [(n, True) for n in names if n[:-3] in insight]
    for n, with_insight in runs:
        ex = n[:-3]
        cube = ex == "01_cube" and not with_insight
        try:
            r = run_example(binary, os.path.join(args.examples, n), args.rss_keys if cube else max(200, args.keys),
                            rss_at={10, args.rss_keys} if cube else None, insight=with_insight)
        except (TimeoutError, EOFError, OSError) as e:
            print(f"[tui_latency] {ex}: {e}; no rows for it", file=sys.stderr)
            continue
        if with_insight:
            inside = [v for v in r["inside"] if v is not None]
            results[f"tui_insight_inside_p95_{ex}"] = percentile(inside, 95)
            results[f"tui_insight_e2e_p95_{ex}"] = percentile(r["e2e"], 95)
            notes[f"tui_insight_inside_p95_{ex}"] = (f"the same session with the insight panes open (Taylor view, the "
                                                     f"Jacobian's structure, the side-by-side jaxprs with values; "
                                                     f"{r['keys']} keys), 95th percentile inside; " + targets)
            notes[f"tui_insight_e2e_p95_{ex}"] = "the same, end to end, 95th percentile"
            if args.verbose:
                print(f"[tui_latency] {ex} with insight panes: inside p95 {results[f'tui_insight_inside_p95_{ex}'] * 1e3:.2f}"
                      f" ms, e2e p95 {results[f'tui_insight_e2e_p95_{ex}'] * 1e3:.2f} ms; median step ms "
                      f"{ {k: round(v, 3) for k, v in r['steps'].items()} }", file=sys.stderr)
            continue
        inside = [v for v in r["inside"] if v is not None]
        missing = len(r["inside"]) - len(inside)
        row = {
            f"tui_keystroke_inside_p50_{ex}": percentile(inside, 50),
            f"tui_keystroke_inside_p95_{ex}": percentile(inside, 95),
            f"tui_keystroke_e2e_p50_{ex}": percentile(r["e2e"], 50),
            f"tui_keystroke_e2e_p95_{ex}": percentile(r["e2e"], 95),
            f"tui_echo_p95_{ex}": percentile(r["echo"], 95),
        }
        results.update({k: v for k, v in row.items() if v is not None})
        base = f"{r['keys']} scripted keys at 120×40"
        notes[f"tui_keystroke_inside_p50_{ex}"] = (f"fluxion tui {n}, {base}: key read → doupdate of the first "
                                                   "complete frame, median, from FLUXION_TUI_TRACE")
        notes[f"tui_keystroke_inside_p95_{ex}"] = ("the same, 95th percentile; " + targets
                                                   + (f"; {missing} keys never completed" if missing else ""))
        notes[f"tui_keystroke_e2e_p50_{ex}"] = "pty harness: key written → complete-frame marker read, median"
        notes[f"tui_keystroke_e2e_p95_{ex}"] = "the same, 95th percentile"
        notes[f"tui_echo_p95_{ex}"] = "key read → doupdate of the frame after it (the echo), 95th percentile"
        b = r["bytes"]
        figures[f"tui_bytes_per_key_{ex}"] = (f"{sum(b) / len(b):.0f} B" if b else "—")
        notes[f"tui_bytes_per_key_{ex}"] = (f"bytes written to the terminal per key until its frame is complete, "
                                            f"mean (median {percentile(b, 50):.0f} B, max {max(b)} B)")
        if cube:
            figures["tui_full_render_bytes"] = f"{r['startup_bytes']} B"
            notes["tui_full_render_bytes"] = ("fluxion tui 01_cube.py, start to the first complete frame: terminal "
                                              "set-up, the whole 120×40 screen, and the diff to the evaluated frame")
            r10, r1000 = r["rss"].get(10), r["rss"].get(args.rss_keys)
            if r10 and r1000:
                figures["tui_rss_growth_1000"] = f"{(r1000 / r10 - 1) * 100:+.1f} %"
                notes["tui_rss_growth_1000"] = (f"VmRSS after key {args.rss_keys} against after key 10 of the cube's "
                                                f"session: {r1000 / 1024:.1f} MiB against {r10 / 1024:.1f} MiB "
                                                "(target: within 10 %)")
        if args.verbose:
            slow = sorted(r["records"], key=lambda q: -(q["complete_ms"] or 1e9))[:5]
            print(f"[tui_latency] {ex}: {r['keys']} keys; inside p50 {row[f'tui_keystroke_inside_p50_{ex}'] * 1e3:.2f} "
                  f"p95 {row[f'tui_keystroke_inside_p95_{ex}'] * 1e3:.2f} ms; e2e p50 "
                  f"{row[f'tui_keystroke_e2e_p50_{ex}'] * 1e3:.2f} p95 {row[f'tui_keystroke_e2e_p95_{ex}'] * 1e3:.2f} ms; "
                  f"echo p95 {row[f'tui_echo_p95_{ex}'] * 1e3:.2f} ms; {figures[f'tui_bytes_per_key_{ex}']}/key; "
                  f"rss {r['rss']}; slowest {[(q['name'], q['complete_ms']) for q in slow]}; "
                  f"{r['evaluations']} evaluations, median step ms "
                  f"{ {k: round(v, 3) for k, v in r['steps'].items()} }", file=sys.stderr)
        else:
            print(f"[tui_latency] {ex}: done", file=sys.stderr)
    print(json.dumps({"results": results, "figures": figures, "notes": notes}))


if __name__ == "__main__":
    main()
