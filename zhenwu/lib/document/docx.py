"""A document of the report engine as a Word file in the official layout (党政机关公文格式,
GB/T 9704-2012, simplified): A4, margins 37/35/28/26 mm, title in 方正小标宋简体 2号 (22 pt)
centred, body in 仿宋_GB2312 3号 (16 pt) at a fixed 28 pt line pitch with a two-character
first-line indent, headings 一、 in 黑体, （一） in 楷体_GB2312, the “1.” lead-in of a task in
仿宋 bold, and the page number “— 1 —” centred in the footer (宋体 4号).

Fonts are named, not embedded. Word and WPS on a government desktop have these; elsewhere
they substitute (方正小标宋简体 → 宋体/SimSun, 仿宋_GB2312 → 仿宋/FangSong, 楷体_GB2312 →
楷体/KaiTi): each font entry below carries the common Windows name as its ``altName`` in
the document's font table, so Word picks that one when the first is missing; LibreOffice
maps all of them through fontconfig (Noto Serif/Sans CJK on Debian). The figures are plain
text here; the links live in the HTML preview. Tables (the monthly analysis figures) are
set in 仿宋 4号 with a 黑体 header row."""

import io

from docx import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from zhenwu.lib.document.model import H1, H2, TABLE, Document, run_text

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
FOOTER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Font → the name Word falls back to when the first is not installed.
ALT_NAMES = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
    HEADING1_FONT: "SimHei",
}
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
FOOTER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(14)  # 4号
LINE_PITCH = Pt(28)
INDENT = Pt(32)  # two characters of 3号


def render_docx(source: Document) -> bytes:
    document = WordDocument()
    _page(document)
    _styles(document)
    _title(document, source.title)
    if source.subtitle:
        _subtitle(document, source.subtitle)
    for block in source.blocks:
        if block.kind == H1:
            _heading(document, block.text, "Heading 1")
        elif block.kind == H2:
            _heading(document, block.text, "Heading 2")
        elif block.kind == TABLE:
            _table(document, block)
        else:
            _paragraph(document, block)
    _font_table(document)
    _core_properties(document, source)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    _page_number(section.footer)


def set_font(target, east_asian: str, size, bold: bool = False) -> None:
    """Font of a run or a style: CJK text in ``east_asian``, Latin digits in Times."""
    font = target.font
    font.name = LATIN_FONT
    font.size = size
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _spacing(paragraph_format, *, indent=True) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_PITCH
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    # Pt(0), not None: None would inherit the body's two-character indent.
    paragraph_format.first_line_indent = INDENT if indent else Pt(0)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    _spacing(normal.paragraph_format)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
        style = document.styles[name]
        set_font(style, font, BODY_SIZE)
        style.font.italic = False
        _spacing(style.paragraph_format)
        style.paragraph_format.keep_with_next = True


def _title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph.paragraph_format, indent=False)
    paragraph.paragraph_format.line_spacing = Pt(36)
    paragraph.paragraph_format.space_after = LINE_PITCH  # one blank line under the title
    set_font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)


def _subtitle(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph.paragraph_format, indent=False)
    paragraph.paragraph_format.space_after = LINE_PITCH
    set_font(paragraph.add_run(text), HEADING2_FONT, BODY_SIZE)


def _table(document, block) -> None:
    columns = len(block.header) or max((len(row) for row in block.rows), default=1)
    table = document.add_table(rows=0, cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if block.header:
        _table_row(table, block.header, HEADING1_FONT)
    for row in block.rows:
        _table_row(table, [run_text(cell) for cell in row], BODY_FONT)
    # A table glued to the next heading reads badly: one empty line after it.
    _spacing(document.add_paragraph().paragraph_format, indent=False)


def _table_row(table, texts: list[str], font: str) -> None:
    cells = table.add_row().cells
    for cell, text in zip(cells, texts, strict=False):
        paragraph = cell.paragraphs[0]
        _spacing(paragraph.paragraph_format, indent=False)
        paragraph.paragraph_format.line_spacing = Pt(22)
        set_font(paragraph.add_run(str(text)), font, TABLE_SIZE)


def _heading(document, text: str, style: str) -> None:
    paragraph = document.add_paragraph(style=style)
    font = HEADING1_FONT if style == "Heading 1" else HEADING2_FONT
    set_font(paragraph.add_run(text), font, BODY_SIZE)


def _paragraph(document, block) -> None:
    paragraph = document.add_paragraph()
    if block.lead:
        set_font(paragraph.add_run(block.lead), BODY_FONT, BODY_SIZE, bold=True)
    text = "".join(run_text(run) for run in block.runs)
    if text:
        set_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) as begin / instruction / separate / result / end runs."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    set_font(paragraph.add_run("1"), FOOTER_FONT, FOOTER_SIZE)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    for each in paragraph.runs:
        set_font(each, FOOTER_FONT, FOOTER_SIZE)


def _page_number(footer) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("— "), FOOTER_FONT, FOOTER_SIZE)
    _field(paragraph, "PAGE")
    set_font(paragraph.add_run(" —"), FOOTER_FONT, FOOTER_SIZE)


def _font_table(document) -> None:
    """Declare the CJK fonts with their fallback names (``w:altName``) in fontTable.xml
    (a plain part in python-docx: edit its bytes)."""
    for rel in document.part.rels.values():
        if rel.reltype != RT.FONT_TABLE:
            continue
        part = rel.target_part
        table = parse_xml(part.blob)
        for name, alt in ALT_NAMES.items():
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            alt_name = OxmlElement("w:altName")
            alt_name.set(qn("w:val"), alt)
            font.append(alt_name)
            charset = OxmlElement("w:charset")
            charset.set(qn("w:val"), "86")  # GB2312
            font.append(charset)
            table.append(font)
        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core_properties(document, source: Document) -> None:
    properties = document.core_properties
    properties.title = source.title
    properties.subject = source.subject or source.title
    properties.author = "镇务 Zhenwu"
    properties.keywords = source.keywords
