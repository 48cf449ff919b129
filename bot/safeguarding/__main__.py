"""Command line: one message per line on stdin, one JSON assessment per line on stdout.

    python -m bot.safeguarding [--conversation] [--evidence]

--conversation  treat the lines as one conversation in order (each line assessed with the previous ones)
--evidence      include the evidence spans in each JSON object
"""

import argparse
import json
import sys

from .detector import HISTORY_WINDOW, get_detector


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bot.safeguarding", description=__doc__.splitlines()[0])
    parser.add_argument("--conversation", action="store_true", help="assess each line with the previous lines")
    parser.add_argument("--evidence", action="store_true", help="include evidence spans")
    args = parser.parse_args(argv)
    detector = get_detector()
    history = []
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", newline=None, closefd=False)
    out = sys.stdout
    for raw in stdin:
        text = raw.rstrip("\r\n")
        assessment = detector.assess(text, history if args.conversation else None)
        result = assessment.to_dict()
        if not args.evidence:
            result.pop("evidence")
        out.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")
        out.flush()
        if args.conversation:
            history = (history + [text])[-HISTORY_WINDOW:]
    return 0


if __name__ == "__main__":
    sys.exit(main())
