"""SWIFT FIN envelope: split a text into messages, blocks and block 4 fields.

A FIN message is a run of blocks ``{1:...}{2:...}{3:{108:...}{121:...}}{4:`` CRLF
``:20:...`` CRLF ... CRLF ``-}{5:{CHK:...}}``. Several messages may follow each other,
separated by nothing, whitespace, blank lines or ``$`` (the RJE separator): a new
message starts whenever a block id does not come after the previous one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stopship.screen.payments.errors import PaymentFormatError

_BLOCK_HEAD = re.compile(r"\{([0-9A-Z]{1,3}):")
_BLOCK4_END = re.compile(r"^-\}", re.MULTILINE)
_TAG_LINE = re.compile(r":(\d{2}[A-Z]?):(.*)")
_ORDER = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "S": 6}


@dataclass(frozen=True)
class FinField:
    tag: str  # "20", "32A", "50K", "59"
    lines: tuple[str, ...]
    line: int  # line of the ":tag:" in the source text

    @property
    def label(self) -> str:
        return f":{self.tag}:"


@dataclass
class FinMessage:
    text: str
    line: int  # first line in the source text
    blocks: dict[str, str] = field(default_factory=dict)
    block4_line: int = 0  # line where block 4's content starts


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def split_messages(text: str, source: str) -> list[FinMessage]:
    """The FIN messages in ``text``, with their blocks' raw content."""
    messages: list[FinMessage] = []
    current: FinMessage | None = None
    start = 0
    last_order = 0
    pos, n = 0, len(text)
    while True:
        while pos < n and (text[pos].isspace() or text[pos] in "$\x1a"):
            pos += 1
        if pos >= n:
            break
        head = _BLOCK_HEAD.match(text, pos)
        if head is None:
            snippet = text[pos : pos + 20].split("\n", 1)[0]
            raise PaymentFormatError(
                source,
                f"expected a FIN block such as '{{1:' or '{{4:', found {snippet!r}",
                line=_line_at(text, pos),
            )
        bid = head.group(1)
        order = _ORDER.get(bid, 7)
        if current is None or bid in current.blocks or order <= last_order:
            if current is not None:
                current.text = text[start:pos].rstrip(" \t\r\n$")
                messages.append(current)
            current = FinMessage(text="", line=_line_at(text, pos))
            start = pos
        last_order = order
        if bid == "4":
            end = _BLOCK4_END.search(text, head.end())
            if end is None:
                raise PaymentFormatError(
                    source,
                    "block 4 is not closed by a line '-}'",
                    field="block 4",
                    line=_line_at(text, pos),
                )
            current.blocks["4"] = text[head.end() : end.start()]
            current.block4_line = _line_at(text, head.end())
            pos = end.end()
            continue
        depth, i = 1, head.end()
        while i < n and depth:
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
            i += 1
        if depth:
            raise PaymentFormatError(
                source,
                f"block {bid} is not closed by '}}'",
                field=f"block {bid}",
                line=_line_at(text, pos),
            )
        current.blocks[bid] = text[head.end() : i - 1]
        pos = i
    if current is not None:
        current.text = text[start:].rstrip(" \t\r\n$")
        messages.append(current)
    return messages


def block4_fields(msg: FinMessage, source: str) -> list[FinField]:
    """Block 4 split into fields; continuation lines join the field above them."""
    fields: list[FinField] = []
    tag: str | None = None
    lines: list[str] = []
    tag_line = 0

    def flush() -> None:
        if tag is not None:
            while lines and not lines[-1].strip():
                lines.pop()
            fields.append(FinField(tag, tuple(lines), tag_line))

    for offset, raw in enumerate(msg.blocks["4"].split("\n")):
        text = raw.rstrip("\r")
        lineno = msg.block4_line + offset
        if text.startswith(":"):
            m = _TAG_LINE.fullmatch(text)
            if m is None:
                bad = text.split(":", 2)[1] if text.count(":") >= 2 else text[:8]
                raise PaymentFormatError(
                    source,
                    f"unknown field tag syntax ':{bad}:' (expected two digits and an "
                    "optional option letter, such as ':20:' or ':50K:')",
                    field="block 4",
                    line=lineno,
                )
            flush()
            tag, tag_line, lines = m.group(1), lineno, [m.group(2)]
        elif tag is None:
            if text.strip():
                raise PaymentFormatError(
                    source,
                    f"text before the first field: {text[:35]!r}",
                    field="block 4",
                    line=lineno,
                )
        else:
            lines.append(text)
    flush()
    return fields
