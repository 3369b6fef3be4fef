"""Add the N_() translation markers (ociconsole/i18n.py) to a catalog module's declarations:

    python ui/i18n_mark.py ociconsole/catalog/<module>.py [...]

Wraps the literal texts of ResourceKind label/singular/group, Column titles, Action and ActionOption labels and
verbs, Field labels/help/placeholders, Option labels, FormSpec titles and submit labels, ChartSpec titles and
Related labels in N_("…") (a no-op at run time), imports N_, then re-wraps lines past 120 characters at a comma.
Run ruff afterwards (a line it could not wrap is left for you). Idempotent: marked texts are left alone.
"""

import ast
import io
import sys
import tokenize

SPEC = {
    "ResourceKind": ((), {"label", "singular", "group"}),
    "Column": ((0,), {"title"}),
    "Action": ((1,), {"label", "verb"}),
    "ActionOption": ((1,), {"label"}),
    "Field": ((1,), {"label", "help", "placeholder"}),
    "Option": ((1,), {"label"}),
    "FormSpec": ((0,), {"title", "submit_label"}),
    "ChartSpec": ((), {"title"}),
    "Related": ((0,), {"label"}),
}


def _name(f):
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def mark(path: str) -> int:
    src = open(path, encoding="utf-8").read()
    tree = ast.parse(src)
    lines = src.splitlines(keepends=True)
    offs = [0]
    for line in lines:
        offs.append(offs[-1] + len(line))

    def pos(line, col):  # ast columns are UTF-8 byte offsets
        return offs[line - 1] + len(lines[line - 1].encode()[:col].decode())
    edits = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in SPEC:
            continue
        posi, kws = SPEC[_name(node.func)]
        targets = [node.args[i] for i in posi if i < len(node.args)]
        targets += [k.value for k in node.keywords if k.arg in kws]
        for t in targets:
            if isinstance(t, ast.Constant) and isinstance(t.value, str) and t.value.strip():
                edits.add((pos(t.lineno, t.col_offset), pos(t.end_lineno, t.end_col_offset)))
    if not edits:
        return 0
    for a, b in sorted(edits, reverse=True):
        src = src[:a] + "N_(" + src[a:b] + ")" + src[b:]
    if "import N_" not in src:
        src = src.replace("from __future__ import annotations\n",
                          "from __future__ import annotations\n\nfrom ..i18n import N_\n", 1)
    ast.parse(src)
    open(path, "w", encoding="utf-8").write(src)
    return len(edits)


def wrap(path: str, width: int = 120) -> None:
    for _round in range(4):
        src = open(path, encoding="utf-8").read()
        lines = src.splitlines(keepends=True)
        long_lines = {i + 1 for i, line in enumerate(lines) if len(line.rstrip("\n")) > width}
        if not long_lines:
            return
        stack: list[int] = []
        cand = {}
        for tok in tokenize.generate_tokens(io.StringIO(src).readline):
            if tok.type == tokenize.OP and tok.string in "([{":
                stack.append(tok.start[1])
            elif tok.type == tokenize.OP and tok.string in ")]}":
                stack.pop()
            elif tok.type == tokenize.OP and tok.string == "," and tok.start[0] in long_lines and stack:
                ln, col = tok.start
                if col < width - 4 and len(lines[ln - 1]) - col > 3:
                    cand[ln] = (col, stack[-1] + 1)
        if not cand:
            return
        for ln in sorted(cand, reverse=True):
            col, indent = cand[ln]
            line = lines[ln - 1]
            lines[ln - 1] = line[:col + 1] + "\n" + " " * indent + line[col + 1:].lstrip(" ")
        new = "".join(lines)
        ast.parse(new)
        open(path, "w", encoding="utf-8").write(new)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        n = mark(p)
        wrap(p)
        print(f"{p}: {n} texts marked")
