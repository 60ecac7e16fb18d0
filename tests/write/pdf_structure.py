"""Checks of a PDF's structure a reader's tools rely on: the tag tree, its parent tree, named destinations."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf


def structure_problems(path: Path) -> list[str]:
    """What is wrong with the tag tree: an element whose parent is not the one holding it, or whose page is not
    the book's; marked content on a page that the parent tree does not lead back to; a link annotation with no
    structure element. Also counts what it checked, so that a check of nothing fails."""
    pdf = pikepdf.open(path)
    root = pdf.Root.StructTreeRoot
    numbers = root.ParentTree.Nums
    tree = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    pages = {page.obj.objgen for page in pdf.pages}
    problems, elements, marked = [], 0, 0
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    stack = [(kid, document) for kid in document.K]
    while stack:
        element, parent = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") == "/OBJR":
            continue
        elements += 1
        if element.P.objgen != parent.objgen:
            problems.append(f"element {element.objgen} has another parent than the one holding it")
        if "/Pg" in element and element.Pg.objgen not in pages:
            problems.append(f"element {element.objgen} is on a page not in the book")
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary):
                stack.append((kid, element))
    for number, page in enumerate(pdf.pages):
        contents = page.obj.Contents
        content = b"".join(c.read_bytes() for c in (contents if isinstance(contents, pikepdf.Array) else [contents]))
        mapped = tree.get(int(page.obj.get("/StructParents", -1)))
        for mcid in (int(m) for m in re.findall(rb"/MCID (\d+)", content)):
            marked += 1
            element = mapped[mcid] if mapped is not None and mcid < len(mapped) else None
            kids = element.K if element is not None else []
            if element is None or element.Pg.objgen != page.obj.objgen or not any(
                    isinstance(k, int) and int(k) == mcid for k in (kids if isinstance(kids, pikepdf.Array) else [kids])):
                problems.append(f"page {number + 1}: marked content {mcid} does not lead back to its element")
        for annotation in page.obj.get("/Annots", []):
            element = tree.get(int(annotation.get("/StructParent", -1)))
            if element is None or not any(isinstance(k, pikepdf.Dictionary) and "/Obj" in k
                                          and k.Obj.objgen == annotation.objgen for k in element.K):
                problems.append(f"page {number + 1}: a link annotation has no structure element")
    if not elements or not marked:
        problems.append(f"nothing tagged ({elements} elements, {marked} marked contents)")
    if int(root.ParentTreeNextKey) <= max(tree, default=-1):
        problems.append("ParentTreeNextKey is not past the parent tree's keys")
    return problems


def unresolved_links(path: Path) -> tuple[int, list[str]]:
    """The internal links, and the names they point to that the document's destinations lack."""
    pdf = pikepdf.open(path)
    names = pdf.Root.Names.Dests.Names
    held = {str(names[i]) for i in range(0, len(names), 2)}
    links = [str(a.Dest) for page in pdf.pages for a in page.obj.get("/Annots", []) if "/Dest" in a]
    return len(links), sorted({name for name in links if name not in held})
