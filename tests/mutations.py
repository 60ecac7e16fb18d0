"""Seeded mutations of real TEI, and one run of `edition` on a mutated copy judged against the contract.

Used by tests/test_mutation.py (a few hundred cases) and bench/mutate.py (ten thousand). A case is
one file of a real edition changed by one to three mutations; it runs in a fresh copy of that
edition, so the sources are never touched.
"""

from __future__ import annotations

import random
import re
import shutil
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

XI = "http://www.w3.org/2001/XInclude"
MB = 1_000_000
# How many elements or attributes the "many" mutations add, as a share of the full run's (the test's
# quick sample lowers it; bench/mutate.py runs at 1).
SCALE = 1.0

# What `edition` may print on stderr: diagnostics with a location, the summary, and the build's own lines.
DIAGNOSTIC = re.compile(r"^(?P<path>[^\n]+?):(?P<line>[1-9]\d*)(?::(?P<column>[1-9]\d*))?: (?:error|warning|info): [^\n]* \[[a-z][\w-]*\]$")
# A build's findings about the books themselves (the layout, the EPUB's links) have no place in the TEI.
BOOK_DIAGNOSTIC = re.compile(r"^\((?:pdf|epub|layout)\): (?:error|warning|info): [^\n]* \[[a-z][\w-]*\]$")
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings? in \d+ files?$")
BUILD_LINES = re.compile(r"^(wrote \S.*|build stopped: .*)$")


@dataclass(frozen=True)
class Source:
    """A real edition (a folder) and the files of it a case may mutate."""

    name: str
    folder: Path
    files: tuple[str, ...]
    single: bool  # an edition of one file: copy only that file


@dataclass
class Case:
    number: int
    source: Source
    target: str
    mutations: list[str]
    data: bytes
    extras: dict[str, bytes | None] = field(default_factory=dict)  # None makes a folder
    whole: bool = False  # validate the whole edition folder, not the mutated file
    command: str = "validate"


@dataclass
class Outcome:
    case: Case
    exit_code: int
    seconds: float
    output: str
    problems: list[str]


def real_sources(root: Path, shared: Path | None) -> list[Source]:
    """The Serge edition, the test fixtures and, when present, the foreign TEI files."""
    found = []
    tei = root / "tei"
    found.append(Source("serge", tei, tuple(str(p.relative_to(tei)) for p in sorted(tei.rglob("*.xml"))
                                             if "schema" not in p.parts), single=False))
    mini = root / "tests" / "fixtures" / "mini"
    found.append(Source("mini", mini, tuple(str(p.relative_to(mini)) for p in sorted(mini.rglob("*.xml"))),
                        single=False))
    for path in sorted((root / "tests" / "fixtures" / "rules").glob("*.xml")):
        found.append(Source(f"rules/{path.stem}", path.parent, (path.name,), single=True))
    if shared is not None and shared.is_dir():
        for path in sorted(shared.glob("foreign-tei/*/*.xml")):
            found.append(Source(f"foreign/{path.parent.name}", path.parent, (path.name,), single=True))
    return found


# --- mutations: each takes the bytes of a file and a random source, returns new bytes and any extra files ---

_START_TAG = re.compile(rb"<([A-Za-z][\w.:-]*)(\s[^<>]*?)?(/?)>")
_ANY_TAG = re.compile(rb"</?[A-Za-z][\w.:-]*(?:\s[^<>]*?)?/?>")
_POINTER = re.compile(rb'\s(ref|target|corresp|wit|source|resp|ana)="([^"]*)"')
_WHEN = re.compile(rb'\s(when|notBefore|notAfter)="([^"]*)"')


def _body_start_tags(data: bytes) -> list[re.Match]:
    start = max(data.find(b"<text"), 0)
    return [m for m in _START_TAG.finditer(data, start) if not m.group(3)]


def _pick(rng: random.Random, items: list):
    return items[rng.randrange(len(items))] if items else None


