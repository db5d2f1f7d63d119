"""Where the time went, from py-spy's collapsed stacks (``py-spy record --format raw``, as
``ws_rush.py --profile x.txt`` writes them): the functions with the largest share of the
samples, inclusive (anywhere on the stack) and self (on top).

    python benchmarks/spy_top.py /tmp/wsbench.txt [--top 40] [--match community_app]

``--match`` keeps only frames whose file contains the text (e.g. ``community_app/`` to see
the app's own functions, ``sqlalchemy`` for the ORM)."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

_FRAME = re.compile(r"^(?P<fn>.+?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def frames(stack: str) -> list[tuple[str, str]]:
    out = []
    for part in stack.split(";"):
        m = _FRAME.match(part.strip())
        if m:
            out.append((m["fn"], m["file"]))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("path")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--match", default="")
    args = p.parse_args(argv)
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    with open(args.path, errors="replace") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            total += n
            fs = frames(stack)
            for key in {(fn, file) for fn, file in fs if args.match in file}:
                inclusive[key] += n
            if fs and args.match in fs[-1][1]:
                own[fs[-1]] += n
    if not total:
        print("no samples")
        return 1
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("self", own)):
        print(f"\n{title}:")
        for (fn, file), n in counter.most_common(args.top):
            print(f"{100 * n / total:6.1f}%  {fn}  ({file})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
