"""Build a set of editions and record what a reader gets, so two versions of the code can be compared.

    python bench/same_output.py OUT_DIR      # builds the Serge edition, the test fixtures' mini edition
                                             # and the foreign TEI files into OUT_DIR, one folder each
    python bench/same_output.py --compare A B

For each edition it keeps the EPUB (compared byte for byte), the layout and index JSON, and the
text of every PDF page as pypdf extracts it (compared exactly). The redesign of issue 8 was checked
this way: the outputs of the commit before and after it must be the same.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def editions() -> dict[str, list[str]]:
    found = {"serge": [str(ROOT / "tei")], "mini": [str(ROOT / "tests" / "fixtures" / "mini")]}
    for path in sorted(SHARED.glob("foreign-tei/*/*.xml")):
        found[path.parent.name] = [str(path), "--force"]
    return found


def build(out: Path) -> None:
    edition = Path(sys.executable).with_name("edition")
    for name, args in editions().items():
        folder = out / name
        shutil.rmtree(folder, ignore_errors=True)
        source = Path(args[0])
        if name == "mini":  # the fixture names its schema in ../schema, as a copied edition does
            copy = out / "_mini-src"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(source, copy)
            shutil.copytree(ROOT / "tei" / "schema", copy / "schema")
            args = [str(copy)]
        done = subprocess.run([str(edition), "build", *args, "--out", str(folder), "-q"],
                              capture_output=True, text=True)
        (folder).mkdir(parents=True, exist_ok=True)
        (folder / "diagnostics.txt").write_text(done.stderr.replace(str(out), "OUT"), encoding="utf-8")
        for pdf in folder.glob("*.pdf"):
            pdf.with_suffix(".pdf.txt").write_text(pdf_text(pdf), encoding="utf-8")
        print(f"{name}: exit {done.returncode}, {len(list(folder.iterdir()))} files")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = [f"--- page {label}\n{page.extract_text()}"
             for label, page in zip(reader.page_labels, reader.pages, strict=True)]
    return "\n".join(pages)


def compare(a: Path, b: Path) -> int:
    differences = 0
    for folder in sorted(p for p in a.iterdir() if p.is_dir() and not p.name.startswith("_")):
        other = b / folder.name
        for path in sorted(folder.iterdir()):
            if path.suffix == ".pdf" or path.is_dir():
                continue  # compared by its text (.pdf.txt) and its layout; the layout cache is not output
            twin = other / path.name
            if not twin.exists():
                print(f"missing in {b}: {folder.name}/{path.name}")
                differences += 1
            elif not filecmp.cmp(path, twin, shallow=False):
                print(f"differs: {folder.name}/{path.name}")
                differences += 1
    print("identical" if not differences else f"{differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    build(Path(sys.argv[1]))