def _insert_after_tag(rng, data: bytes, insertion: bytes) -> bytes:
    tag = _pick(rng, _body_start_tags(data))
    at = tag.end() if tag else len(data) // 2
    return data[:at] + insertion + data[at:]


def _set_attribute(rng, data: bytes, name: bytes, value: bytes) -> bytes:
    tag = _pick(rng, _body_start_tags(data))
    if tag is None:
        return data
    at = tag.start() + 1 + len(tag.group(1))
    return data[:at] + b" " + name + b'="' + value + b'"' + data[at:]


def flip_bytes(rng, data):
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 5, 20])):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data), {}


def truncate(rng, data):
    return data[: rng.randrange(len(data) + 1)], {}


def delete_tag(rng, data):
    tag = _pick(rng, list(_ANY_TAG.finditer(data)))
    return (data[: tag.start()] + data[tag.end():] if tag else data), {}


def duplicate_tag(rng, data):
    tag = _pick(rng, list(_ANY_TAG.finditer(data)))
    return (data[: tag.end()] + tag.group(0) + data[tag.end():] if tag else data), {}


def swap_end_tags(rng, data):
    ends = list(re.finditer(rb"</[A-Za-z][\w.:-]*>", data))
    if len(ends) < 2:
        return data, {}
    a, b = sorted(rng.sample(range(len(ends)), 2))
    first, second = ends[a], ends[b]
    return (data[: first.start()] + second.group(0) + data[first.end(): second.start()] + first.group(0)
            + data[second.end():]), {}


def giant_attribute(rng, data):
    size = rng.choice([10_000, 300_000, 1 * MB, 3 * MB])
    name = rng.choice([b"rend", b"n", b"type", b"xml:id"])
    return _set_attribute(rng, data, name, b"x" * size), {}


