"""Scrubbing: what the copy drops (revisions, comments, hidden runs, personal properties ...)."""
from __future__ import annotations

from lxml import etree

from .model import _State
from .ns import (
    APP_PERSONAL,
    COMMENT_ANCHORS,
    COMMENTS_CT,
    CORE_PERSONAL,
    MC_AC,
    MC_CHOICE,
    MC_FALLBACK,
    PROPERTY_CHANGES,
    R_NS,
    RANGE_MARKERS,
    REMOVED_REL_TYPES,
    W_COMMENTREF,
    W_DEL,
    W_DELINSTR,
    W_DELTEXT,
    W_INS,
    W_MOVEFROM,
    W_MOVETO,
    W_P,
    W_PPR,
    W_PSTYLE,
    W_R,
    W_RPR,
    W_TBL,
    W_TRPR,
    W_VAL,
    w,
)
from .pictures import stripped
from .reader import _is_local_path, _Reader, _related, _story_parts
from .sweep import could_hold_value


def scrub(st: _State) -> None:
    pkg = st.pkg
    main = pkg.main_part()
    reader = _Reader(st)
    stories = [main] + [p for p, _o in _story_parts(pkg, main)]
    for part in stories:
        root = pkg.xml(part)
        _scrub_story(root, reader, st.default_hidden)
        pkg.dirty.add(part)
    # Parts that go: comments (and their extensions), people, custom properties, thumbnail.
    for source in ["", main]:
        for _el, rtype, target, ext in pkg.rels(source):
            if not ext and rtype in REMOVED_REL_TYPES:
                pkg.remove_part(target)
    for name, ct in list(pkg.content_types.items()):
        if ct == COMMENTS_CT:
            pkg.remove_part(name)
    for part in _related(pkg, main, "settings"):
        root = pkg.xml(part)
        for el in list(root.iter(w("docVars"))):
            el.getparent().remove(el)
            pkg.dirty.add(part)
        for el, rtype, target, external in pkg.rels(part):
            if external and rtype == "attachedTemplate" and _is_local_path(target):
                el.set("Target", target.replace("\\", "/").rsplit("/", 1)[-1])
                pkg.dirty.add(pkg.rels_name(part))
    for part, notes in st.markup_notes.items():
        for c in notes:
            if c.getparent() is not None:
                c.getparent().remove(c)  # XML comments and processing instructions (tails are kept)
        pkg.dirty.add(part)
    _drop_dangling_references(st)
    _sanitise_content_types(st)
    # Pictures keep only what is needed to draw them (metadata read at extraction goes).
    for name, fmt in st.pictures.items():
        if name not in pkg.raw:
            pkg.raw[name] = stripped(pkg.zip.read(name), fmt)
    # Personal properties emptied; scanned properties keep their (edited) values.
    for _el, rtype, target, ext in pkg.rels(""):
        if ext or target not in pkg.names or target in pkg.removed:
            continue
        personal = CORE_PERSONAL if rtype == "core-properties" else APP_PERSONAL if rtype == "extended-properties" else None
        if personal is None:
            continue
        root = pkg.xml(target)
        for el in root:
            if isinstance(el.tag, str) and el.tag in personal and el.text:
                el.text = ""
        pkg.dirty.add(target)




def _drop_dangling_references(st: _State) -> None:
    """An element that points (r:id, r:embed ...) at a relationship whose target the copy drops
    goes too: an OLE object keeps its preview picture, a chart loses its embedded workbook, an
    ActiveX control or an unreadable imported chunk disappears."""
    pkg = st.pkg
    for part in sorted(st.keep):
        if part in st.pictures or part in st.chunks or pkg.rels_name(part) not in pkg.names:
            continue
        gone = {el.get("Id") for el, _t, target, ext in pkg.rels(part)
                if not ext and (target not in st.keep or target in pkg.removed)}
        gone.discard(None)
        if not gone:
            continue
        root = pkg.xml(part)
        for el in root.xpath("//*[@*[namespace-uri()=$ns]]", ns=R_NS):
            if any(v in gone for k, v in el.items() if k.startswith(f"{{{R_NS}}}")) and el.getparent() is not None:
                el.getparent().remove(el)
                pkg.dirty.add(part)


