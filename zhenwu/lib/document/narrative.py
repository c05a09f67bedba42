"""The template language of a report's editable sentences (叙述模板).

Staff write the sentences around the figures; the figures themselves always come from the
data. A template is plain text with:

- ``{name}`` — a placeholder: a figure (printed in the report's number style and linked to
  its rows in the preview), a piece of text (the township's name, the period) or a list
  (the projects under way);
- ``{如有 name}……{否则}……{结束}`` — a conditional sentence: the first part when ``name``
  has data and is not zero (a list: not empty), the ``{否则}`` part otherwise (optional);
  ``{如无 name}……{结束}`` is the reverse. Conditions nest;
- ``{{`` and ``}}`` for a literal brace.

Line breaks are for the editor only: each line is trimmed and the lines are joined without
a space (Chinese needs none), so one sentence per line keeps a long paragraph readable.

``check`` lists every mistake with its line before a template is saved; ``render`` turns a
valid template and a context into runs (strings and figures)."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zhenwu.lib.document.model import Figure

IF_WORDS = {"如有": False, "如无": True}
ELSE_WORD = "否则"
END_WORD = "结束"
TOKEN = re.compile(r"\{\{|\}\}|\{[^{}\n]*\}|\{|\}")
LINE_BREAK = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TemplateError(ValueError):
    """A template that cannot be used; the message names the line."""


@dataclass
class _Text:
    text: str


@dataclass
class _Field:
    name: str
    line: int


@dataclass
class _If:
    name: str
    negate: bool
    line: int
    then: list = field(default_factory=list)
    otherwise: list = field(default_factory=list)
    in_else: bool = False

    def branch(self) -> list:
        return self.otherwise if self.in_else else self.then


def _error(line: int, message: str) -> TemplateError:
    return TemplateError(_("第%(line)s行：%(message)s") % {"line": line, "message": message})


def parse(text: str) -> list:
    """The template's nodes; TemplateError at the first structural mistake."""
    root: list = []
    stack: list[_If] = []

    def target() -> list:
        return stack[-1].branch() if stack else root

    position, line = 0, 1
    for match in TOKEN.finditer(text):
        literal = text[position : match.start()]
        if literal:
            target().append(_Text(literal))
        line += literal.count("\n")
        position = match.end()
        token = match.group()
        if token in ("{{", "}}"):
            target().append(_Text(token[0]))
        elif token == "{":
            raise _error(line, _("“{”没有对应的“}”（要写花括号本身请用“{{”）。"))
        elif token == "}":
            raise _error(line, _("多余的“}”（要写花括号本身请用“}}”）。"))
        else:
            _tag(token[1:-1].strip(), line, target, stack)
    rest = text[position:]
    if rest:
        target().append(_Text(rest))
    if stack:
        raise _error(
            stack[-1].line,
            _("{%(word)s %(name)s} 没有对应的 {结束}。")
            % {"word": _if_word(stack[-1]), "name": stack[-1].name},
        )
    return root


def _if_word(node: _If) -> str:
    return "如无" if node.negate else "如有"


def _tag(tag: str, line: int, target, stack: list) -> None:
    # str.split() also splits at the full-width space a Chinese keyboard types.
    word, name = (tag.split(None, 1) + [""])[:2] if tag else ("", "")
    name = name.strip()
    if word in IF_WORDS:
        if not NAME.match(name):
            raise _error(line, _("{%(word)s} 后面要写占位符名称。") % {"word": word})
        node = _If(name, IF_WORDS[word], line)
        target().append(node)
        stack.append(node)
    elif tag == ELSE_WORD:
        if not stack or stack[-1].in_else:
            raise _error(line, _("{否则} 前面没有对应的 {如有 …}。"))
        stack[-1].in_else = True
    elif tag == END_WORD:
        if not stack:
            raise _error(line, _("{结束} 前面没有对应的 {如有 …}。"))
        stack.pop()
    elif NAME.match(tag):
        target().append(_Field(tag, line))
    else:
        raise _error(line, _("无法识别的标记 {%(tag)s}。") % {"tag": tag})


def _names(nodes: list):
    for node in nodes:
        if isinstance(node, _Field):
            yield node.name, node.line
        elif isinstance(node, _If):
            yield node.name, node.line
            yield from _names(node.then)
            yield from _names(node.otherwise)


def check(text: str, names) -> list[str]:
    """Every mistake in ``text`` as a message naming its line; [] when it can be used.
    ``names``: the placeholders this template may use."""
    try:
        nodes = parse(text)
    except TemplateError as error:
        return [str(error)]
    allowed = set(names)
    errors = []
    for name, line in _names(nodes):
        if name not in allowed:
            message = _("未知的占位符 {%(name)s}。") % {"name": name}
            errors.append(str(_error(line, message)))
    return errors


def is_true(value) -> bool:
    if isinstance(value, Figure):
        return value.present
    if isinstance(value, list | tuple):
        return len(value) > 0
    return bool(value)


def render(text: str, context: dict) -> list:
    """Runs (strings and figures) of ``text`` filled from ``context``; TemplateError when
    the template is broken or names something the context lacks."""
    runs: list = []
    _render(parse(text), context, runs)
    return _joined(runs)


def _render(nodes: list, context: dict, runs: list) -> None:
    for node in nodes:
        if isinstance(node, _Text):
            runs.append(node.text)
        elif isinstance(node, _Field):
            runs.extend(_value_runs(_lookup(context, node.name, node.line)))
        else:
            value = _lookup(context, node.name, node.line)
            chosen = is_true(value) != node.negate
            _render(node.then if chosen else node.otherwise, context, runs)


def _lookup(context: dict, name: str, line: int):
    if name not in context:
        raise _error(line, _("未知的占位符 {%(name)s}。") % {"name": name})
    return context[name]


def _value_runs(value) -> list:
    if isinstance(value, Figure):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]


def _joined(runs: list) -> list:
    """Adjacent strings merged, editor line breaks removed, ends trimmed."""
    out: list = []
    for run in runs:
        if isinstance(run, str) and out and isinstance(out[-1], str):
            out[-1] += run
        else:
            out.append(run)
    out = [LINE_BREAK.sub("", run) if isinstance(run, str) else run for run in out]
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return [run for run in out if run != ""]
