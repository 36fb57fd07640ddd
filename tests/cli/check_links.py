"""Fail on a relative link or image in Markdown files whose target is
missing: `[text](path)`, `![alt](path)` and `<img src="path">`, resolved
from the file's folder (anchors and URLs are not checked). Run by
`make docs`."""
import os
import re
import sys

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<img[^>]*src=\"([^\"]+)\"")


def main(paths):
    bad = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold no links
        for m in LINK.finditer(text):
            target = (m.group(1) or m.group(2)).split("#")[0]
            if not target or re.match(r"[a-z]+:", target):
                continue
            if not os.path.exists(os.path.join(os.path.dirname(path), target)):
                line = text[:m.start()].count("\n") + 1
                bad.append("%s:%d: broken link to %s" % (path, line, target))
    for b in bad:
        print(b, file=sys.stderr)
    print("links: %d files checked, %d broken" % (len(paths), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
