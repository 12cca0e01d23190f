#!/usr/bin/env python3
"""Worst-case stack use of a Cortex-M image, from what the compiler says.

GCC's -fcallgraph-info=su writes, per object, a call graph (.ci) whose
nodes carry each function's -fstack-usage frame (the figures of the .su
files). This script walks it for the deepest chains. What the compiler
does not see is filled in:
  - library functions (newlib's memcpy, libgcc's __aeabi_*): frame and
    callees read off the image's disassembly (pushes, sub sp; bl and b.w);
  - indirect calls (the port's and the objects' callbacks): each call site
    is resolved by type. Its source text names what is called (a struct
    member such as ops->read, or a variable such as gen); the debug
    information (-g) gives that member's or variable's function-pointer
    type; the targets are the functions of that type whose address the
    code or data takes (their relocations). A site that cannot be
    resolved so is bounded by every address-taken function, and listed;
  - interrupts: the deepest handler, plus the 32 bytes the core stacks on
    exception entry, on top of the deepest main-line path (the port's
    handlers share one priority, so they do not nest).

Usage: stack.py --elf image.elf --objdir DIR [--srcdir DIR] --root main
                [--irq HANDLER]... [--path NAME=FUNCTION]...
--path reports the deepest path from the root through FUNCTION (e.g.
request=tern_request_handle). Recursion, dynamic frames, unresolved
indirect calls and functions without a known frame are listed as notes.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

EXCEPTION_FRAME = 32  # r0-r3, r12, lr, pc, xPSR (no FPU on a Cortex-M3)
INDIRECT = "__indirect_call"

NODE_RE = re.compile(r'node: \{ title: "([^"]*)" label: "([^"]*)"')
EDGE_RE = re.compile(r'edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"(?: label: "([^"]*)")?')
BYTES_RE = re.compile(r"\\n(\d+) bytes \(([a-z,]+)\)")
DIE_RE = re.compile(r"^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((DW_TAG_\w+)\))?")
ATTR_RE = re.compile(r"^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$")


def tool(name, *args):
    return subprocess.run(["arm-none-eabi-" + name, *args], check=True,
                          capture_output=True, text=True).stdout


def short(fn):
    """A function's C name: no unit prefix, no clone suffix (.constprop.0)."""
    return fn.split(":")[-1].split(".")[0]


class Graph:
    def __init__(self):
        self.frame = {}  # function -> bytes
        self.calls = {}  # function -> set of direct callees
        self.sites = {}  # function -> [(object, "file:line:col")] indirect calls
        self.unit_of = {}  # function -> object defining it
        self.notes = []  # what makes the bound uncertain

    def call(self, caller, callee):
        self.calls.setdefault(caller, set()).add(callee)


def read_callgraph(graph, objdir):
    """Frames and calls from the .ci files; returns {object: unit}."""
    units = {}
    for ci in sorted(glob.glob(os.path.join(objdir, "*.ci"))):
        obj = ci[: -len(".ci")] + ".o"
        with open(ci) as f:
            text = f.read()
        m = re.match(r'graph: \{ title: "([^"]*)"', text)
        units[obj] = m.group(1) if m else ci
        for title, label in NODE_RE.findall(text):
            b = BYTES_RE.search(label)
            if b:
                graph.frame[title] = int(b.group(1))
                graph.unit_of[title] = obj
                if b.group(2) != "static":
                    graph.notes.append(f"{title}: {b.group(2)} frame ({b.group(1)} B static part)")
        for src, dst, where in EDGE_RE.findall(text):
            if dst == INDIRECT:
                graph.sites.setdefault(src, []).append((obj, where))
            else:
                graph.call(src, dst)
    return units