def giant_pointer(rng, data):
    size = rng.choice([5_000, 300_000, 1 * MB, 2 * MB])
    value = rng.choice([b"#" + b"a" * size, b"#a " * (size // 3), b"b" * size + b".xml#x", b"%00" * (size // 3)])
    return _set_attribute(rng, data, rng.choice([b"ref", b"target", b"corresp", b"wit"]), value), {}


def giant_text(rng, data):
    return _insert_after_tag(rng, data, b"word " * rng.choice([1000, 200_000, 600_000])), {}


def control_characters(rng, data):
    bad = rng.choice([b"\x00", b"\x01", b"\x1b[31m", b"&#0;", b"&#1;", b"&#x1F;", b"\xff\xfe", b"\r", b"&#10;",
                      b"\xed\xa0\x80", b"\xc0\xaf"])
    if rng.random() < 0.5:
        return _set_attribute(rng, data, rng.choice([b"when", b"ref", b"n", b"target"]), b"a" + bad + b"b"), {}
    return _insert_after_tag(rng, data, bad), {}


def deep_nesting(rng, data):
    depth = rng.choice([30, 70, 130, 300])
    kind = rng.choice([(b"<note>n ", b"</note>"), (b"<hi>", b"</hi>"), (b"<div>", b"</div>"),
                       (b"<app><lem>", b"</lem></app>"), (b"<seg>", b"</seg>")])
    return _insert_after_tag(rng, data, kind[0] * depth + b"deep" + kind[1] * depth), {}


def xinclude(rng, data):
    choice = rng.randrange(13)
    extras: dict[str, bytes | None] = {}
    if choice == 0:
        href = b"missing/persons.xml"
    elif choice == 1:
        href, extras = b"afolder", {"afolder": None}
    elif choice == 2:
        href = b"."
    elif choice == 3:
        href = b"/etc/passwd"
    elif choice == 4:
        href = b"http://example.org/x.xml"
    elif choice == 5:
        href, extras = b"binary.xml", {"binary.xml": bytes(range(256)) * 4}
    elif choice == 6:
        href, extras = b"loop.xml", {"loop.xml": f'<p xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="{XI}">'
                                                 f'<xi:include href="loop.xml"/></p>'.encode()}
    elif choice == 7:
        href = b"a" * 5000 + b".xml"
    elif choice == 8:
        href = b"x%00y.xml"
    elif choice == 9:
        href, extras = b"frag.xml", {"frag.xml": b'<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="f1">f</p>'}
        href += rng.choice([b'" xpointer="nothere', b'" xpointer="f1', b'" parse="text" encoding="bogus'])
    elif choice == 10:
        href, extras = b"deep.xml", {"deep.xml": b"<a>" * 100 + b"</a>" * 100}
    elif choice == 11:
        href = b""
    else:
        href = b"file:///etc/passwd"
    if rng.random() < 0.5:
        href += rng.choice([b'" parse="text', b'" parse="xml', b'" parse="bogus'])
    element = b'<xi:include xmlns:xi="' + XI.encode() + b'" href="' + href + b'"/>'
    if rng.random() < 0.2:
        # the include replaces the root element
        root = re.search(rb"<TEI\b.*</TEI>", data, re.S)
        if root:
            return data[: root.start()] + element + data[root.end():], extras
    return _insert_after_tag(rng, data, element), extras


def odd_pointer(rng, data):
    value = rng.choice([
        b"", b"#", b"##", b"# #", b"#a#b", b"a" * 300 + b".xml", b"a" * 5000, b"%00", b"x%00.xml#y",
        b"file:///etc/passwd", b"../../../../../../etc/passwd#x", b"//server/share/x.xml", b"\\\\server\\x",
        b"data:text/plain,hi", b"javascript:alert(1)", b"?q=1", b"x.xml?q#f", b"#\xc3\xa9t\xc3\xa9",
        b"%", b"%zz.xml", b"x.xml#" + b"y" * 3000, b"/", b".", b"..", b"tei/", b"#x y #z", b"http://[::1",
        b"urn:x:y", b"\xe2\x80\x8b#zero-width", b"C:\\tei\\x.xml", b"&amp;", b"&lt;", b"a/" * 2000 + b"b.xml",
    ])
    pointers = list(_POINTER.finditer(data))
    target = _pick(rng, pointers)
    if target is not None and rng.random() < 0.7:
        return data[: target.start(2)] + value + data[target.end(2):], {}
    return _set_attribute(rng, data, rng.choice([b"ref", b"target", b"corresp", b"wit", b"from"]), value), {}


def odd_date(rng, data):
    value = rng.choice([b"", b" ", b"1918-13-01", b"1918-02-30", b"Juin 26", b"99999999999999999999",
                        b"-0001", b"1918-03-03T25:00", b"2" * 200_000, b"1918&#10;"])
    dates = list(_WHEN.finditer(data))
    target = _pick(rng, dates)
    if target is not None:
        return data[: target.start(2)] + value + data[target.end(2):], {}
    return _set_attribute(rng, data, b"when", value), {}


def many_attributes(rng, data):
    count = int(rng.choice([200, 5000, 20000]) * SCALE) or 1
    prefix = rng.choice([b"a", b"xml:b", b"rend"])
    attributes = b" ".join(prefix + b"%d" % i + b'="1"' for i in range(count))
    if rng.random() < 0.3:
        attributes = b"\n".join(prefix + b"%d" % i + b'="1"' for i in range(count))
    return _set_attribute(rng, data, b"n", b"1" + b'" ' + attributes + b' z="z'), {}


def bad_encoding(rng, data):
    choice = rng.randrange(7)
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
    if choice == 0:
        return b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body, {}
    if choice == 1:
        return b'<?xml version="1.0" encoding="bogus-8"?>' + body, {}
    if choice == 2:
        return b"\xff\xfe" + data.decode("utf-8", "replace").encode("utf-16-le"), {}
    if choice == 3:
        return data.decode("utf-8", "replace").encode("latin-1", "replace"), {}
    if choice == 4:
        return b"\xef\xbb\xbf" + b'<?xml version="1.0" encoding="UTF-16"?>' + body, {}
    if choice == 5:
        return b'<?xml version="1.1" encoding="UTF-8"?>' + body, {}
    return data.decode("utf-8", "replace").encode("utf-16"), {}


def odd_structure(rng, data):
    choice = rng.randrange(9)
    if choice == 0:
        return b"", {}
    if choice == 1:
        return b'<?xml version="1.0"?>\n', {}
    if choice == 2:
        return b"<TEI/>", {}
    if choice == 3:
        return b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0">' + re.sub(rb"^<\?xml[^>]*\?>", b"", data) + b"</teiCorpus>", {}
    if choice == 4:
        return data.replace(b'xmlns="http://www.tei-c.org/ns/1.0"', b""), {}
    if choice == 5:
        return re.sub(rb'xml:id="[^"]*"', b'xml:id="same"', data), {}
    if choice == 6:
        return data.replace(b"\n", b"\n" * 50), {}
    if choice == 7:
        return (b'<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd" [<!ATTLIST p rend CDATA "x">]>\n'
                + re.sub(rb"^<\?xml[^>]*\?>", b"", data)), {}
    return re.sub(rb"<body>.*</body>", b"<body/>", data, flags=re.S), {}


SCHEMA_HREFS = [b"", b".", b"schema/", b"a" * 5000 + b".rng", b"x%00.rng", b"http://example.org/x.rng",
                b"/etc/passwd", b"../../../../../../etc/passwd", b"bad.rng", b"binary.rng", b"#frag.rng",
                b"schema/edition.rng?x", b"file:///etc/passwd"]


def odd_schema(rng, data):
    href = rng.choice(SCHEMA_HREFS)
    extras = {"bad.rng": b"<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><ref name='nowhere'/></start></grammar>",
              "binary.rng": bytes(range(256))}
    pi = b'<?xml-model href="' + href + b'" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>'
    if re.search(rb"<\?xml-model[^>]*\?>", data):
        return re.sub(rb"<\?xml-model[^>]*\?>", lambda m: pi, data, count=1), extras
    at = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
    return data[:at] + pi + data[at:], extras


def many_elements(rng, data):
    count = int(rng.choice([10_000, 100_000]) * SCALE) or 1
    return _insert_after_tag(rng, data, rng.choice([b"<lb/>", b"<hi>x</hi> ", b'<ref target="#nowhere">x</ref>',
                                                     b"<note>n</note>"]) * count), {}


MUTATIONS = {
    f.__name__: f
    for f in (flip_bytes, truncate, delete_tag, duplicate_tag, swap_end_tags, giant_attribute, giant_pointer,
              giant_text, control_characters, deep_nesting, xinclude, odd_pointer, odd_date, many_attributes,
              bad_encoding, odd_structure, odd_schema, many_elements)
}
# The cheap, structure-preserving kinds come up more often; the giant ones less.
WEIGHTS = {"flip_bytes": 3, "truncate": 1, "delete_tag": 3, "duplicate_tag": 2, "swap_end_tags": 1,
           "giant_attribute": 1, "giant_pointer": 1, "giant_text": 1, "control_characters": 2, "deep_nesting": 2,
           "xinclude": 3, "odd_pointer": 4, "odd_date": 2, "many_attributes": 1, "bad_encoding": 1,
           "odd_structure": 1, "odd_schema": 1, "many_elements": 1}


def make_case(number: int, seed: int, sources: list[Source], kinds: list[str] | None = None) -> Case:
    """Case ``number`` of the run seeded ``seed``: always the same bytes for the same pair."""
    rng = random.Random(f"{seed}:{number}")
    source, target = rng.choice([(source, name) for source in sources for name in source.files])
    data = (source.folder / target).read_bytes()
    kinds = kinds or list(WEIGHTS)
    names = rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds], k=rng.choice([1, 1, 1, 2, 3]))
    extras: dict[str, bytes | None] = {}
    for name in names:
        data, more = MUTATIONS[name](rng, data)
        extras.update(more)
    return Case(number, source, target, names, data, extras, whole=not source.single and rng.random() < 0.3)


# --- running a case --------------------------------------------------------------------------------


class NetworkUsed(AssertionError):
    pass


@contextmanager
def no_network():
    """Any attempt to open a socket raises (and is recorded by the exception reaching the output)."""
    saved = socket.socket, socket.create_connection, socket.getaddrinfo

    class Refused(socket.socket):
        def __init__(self, *args, **kwargs):
            raise NetworkUsed("network access attempted")

    def refuse(*args, **kwargs):
        raise NetworkUsed("network access attempted")

    socket.socket, socket.create_connection, socket.getaddrinfo = Refused, refuse, refuse
    try:
        yield
    finally:
        socket.socket, socket.create_connection, socket.getaddrinfo = saved


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def lay_out(case: Case, scratch: Path) -> tuple[Path, Path]:
    """A fresh copy of the case's edition under ``scratch`` with the mutated file; (edition folder, file)."""
    edition = scratch / "edition"
    if case.source.single:
        edition.mkdir(parents=True)
    else:
        shutil.copytree(case.source.folder, edition)
        if not (edition / "schema" / "edition.rng").exists():
            (edition / "schema").mkdir(exist_ok=True)
            shutil.copy(Path(__file__).resolve().parents[1] / "tei" / "schema" / "edition.rng", edition / "schema")
    target = edition / case.target
    target.write_bytes(case.data)
    for name, content in case.extras.items():
        path = target.parent / name
        if content is None:
            path.mkdir(exist_ok=True)
        else:
            path.write_bytes(content)
    return edition, target


def run_case(case: Case, scratch: Path, invoke, limit_seconds: float = 5.0) -> Outcome:
    """Run ``edition validate`` (or build) on the case and list every breach of the contract.

    ``invoke(args) -> (exit_code, stdout, stderr)`` runs the command line, in-process or not.
    """
    edition, target = lay_out(case, scratch)
    out = scratch / "out"
    before = snapshot(scratch)
    args = [case.command]
    if case.command == "build":
        args += ["--force", "--out", str(out)]
    args.append(str(edition if case.whole else target))
    start = time.perf_counter()
    with no_network():
        exit_code, stdout, stderr = invoke(args)
    seconds = time.perf_counter() - start
    problems = []
    output = stdout + stderr
    if exit_code not in (0, 1):
        problems.append(f"exit code {exit_code}")
    for marker in ("Traceback", "internal error", "NetworkUsed", "network access attempted"):
        if marker in output:
            problems.append(f"output holds {marker!r}")
    for line in stderr.splitlines():
        if not (DIAGNOSTIC.match(line) or (case.command == "build" and BOOK_DIAGNOSTIC.match(line)) or SUMMARY.match(line)
                or BUILD_LINES.match(line)):
            problems.append(f"not a one-line located diagnostic: {line[:200]!r}")
            break
    size = sum(len(c) for c in case.extras.values() if c) + len(case.data)
    if seconds > limit_seconds and size < 10 * MB:
        problems.append(f"took {seconds:.1f} s on {size / MB:.1f} MB")
    after = snapshot(scratch)
    changed = sorted(k for k in set(before) | set(after)
                     if before.get(k, b"?") != after.get(k, b"?") and not k.startswith("out"))
    if changed:
        problems.append(f"wrote or changed outside the output folder: {changed[:5]}")
    return Outcome(case, exit_code, seconds, output, problems)


def describe(case: Case) -> str:
    return f"case {case.number}: {case.source.name}/{case.target} with {'+'.join(case.mutations)}" + (
        " (whole edition)" if case.whole else "")


def in_process():
    """``invoke(args)`` running the command line in this process, as `edition` would (exit 3 on a crash)."""
    from click.testing import CliRunner

    from edition.cli import cli
    from edition.errors import EditionError

    runner = CliRunner()

    def invoke(args: list[str]) -> tuple[int, str, str]:
        result = runner.invoke(cli, args, catch_exceptions=True)
        error = result.exception
        if error is not None and not isinstance(error, SystemExit):
            code = 2 if isinstance(error, EditionError) else 3
            return code, result.stdout, f"{result.stderr}\nTraceback (in-process): {type(error).__name__}: {error}"
        return result.exit_code, result.stdout, result.stderr

    return invoke