def _sanitise_content_types(st: _State) -> None:
    """Content type strings are copied into the rebuilt [Content_Types].xml: one that could hold
    a value (read by the sweep) is replaced by a neutral one."""
    for table in (st.pkg.content_types, st.pkg.default_types):
        for key, ctype in table.items():
            if could_hold_value(ctype):
                table[key] = "application/octet-stream"


def _scrub_story(root: etree._Element, reader: _Reader, default_hidden: bool) -> None:
    """Accept tracked changes, drop comment anchors, hidden runs and the mc:Fallback copies."""
    # Fallback copies of text boxes/drawings: the Choice was read and edited, the Fallback was not.
    for ac in list(root.iter(MC_AC)):
        choices = ac.findall(MC_CHOICE)
        if choices:
            for el in choices[1:] + ac.findall(MC_FALLBACK):
                ac.remove(el)
    deleted_marks = []
    for el in list(root.iter(W_DEL, W_MOVEFROM)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == W_TRPR:  # a deleted table row
            tr = parent.getparent()
            if tr is not None and tr.getparent() is not None:
                tr.getparent().remove(tr)
            continue
        if parent.tag == W_RPR and parent.getparent() is not None and parent.getparent().tag == W_PPR:
            deleted_marks.append(parent.getparent().getparent())  # a deleted paragraph mark
        parent.remove(el)  # a deleted run, or a paragraph-mark revision marker in w:rPr
    for el in list(root.iter(W_INS, W_MOVETO, w("cellIns"), w("cellDel"), w("cellMerge"))):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag in (W_RPR, W_TRPR, w("tcPr")) or el.tag in (w("cellIns"), w("cellDel"), w("cellMerge")):
            parent.remove(el)
            continue
        index = parent.index(el)
        for child in list(el):
            parent.insert(index, child)
            index += 1
        parent.remove(el)
    for el in list(root.iter(*PROPERTY_CHANGES, *RANGE_MARKERS, *COMMENT_ANCHORS, W_DELTEXT, W_DELINSTR, w("fldData"))):
        if el.getparent() is not None:
            el.getparent().remove(el)
    for ref in list(root.iter(W_COMMENTREF)):
        run = ref.getparent()
        run.remove(ref)
        if run.tag == W_R and all(c.tag == W_RPR for c in run) and run.getparent() is not None:
            run.getparent().remove(run)
    # Hidden runs (directly or through a character/paragraph style).
    st = reader.st
    for p in list(root.iter(W_P)):
        ppr = p.find(W_PPR)
        p_hidden = default_hidden
        if ppr is not None:
            ps = ppr.find(W_PSTYLE)
            if ps is not None and ps.get(W_VAL) in st.styles_hidden:
                p_hidden = st.styles_hidden[ps.get(W_VAL)]
        for r in list(p.iter(W_R)):
            if r.getparent() is None or not reader._run_hidden(r, p_hidden):
                continue
            if r.find(w("fldChar")) is not None:  # keep the field's structure, drop its text
                for c in list(r):
                    if c.tag not in (W_RPR, w("fldChar")):
                        r.remove(c)
            else:
                r.getparent().remove(r)
    # A paragraph whose mark was deleted and which is now empty was deleted as a whole: accepting
    # the deletion removes it (unless it is the last block of its container or ends a section).
    for p in deleted_marks:
        container = p.getparent() if p is not None else None
        if container is None or p.tag != W_P:
            continue
        ppr = p.find(W_PPR)
        if ppr is not None and ppr.find(w("sectPr")) is not None:
            continue
        if any(c.tag not in (W_PPR, w("bookmarkStart"), w("bookmarkEnd"), w("proofErr")) for c in p):
            continue
        if sum(1 for c in container if c.tag in (W_P, W_TBL)) > 1:
            container.remove(p)
