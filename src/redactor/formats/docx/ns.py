"""Names of the OOXML vocabulary the DOCX adapter reads and writes, and the XML parser."""
from __future__ import annotations

from lxml import etree

from ...document import BODY, FOOTER, HEADER, NOTE

# Origins this adapter adds to the common ones in document.py.
FIELD = "field"
WATERMARK = "watermark"
DIAGRAM = "diagram"
ALT_CHUNK = "alt_chunk"
CHART = "chart"
ALT_TEXT = "alt_text"
HYPERLINK = "hyperlink"
EMBEDDED = "embedded_object"
ALTERNATE = "alternate_content"  # an mc:Fallback whose text differs from its mc:Choice

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
EP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUST_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def mc(name: str) -> str:
    return f"{{{MC_NS}}}{name}"


W_P, W_R, W_T, W_TBL, W_TR, W_TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
W_PPR, W_RPR, W_TRPR = w("pPr"), w("rPr"), w("trPr")
W_DEL, W_INS, W_MOVEFROM, W_MOVETO = w("del"), w("ins"), w("moveFrom"), w("moveTo")
W_DELTEXT, W_INSTR, W_DELINSTR = w("delText"), w("instrText"), w("delInstrText")
W_VANISH, W_RSTYLE, W_PSTYLE = w("vanish"), w("rStyle"), w("pStyle")
W_TXBX = w("txbxContent")
W_SDT, W_SDTCONTENT, W_SDTPR = w("sdt"), w("sdtContent"), w("sdtPr")
W_FLDSIMPLE = w("fldSimple")
W_SYM = w("sym")
W_VAL = w("val")
M_T = f"{{{M_NS}}}t"
V_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"  # WordArt, e.g. a watermark in a header
# Legacy form fields keep a default text, help and status texts and list entries in attributes.
FORM_FIELD_ATTRS = {w("default"), w("helpText"), w("statusText"), w("listEntry")}
MC_AC, MC_CHOICE, MC_FALLBACK = mc("AlternateContent"), mc("Choice"), mc("Fallback")
# Characters that structural elements stand for inside a run.
STRUCTURAL = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "\u2011", w("ptab"): "\t"}
TEXT_TAGS = {W_T, W_DELTEXT, W_INSTR, W_DELINSTR, M_T}
SKIP_IN_PARAGRAPH = {W_PPR, W_RPR, W_SDTPR, w("fldData"), w("rubyPr")}
# Revision records of formatting/properties: accepted by dropping them (they hold author/date).
PROPERTY_CHANGES = {
    w(n)
    for n in (
        "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange", "tblGridChange",
        "tcPrChange", "trPrChange", "numberingChange",
    )
}
RANGE_MARKERS = {
    w(n)
    for n in (
        "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
        "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
        "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
        "customXmlMoveToRangeEnd", "permStart", "permEnd",  # permissions name an editor (w:ed)
    )
}
COMMENT_ANCHORS = {w("commentRangeStart"), w("commentRangeEnd")}
W_COMMENTREF = w("commentReference")

CT_PREFIX = "application/vnd.openxmlformats-officedocument.wordprocessingml."
STORY_TYPES = {
    CT_PREFIX + "document.main+xml": BODY,
    "application/vnd.ms-word.document.macroEnabled.main+xml": BODY,
    CT_PREFIX + "template.main+xml": BODY,
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": BODY,
    CT_PREFIX + "header+xml": HEADER,
    CT_PREFIX + "footer+xml": FOOTER,
    CT_PREFIX + "footnotes+xml": NOTE,
    CT_PREFIX + "endnotes+xml": NOTE,
    CT_PREFIX + "document.glossary+xml": BODY,
}
COMMENTS_CT = CT_PREFIX + "comments+xml"
# Parts removed from the copy, by relationship type (last path component).
REMOVED_REL_TYPES = {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people",
                     "custom-properties", "thumbnail"}
# Drawing parts whose text is visible on the page (SmartArt, charts): read as segments.
DRAWING_TEXT_RELS = {"diagramData": "diagram", "diagramDrawing": "diagram", "chart": "chart"}
EMBED_REL_TYPES = {"image", "oleObject", "package", "chart", "diagramData", "aFChunk", "control", "video", "audio",
                   "media", "thumbnail"}

# Personal document properties: reported and emptied in the copy.
CORE_PERSONAL = {f"{{{DC_NS}}}creator": "author", f"{{{CP_NS}}}lastModifiedBy": "lastModifiedBy",
                 f"{{{DC_NS}}}description": "comments"}
CORE_SCANNED = {f"{{{DC_NS}}}title": "title", f"{{{DC_NS}}}subject": "subject", f"{{{CP_NS}}}keywords": "keywords",
                f"{{{CP_NS}}}category": "category", f"{{{CP_NS}}}contentStatus": "contentStatus"}
APP_PERSONAL = {f"{{{EP_NS}}}Company": "company", f"{{{EP_NS}}}Manager": "manager"}
APP_SCANNED = {f"{{{EP_NS}}}HyperlinkBase": "hyperlinkBase"}
# Values that name a tool or a default install, not a person: cleared, but not reported.
from ..metadata import GENERIC_AUTHORS as GENERIC_PROPERTY_VALUES  # noqa: E402 - one shared list



def _on(el: etree._Element | None) -> bool | None:
    """OOXML on/off property: absent -> None; present -> its value (default true)."""
    if el is None:
        return None
    return el.get(W_VAL, "true").lower() not in ("0", "false", "off")