class Dwarf:
    """The debugging information of one object: function prototypes, and
    the function-pointer types of struct members and of variables."""

    def __init__(self, obj):
        self.dies = {}
        parents, current = {}, None
        for line in tool("readelf", "--debug-dump=info", obj).splitlines():
            m = DIE_RE.match(line)
            if m:
                depth, off = int(m.group(1)), int(m.group(2), 16)
                current = None
                if m.group(3) == "0":
                    continue
                current = {"tag": m.group(4), "attrs": {}, "children": []}
                self.dies[off] = current
                parents[depth] = off
                if depth > 0 and depth - 1 in parents:
                    self.dies[parents[depth - 1]]["children"].append(off)
                continue
            a = ATTR_RE.match(line)
            if a and current is not None:
                current["attrs"][a.group(1)] = a.group(2).strip()

    def ref(self, die, attr):
        v = die["attrs"].get(attr, "")
        m = re.match(r"<0x([0-9a-f]+)>", v)
        return self.dies.get(int(m.group(1), 16)) if m else None

    def origin(self, die):
        while die is not None and "DW_AT_abstract_origin" in die["attrs"]:
            die = self.ref(die, "DW_AT_abstract_origin")
        return die

    @staticmethod
    def name(die):
        v = die["attrs"].get("DW_AT_name")
        return None if v is None else v.rsplit("): ", 1)[-1]

    def type_str(self, die, depth=0):
        if die is None:
            return "void"
        if depth > 20:
            return "?"
        tag, name = die["tag"], self.name(die)
        inner = self.ref(die, "DW_AT_type")
        if tag in ("DW_TAG_base_type", "DW_TAG_typedef"):
            return name
        if tag in ("DW_TAG_structure_type", "DW_TAG_union_type", "DW_TAG_enumeration_type"):
            return tag[7:].split("_")[0] + " " + (name or "?")
        if tag == "DW_TAG_pointer_type":
            return self.type_str(inner, depth + 1) + "*"
        if tag in ("DW_TAG_const_type", "DW_TAG_volatile_type"):
            return self.type_str(inner, depth + 1) + " " + tag[7:].split("_")[0]
        if tag == "DW_TAG_subroutine_type":
            return self.signature(die, depth + 1)
        if tag == "DW_TAG_array_type":
            return self.type_str(inner, depth + 1) + "[]"
        return self.type_str(inner, depth + 1)  # restrict, atomic...

    def signature(self, die, depth=0):
        """The prototype of a subprogram or subroutine type, canonical."""
        die = self.origin(die)
        params = []
        for c in die["children"]:
            child = self.dies[c]
            if child["tag"] == "DW_TAG_formal_parameter":
                t = self.type_str(self.ref(self.origin(child), "DW_AT_type"), depth + 1)
                params.append(re.sub(r" const$", "", t))  # top-level const is not part of it
            elif child["tag"] == "DW_TAG_unspecified_parameters":
                params.append("...")
        return f"{self.type_str(self.ref(die, 'DW_AT_type'), depth + 1)}({','.join(params)})"

    def fn_pointer_sig(self, die):
        """The signature a function-pointer-typed entity points to, or None."""
        t = self.ref(die, "DW_AT_type")
        while t is not None and t["tag"] in ("DW_TAG_typedef", "DW_TAG_const_type",
                                             "DW_TAG_volatile_type"):
            t = self.ref(t, "DW_AT_type")
        if t is None or t["tag"] != "DW_TAG_pointer_type":
            return None
        s = self.ref(t, "DW_AT_type")
        while s is not None and s["tag"] == "DW_TAG_typedef":
            s = self.ref(s, "DW_AT_type")
        return self.signature(s) if s is not None and s["tag"] == "DW_TAG_subroutine_type" else None

    def collect(self):
        """(functions: name -> signature, members: name -> {signatures},
        variables: name -> {signatures}) of this object."""
        funcs, members, variables = {}, {}, {}
        for die in self.dies.values():
            tag = die["tag"]
            if tag == "DW_TAG_subprogram":
                o = self.origin(die)
                n = self.name(o)
                if n and n not in funcs:
                    funcs[n] = self.signature(o)
            elif tag in ("DW_TAG_member", "DW_TAG_formal_parameter", "DW_TAG_variable"):
                n = self.name(die)
                s = self.fn_pointer_sig(die) if n else None
                if s:
                    (members if tag == "DW_TAG_member" else variables).setdefault(n, set()).add(s)
        return funcs, members, variables


