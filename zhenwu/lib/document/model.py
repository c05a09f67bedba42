"""The document model of the report engine: figures, blocks and the document."""

from dataclasses import dataclass, field

H1, H2, P, TABLE = "h1", "h2", "p", "table"


@dataclass(frozen=True)
class Figure:
    """A number in a document: ``text`` as printed, ``url`` of the rows it counts.

    ``has_data`` is False when the source holds no rows at all: the text then says
    暂无数据 instead of a made-up 0."""

    key: str
    label: str
    text: str
    value: object
    url: str
    has_data: bool = True

    @property
    def present(self) -> bool:
        """Data and a non-zero value: what a conditional sentence ({如有 …}) tests."""
        return self.has_data and _non_zero(self.value)


def _non_zero(value) -> bool:
    if isinstance(value, tuple | list):
        return any(_non_zero(item) for item in value)
    if value is None:
        return False
    try:
        return value != 0
    except TypeError:  # pragma: no cover - odd values count as present
        return True


def run_text(run) -> str:
    return run.text if isinstance(run, Figure) else str(run)


@dataclass
class Block:
    """A heading (h1, h2), a paragraph (p) or a table.

    A paragraph's ``runs`` are strings and figures; ``lead`` is its lead-in printed bold
    (“1. 任务。”). A table has ``header`` (strings) and ``rows`` (lists of runs: a cell is
    a string or a figure). ``slot`` names the editable template the block came from."""

    kind: str
    runs: list = field(default_factory=list)
    lead: str = ""
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    slot: str = ""

    @property
    def text(self) -> str:
        if self.kind == TABLE:
            lines = ["\t".join(self.header)] if self.header else []
            lines += ["\t".join(run_text(cell) for cell in row) for row in self.rows]
            return "\n".join(lines)
        return self.lead + "".join(run_text(run) for run in self.runs)


@dataclass
class Document:
    title: str
    blocks: list[Block]
    figures: dict[str, Figure] = field(default_factory=dict)
    subtitle: str = ""
    subject: str = ""
    keywords: str = ""

    def as_text(self) -> str:
        head = [self.title, self.subtitle] if self.subtitle else [self.title]
        return "\n".join([*head, "", *[block.text for block in self.blocks]]) + "\n"