def read_address_taken(graph, units):
    """Functions whose address the code or data takes: the possible
    targets of indirect calls (the vector table's entries excepted)."""
    taken = set()
    for obj, unit in units.items():
        local_funcs = set()
        for line in tool("readelf", "-sW", obj).splitlines():
            cols = line.split()
            if len(cols) >= 8 and cols[3] == "FUNC" and cols[4] == "LOCAL":
                local_funcs.add(cols[7])
        section = None
        for line in tool("readelf", "-rW", obj).splitlines():
            m = re.match(r"Relocation section '\.rel(\S*)'", line)
            if m:
                section = m.group(1)
                continue
            cols = line.split()
            if section is None or len(cols) < 5 or not cols[2].startswith("R_ARM_"):
                continue
            if cols[2] in ("R_ARM_THM_CALL", "R_ARM_THM_JUMP24", "R_ARM_THM_JUMP19"):
                continue  # direct calls: in the call graph already
            if section.startswith((".debug", ".ARM")) or section == ".vectors":
                continue
            sym = cols[4]
            if sym.startswith(".text."):
                if sym == section:
                    continue  # a jump table of the function itself
                sym = sym[len(".text."):]
            name = f"{unit}:{sym}" if sym in local_funcs else sym
            if name in graph.frame:
                taken.add(name)
    return taken


def read_library(graph, elf):
    """Frames and calls of the functions the compiler did not describe,
    from the disassembly of the linked image."""
    aliases = {}  # address -> every function there (objdump names one)
    for line in tool("readelf", "-sW", elf).splitlines():
        cols = line.split()
        if len(cols) >= 8 and cols[3] == "FUNC":
            aliases.setdefault(int(cols[1], 16) & ~1, []).append(cols[7])
    funcs, current = {}, None
    for line in tool("objdump", "-d", "--no-show-raw-insn", elf).splitlines():
        m = re.match(r"^([0-9a-f]+) <([^>]+)>:$", line)
        if m:
            names = aliases.get(int(m.group(1), 16))
            current = [] if names else None  # data (literals) is not a function
            for name in names or ():
                funcs[name] = current
        elif current is not None and re.match(r"^\s*[0-9a-f]+:\t", line):
            current.append(line.split("\t", 1)[1].strip())
    known = {short(n) for n in graph.frame}
    for name, insns in funcs.items():
        if name in known:
            continue
        frame = 0  # every decrement of sp counted once: an upper bound
        for insn in insns:
            parts = insn.split(None, 1)
            op = parts[0].split(".")[0]
            operands = parts[1].split(";")[0].split("@")[0].strip() if len(parts) > 1 else ""
            if op == "push" or (op == "stmdb" and operands.startswith("sp!")):
                frame += 4 * count_registers(operands[operands.index("{"):])
            elif op in ("sub", "subw") and re.match(r"sp, (sp, )?#\d+$", operands):
                frame += int(operands.rsplit("#", 1)[1])
            elif op.startswith("str") and re.search(r"\[sp, #-(\d+)\]!$", operands):
                frame += int(re.search(r"#-(\d+)", operands).group(1))
            t = re.search(r"<([^>+]+)>$", operands)
            if re.match(r"b(l|eq|ne|cs|cc|hs|lo|mi|pl|hi|ls|ge|lt|gt|le)?$", op) and t \
                    and t.group(1) != name:  # calls and tail calls
                graph.call(name, t.group(1))
        graph.frame[name] = frame


def count_registers(reglist):
    n = 0
    for part in reglist.strip("{} ").split(","):
        part = part.strip()
        if "-" in part:
            a, b = (int(re.sub(r"\D", "", r)) for r in part.split("-"))
            n += b - a + 1
        elif part:
            n += 1
    return n


CALL_RE = re.compile(r"(?:(?:->|\.)\s*)?([A-Za-z_]\w*)\s*\)?\s*\(")


def called_names(srcdir, where):
    """What a call site may call, from its source line: every name called
    from its column on, with ("member", "read") for ops->read(...) and
    ("variable", "gen") for gen(...) or (*gen)(...). GCC places the site
    at the start of the enclosing expression (rc = ops->read(...), or an
    inlined call around it), so all of them are candidates."""
    m = re.match(r"(.*):(\d+):(\d+)$", where or "")
    if not m:
        return []
    try:
        with open(os.path.join(srcdir, m.group(1))) as f:
            line = f.read().splitlines()[int(m.group(2)) - 1]
    except (OSError, IndexError):
        return []
    return [("member" if c.group(0)[0] in "-." else "variable", c.group(1))
            for c in CALL_RE.finditer(line[int(m.group(3)) - 1:])]


def resolve_indirect(graph, units, taken, srcdir):
    """Turns each indirect call site into calls to the address-taken
    functions of the called pointer's type."""
    dwarf = {obj: Dwarf(obj).collect() for obj in units}
    members, sig_of = {}, {}
    for obj, (funcs, mem, _) in dwarf.items():
        for n, s in mem.items():
            members.setdefault(n, set()).update(s)
    for fn in taken:
        sig_of[fn] = dwarf[graph.unit_of[fn]][0].get(short(fn))
    unresolved = 0
    for caller, sites in graph.sites.items():
        for obj, where in sites:
            sigs = set()
            for kind, name in called_names(srcdir, where):
                sigs |= members.get(name, set()) if kind == "member" else \
                    dwarf[obj][2].get(name, set())
            if sigs:  # no function of those types here: the call cannot happen
                targets = {fn for fn in taken if sig_of[fn] in sigs}
            else:
                targets = set(taken)
                unresolved += 1
                graph.notes.append(f"indirect call at {where} ({short(caller)}) not resolved by "
                                   "type: every address-taken function assumed")
            for t in targets:
                graph.call(caller, t)
    return unresolved


class Analysis:
    def __init__(self, graph):
        self.g = graph
        self.memo = {}
        self.unknown = set()
        self.recursion = set()

    def frame(self, fn):
        if fn not in self.g.frame:
            self.unknown.add(fn)
            return 0
        return self.g.frame[fn]

    def deepest(self, fn, through=None, active=()):
        """(bytes, path) of the deepest call chain from fn; with through,
        only chains that pass through that function (None if none)."""
        key = (fn, through)
        if key in self.memo:
            return self.memo[key]
        if through == fn:
            result = self.deepest(fn, None, active)
        else:
            best = (0, []) if through is None else None
            for c in sorted(self.g.calls.get(fn, ())):
                if c in active or c == fn:
                    self.recursion.add(f"{short(fn)} -> {short(c)}")
                    continue
                sub = self.deepest(c, through, active + (fn,))
                if sub is not None and (best is None or sub[0] > best[0]):
                    best = sub
            result = None if best is None else (self.frame(fn) + best[0], [fn] + best[1])
        self.memo[key] = result
        return result


def show(graph, path):
    return " > ".join(f"{short(fn)} {graph.frame.get(fn, '?')}" for fn in path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--objdir", required=True)
    ap.add_argument("--srcdir", default=".", help="where the compiler ran (default .)")
    ap.add_argument("--root", default="main")
    ap.add_argument("--irq", action="append", default=[])
    ap.add_argument("--path", action="append", default=[], metavar="NAME=FUNCTION")
    args = ap.parse_args()

    graph = Graph()
    units = read_callgraph(graph, args.objdir)
    if not units:
        sys.exit(f"stack.py: no .ci files in {args.objdir} (compile with -fcallgraph-info=su)")
    taken = read_address_taken(graph, units)
    sites = sum(len(s) for s in graph.sites.values())
    unresolved = resolve_indirect(graph, units, taken, args.srcdir)
    read_library(graph, args.elf)
    an = Analysis(graph)

    print("stack, static bound (-fstack-usage frames on the -fcallgraph-info call graph;")
    print(f"{sites - unresolved} of {sites} indirect call sites resolved by type):")
    rows = []
    for spec in args.path:
        name, _, fn = spec.partition("=")
        rows.append((f"{name} path", an.deepest(args.root, fn)))
    main_worst = an.deepest(args.root)
    rows.append((f"{args.root}, deepest", main_worst))
    for label, r in rows:
        if r is None:
            print(f"  {label:20s}  not reachable from {args.root}")
        else:
            below = r[0] - graph.frame.get(args.root, 0)
            print(f"  {label:20s} {r[0]:5d} B  ({below} B below {args.root})")
    if args.irq:
        irq = max((an.deepest(h) for h in args.irq), key=lambda r: r[0])
        print(f"  {'interrupt, deepest':20s} {irq[0] + EXCEPTION_FRAME:5d} B  "
              f"({irq[0]} B + {EXCEPTION_FRAME} B exception frame)")
        total = main_worst[0] + EXCEPTION_FRAME + irq[0]
        print(f"  {'worst case, all':20s} {total:5d} B  ({args.root} + interrupt)")
        rows.append(("interrupt", irq))
    for label, r in rows:
        if r is not None:
            print(f"  {label}: {show(graph, r[1])}")
    notes = sorted(graph.notes)
    notes += [f"recursion {r}: not followed" for r in sorted(an.recursion)]
    notes += [f"no frame known for {u}: counted as 0" for u in sorted(an.unknown)]
    for n in notes:
        print(f"  note: {n}")


if __name__ == "__main__":
    main()
