"""YAML text → plain documents with a source map (a span for every key and value).

Only plain data is read: mappings, sequences and scalars. Scalars resolve as in YAML 1.2's core
schema (only `true`/`false` are booleans, so `no`, `on`, `ja` stay text; dates stay ISO text).
Refused, each with its own diagnostic: tags (`!!python/object`), duplicate keys, tabs in the
indentation, control characters, alias expansion beyond `MAX_YAML_NODES` ("billion laughs"), files
beyond `MAX_YAML_BYTES` (the project loader checks a file's size before it reads it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hfspec.diagnostics import Diagnostic, DiagnosticBag, Message, Severity
from hfspec.source import SourceFile, Span, point

#: Largest number of YAML nodes one file may expand to (aliases included). Specs hold a few
#: thousand; a "billion laughs" file needs billions. Exceeding it is HF105.
MAX_YAML_NODES = 200_000
#: Largest spec file read, in bytes (HF109). The whole national catalogue is far below it.
MAX_YAML_BYTES = 5_000_000

Path_ = tuple[str | int, ...]

#: libyaml's composer when PyYAML was built with it (several times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
#: Characters YAML does not allow anywhere in a file (YAML 1.1 §5.1, as PyYAML's reader refuses
#: them): C0 control characters other than tab, line feed and carriage return, DEL, C1 control
#: characters other than NEL, and the non-characters U+FFFE and U+FFFF.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
#: What a double-quoted scalar written by hfspec escapes besides what JSON escapes: characters YAML
#: does not allow raw, and the ones it reads as line breaks.
_ESCAPED = re.compile("[\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: Control characters reported per file; the rest are counted.
CONTROL_CHARACTERS_SHOWN = 5
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@dataclass(frozen=True, slots=True)
class ScalarOrigin:
    """Where a scalar's raw text sits in the file, for mapping positions inside it (expressions)."""

    start: int
    end: int
    style: str | None  # None plain, "'" or '"' quoted, "|" literal, ">" folded


@dataclass
class Document:
    """One YAML document: its plain data and a map from paths to spans."""

    source: SourceFile
    data: Any
    span: Span
    value_spans: dict[Path_, Span] = field(default_factory=dict)
    key_spans: dict[Path_, Span] = field(default_factory=dict)
    origins: dict[Path_, ScalarOrigin] = field(default_factory=dict)
    refused: bool = False  # something in it was refused (a tag): later stages skip it
    reported: set = field(default_factory=set)  # paths of values already reported (a list item indented too far): no schema follow-ups

    def at(self, path: Path_) -> Span:
        """The span of the value at `path`, or of its closest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.value_spans:
                return self.value_spans[path]
            path = path[:-1]
        return self.span

    def key_at(self, path: Path_) -> Span:
        """The span of the key that introduces `path` (falls back to the value)."""
        return self.key_spans.get(tuple(path)) or self.at(path)

    def get(self, path: Path_, default: Any = None) -> Any:
        value = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def text_span(self, path: Path_, start: int, end: int) -> Span:
        """The file span of characters [start, end) of the scalar string at `path`."""
        origin = self.origins.get(tuple(path))
        value = self.get(path)
        if origin is None or not isinstance(value, str):
            return self.at(path)
        offsets = _align(value, self.source.text, origin)
        lo = offsets[min(start, len(offsets) - 1)]
        hi = offsets[min(max(end, start + 1), len(offsets) - 1)]
        if end > start and end - 1 < len(offsets) - 1:
            hi = offsets[end - 1] + 1
        return self.source.span(lo, max(hi, lo + 1))


def _align(value: str, text: str, origin: ScalarOrigin) -> list[int]:
    """Map each character of a scalar's value to its offset in the file (plus one past the end).

    Non-blank characters of the value appear in the raw text in order (escapes and folding
    change only blanks and backslashes), so a greedy walk aligns them.
    """
    raw_pos = origin.start + (1 if origin.style in ("'", '"') else 0)
    offsets: list[int] = []
    for ch in value:
        if ch.isspace():
            offsets.append(min(raw_pos, origin.end))
            if raw_pos < origin.end and text[raw_pos] == ch:
                raw_pos += 1
            continue
        probe = raw_pos
        while probe < origin.end and text[probe] != ch:
            probe += 1
        if probe < origin.end:
            raw_pos = probe
        offsets.append(raw_pos)
        raw_pos += 1
    offsets.append(min(raw_pos, origin.end))
    return offsets


def _mark_span(source: SourceFile, node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    if end.index <= start.index:
        return point(source, start.line + 1, start.column + 1)
    if end.line > start.line:
        # A multi-line value: point at its first line only, to its end.
        return Span(source, start.line + 1, start.column + 1, start.line + 1, len(source.line(start.line + 1)) + 1)
    return Span(source, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _TooBig(Exception):
    pass


class _Builder:
    """Turns composed YAML nodes into plain values, recording spans and refusing what we refuse."""

    def __init__(self, source: SourceFile, bag: DiagnosticBag):
        self.source = source
        self.bag = bag
        self.count = 0
        self.doc: Document | None = None

    def build(self, node: Node) -> Document:
        self.doc = Document(self.source, None, _mark_span(self.source, node))
        self.doc.data = self.value(node, (), set())
        return self.doc

    def value(self, node: Node, path: Path_, active: set[int]) -> Any:
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise _TooBig()
        assert self.doc is not None
        span = _mark_span(self.source, node)
        self.doc.value_spans.setdefault(path, span)
        if node.tag not in _STANDARD_TAGS:
            self.doc.refused = True
            self.bag.add(Diagnostic(
                "HF104", Message("yaml.tag", tag=_short_tag(node.tag)), point(self.source, node.start_mark.line + 1, node.start_mark.column + 1, len(_short_tag(node.tag))),
                hint=Message("yaml.tag_hint"), label=Message("yaml.tag_label")))
            return None
        if id(node) in active:
            self.bag.error("HF105", Message("yaml.recursive_alias"), span, hint=Message("yaml.recursive_alias_hint"))
            return None
        if isinstance(node, ScalarNode):
            self.doc.origins[path] = ScalarOrigin(node.start_mark.index, node.end_mark.index, node.style or None)
            if not node.style and path and isinstance(path[-1], int) and node.end_mark.line > node.start_mark.line:
                self.list_item_run_on(node, path)
            return _resolve_scalar(node)
        active = active | {id(node)}
        if getattr(node, "flow_style", False):
            self.decimal_commas(node)
        if isinstance(node, SequenceNode):
            return [self.value(item, path + (i,), active) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            first_seen: dict[Any, Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or (isinstance(key_node, ScalarNode) and key_node.value == "<<" and not key_node.style):
                    self.bag.error("HF104", Message("yaml.merge_key"), _mark_span(self.source, key_node), hint=Message("yaml.merge_key_hint"))
                    continue
                if not isinstance(key_node, ScalarNode):
                    self.bag.error("HF110", Message("yaml.complex_key"), _mark_span(self.source, key_node))
                    continue
                key = str(key_node.value)  # keys are always text (`2019:` in a price index too)
                key_span = _mark_span(self.source, key_node)
                if key in first_seen:
                    first = first_seen[key]
                    self.bag.add(Diagnostic(
                        "HF103", Message("yaml.duplicate_key", key=key), key_span, label=Message("yaml.duplicate_key_label"),
                        hint=Message("yaml.duplicate_key_hint", key=key, line=first.start_mark.line + 1)))
                    continue
                first_seen[key] = key_node
                self.doc.key_spans[path + (key,)] = key_span
                result[key] = self.value(value_node, path + (key,), active)
            return result
        raise AssertionError(f"unexpected YAML node {type(node).__name__}")


    def decimal_commas(self, node: Node) -> None:
        """HF113 (a warning) for a decimal comma inside `[...]` or `{...}`, where the comma
        separates items: `[0,45]` is the two numbers 0 and 45, and `{value: 0,5}` is `value: 0`
        and a key `5`. In a list, only where it cannot be meant (`0,45`, `1,05`); `[1,2]` is fine."""
        children = list(node.value) if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
        text = self.source.text
        for i, (left, right) in enumerate(zip(children, children[1:])):
            if not (isinstance(left, ScalarNode) and isinstance(right, ScalarNode) and not left.style and not right.style):
                continue
            if text[left.end_mark.index:right.start_mark.index] != "," or not (_INT.fullmatch(left.value) and _INT.fullmatch(right.value)):
                continue
            in_mapping = isinstance(node, MappingNode) and i % 2 == 1  # a value, then the next key
            if not (in_mapping or left.value.lstrip("-+") == "0" or (right.value.startswith("0") and len(right.value) > 1)):
                continue
            written = f"{left.value},{right.value}"
            key = children[i - 1].value if in_mapping and isinstance(children[i - 1], ScalarNode) else "..."
            if in_mapping:
                message = Message("yaml.comma_in_mapping", written=written, key=key, left=left.value, right=right.value)
                hint = Message("yaml.comma_number_hint", number=f"{left.value}.{right.value}")
            else:
                message = Message("yaml.comma_in_list", written=written, left=left.value, right=int(right.value))
                hint = Message("yaml.comma_list_hint", number=f"{left.value}.{right.value}", left=left.value, right=right.value)
            self.bag.add(Diagnostic(
                "HF113", message,
                Span(self.source, left.start_mark.line + 1, left.start_mark.column + 1, right.end_mark.line + 1, right.end_mark.column + 1),
                label=Message("yaml.decimal_comma_label"), severity=Severity.WARNING, hint=hint))

    def list_item_run_on(self, node: ScalarNode, path: Path_) -> None:
        """HF112 for a list item indented further than the one above it (`   - HF-O-06` under
        `  - HF-P-02`): YAML reads it as more words of the item above, and the schema would then
        refuse `HF-P-02 - HF-O-06` on the line above. Reported on the item's own line."""
        assert self.doc is not None
        above = self.source.line(node.start_mark.line + 1)
        dash = above.rfind("-", 0, node.start_mark.column) + 1 or node.start_mark.column + 1
        for number in range(node.start_mark.line + 2, node.end_mark.line + 2):
            text = self.source.line(number)
            stripped = text.lstrip(" ")
            if stripped == "-" or stripped.startswith("- "):
                indent = len(text) - len(stripped)
                self.bag.add(Diagnostic(
                    "HF112", Message("yaml.item_too_far", n=indent, n_above=dash - 1), point(self.source, number, indent + 1),
                    label=Message("yaml.item_too_far_label"), hint=Message("yaml.item_too_far_hint", line=node.start_mark.line + 1, col=dash)))
                self.doc.reported.add(path)
                return


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _resolve_scalar(node: ScalarNode) -> Any:
    text = node.value
    if node.style or node.tag == "tag:yaml.org,2002:str":  # libyaml marks plain as '', PyYAML as None
        return text  # quoted or block, or a plain scalar PyYAML already resolved as text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


def decode_spec(raw: bytes, name: str, bag: DiagnosticBag) -> SourceFile | None:
    """A spec file's bytes as text: UTF-8 (a BOM is skipped), or UTF-16/32 with a BOM (YAML
    allows them; PowerShell writes UTF-16). Anything else is HF111 at the first byte that is not
    UTF-8, with the line shown as Windows-1252 (Notepad's "ANSI", the usual cause).

    Specs are not guessed into Windows-1252 the way data files are: a spec is shared (the
    national catalogue, git, editors that check it against the schema) and must read the same
    everywhere, and a file that is UTF-8 but for one pasted character would have every æ, ø and
    å turned into two wrong letters without a word. Saving as UTF-8 is one click."""
    import codecs

    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return SourceFile.from_text(name, raw.decode(encoding))
            except UnicodeDecodeError:
                break
    try:
        return SourceFile.from_text(name, raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        bad = error.start
    guess = SourceFile.from_text(name, raw.decode("cp1252", errors="replace"))
    line = raw.count(b"\n", 0, bad) + 1
    col = len(raw[raw.rfind(b"\n", 0, bad) + 1:bad].decode("cp1252", errors="replace")) + 1
    char = raw[bad:bad + 1].decode("cp1252", errors="replace")
    shown = char.strip() and char != "\ufffd"
    byte = f"0x{raw[bad]:02X}"
    message = Message("yaml.not_utf8_char", byte=byte, char=char, line=line) if shown else Message("yaml.not_utf8", byte=byte, line=line)
    bag.add(Diagnostic("HF111", message, point(guess, line, col), label=Message("yaml.not_utf8_label"), hint=Message("yaml.not_utf8_hint")))
    return None


def load_documents(source: SourceFile, bag: DiagnosticBag) -> list[Document]:
    """Every document of a YAML file, with spans. Problems go to `bag`; broken files give []."""
    if len(source.text) > MAX_YAML_BYTES:
        bag.error("HF109", Message("yaml.too_large", n=MAX_YAML_BYTES), Span(source, 1, 1, 1, 2))
        return []
    if _control_characters(source, bag):
        return []
    tab_lines = _tab_indented_lines(source)
    if tab_lines:
        for line, col in tab_lines:
            bag.add(Diagnostic("HF102", Message("yaml.tab"), point(source, line, col), label=Message("yaml.tab_label"),
                               hint=Message("yaml.tab_hint")))
        return []
    documents: list[Document] = []
    builder = _Builder(source, bag)
    try:
        for node in yaml.compose_all(source.text, Loader=_LOADER):
            if node is None:
                continue
            documents.append(builder.build(node))
    except _TooBig:
        bag.error("HF105", Message("yaml.too_many_nodes", n=MAX_YAML_NODES), Span(source, 1, 1, 1, 2),
                  hint=Message("yaml.too_many_nodes_hint"))
        return []
    except RecursionError:
        bag.error("HF109", Message("yaml.too_deep"), Span(source, 1, 1, 1, 2), hint=Message("yaml.too_deep_hint"))
        return []
    except yaml.MarkedYAMLError as error:
        bag.add(_syntax_diagnostic(source, error))
        return []
    return documents


def _control_characters(source: SourceFile, bag: DiagnosticBag) -> bool:
    """HF114 for each character YAML does not allow (the first few); whether there was one."""
    found = list(_NOT_PRINTABLE.finditer(source.text))
    shown = found[:CONTROL_CHARACTERS_SHOWN]
    for i, match in enumerate(shown):
        line, col = source.position(match.start())
        more = len(found) - len(shown) if i == len(shown) - 1 else 0
        hint = Message("yaml.control_hint_more", n=more) if more > 0 else Message("yaml.control_hint")
        bag.add(Diagnostic("HF114", Message("yaml.control", code=f"U+{ord(match.group()):04X}"), point(source, line, col),
                           label=Message("yaml.control_label"), hint=hint))
    return bool(found)


def _tab_indented_lines(source: SourceFile) -> list[tuple[int, int]]:
    found = []
    for number in range(1, source.line_count + 1):
        line = source.line(number)
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent] and line.strip():
            found.append((number, line.index("\t") + 1))
    return found


def _indentation_hint(source: SourceFile, line: int) -> Message | None:
    """A hint for a syntax error on a line indented differently from the line above it, when that
    line opens no block (it does not end with `:`): then the two are at one level and must start
    in the same column (`   foo: 1` under `  reference_date: 2021-12-31`)."""
    text = source.line(line)
    if not text.strip() or text.lstrip(" ").startswith("#"):
        return None
    above = next((n for n in range(line - 1, 0, -1) if source.line(n).strip() and not source.line(n).lstrip(" ").startswith("#")), None)
    if above is None:
        return None
    before = source.line(above)
    indent, indent_above = len(text) - len(text.lstrip(" ")), len(before) - len(before.lstrip(" "))
    if indent == indent_above or before.split(" #")[0].rstrip().endswith(":"):
        return None
    return Message("yaml.indentation_lines", line=line, n=indent, above=above, n_above=indent_above)


def _syntax_diagnostic(source: SourceFile, error: yaml.MarkedYAMLError) -> Diagnostic:
    problem = (error.problem or "invalid YAML").strip()
    mark = error.problem_mark or error.context_mark
    context = (error.context or "").strip()
    if "quoted scalar" in context and error.context_mark is not None:
        m = error.context_mark
        return Diagnostic("HF106", Message("yaml.unclosed_quote"), point(source, m.line + 1, m.column + 1), label=Message("yaml.unclosed_quote_label"),
                          hint=Message("yaml.unclosed_quote_hint"))
    if error.context_mark is not None and "flow" in context:
        m = error.context_mark
        opener = source.line(m.line + 1)[m.column: m.column + 1] or "["
        closer = {"[": "]", "{": "}"}.get(opener, "]")
        if mark is None or mark.line != m.line or "<stream end>" in problem:
            return Diagnostic("HF101", Message("yaml.unclosed_bracket", opener=opener), point(source, m.line + 1, m.column + 1),
                              label=Message("yaml.opened_here"), hint=Message("yaml.unclosed_bracket_hint", closer=closer))
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if problem.startswith("exceeded maximum nesting depth"):  # libyaml's own limit on nesting
        return Diagnostic("HF109", Message("yaml.too_deep"), point(source, line, col), hint=Message("yaml.too_deep_hint"))
    while line > 1 and not source.line(line).strip() and line >= source.line_count - 1:
        line -= 1  # end of input: point just past the last real character
        col = len(source.line(line)) + 1
    message, hint = _syntax_message(problem, context, source.line(line)[col - 1:])
    indentation = _indentation_hint(source, line)
    if indentation is not None:
        text = source.line(line)
        return Diagnostic("HF101", message, point(source, line, len(text) - len(text.lstrip(" ")) + 1),
                          label=Message("yaml.indented_differently"), hint=indentation)
    return Diagnostic("HF101", message, point(source, line, col), hint=hint)


# -- writing YAML --------------------------------------------------------------------------------
# hfspec writes a few YAML files (`hfspec init`, `hfspec cream --write-shortlist`) as text with
# comments. Every value from outside the code goes through one of these, so that no value (a rater's
# name, a file name, a title) can end a line and start a key of its own (`extends:`, `include:`).

#: Texts `scalar` writes without quotes: letters, digits and `_ . / -`, starting with a letter,
#: `.` or `/`, and none of the words some YAML reader takes for something other than text.
_PLAIN = re.compile(r"[A-Za-z./][A-Za-z0-9_./-]*")
_WORDS = re.compile(r"(?i)y|n|yes|no|on|off|true|false|null|[-+]?\.(inf|nan)")


def scalar(text: str) -> str:
    """A text as a YAML scalar that reads back as exactly this text: as it is when that is safe in
    every YAML reader (`vejle`, `HF-O-08`, `../national/catalogue.yaml`), else `quoted`.

    >>> scalar("HF-O-08"), scalar("no"), scalar("2021"), scalar(".inf"), scalar("a b")
    ('HF-O-08', '"no"', '"2021"', '".inf"', '"a b"')
    """
    return text if _PLAIN.fullmatch(text) and not _WORDS.fullmatch(text) else quoted(text)


def quoted(text: str) -> str:
    r"""A text as a YAML double-quoted scalar that reads back as exactly this text.

    >>> print(quoted('Køge "kort"'), quoted("x\nextends: /etc"))
    "Køge \"kort\"" "x\nextends: /etc"
    """
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def comment(text: str) -> str:
    r"""A YAML comment line holding the text: line breaks become spaces, and characters YAML does
    not allow become U+FFFD.

    >>> comment("rated by Ann\nextends: /etc")
    '# rated by Ann extends: /etc'
    """
    return "# " + _NOT_PRINTABLE.sub("\ufffd", _LINE_BREAKS.sub(" ", text))
#: The words of libyaml and of PyYAML's own parser for the common syntax errors → (message, hint).
_YAML_PROBLEMS = [
    (r"mapping values are not allowed (?:here|in this context)", "yaml.colon_here", "yaml.colon_here_hint"),
    (r"could not find expected ':'", "yaml.missing_colon", "yaml.missing_colon_hint"),
    (r"expected <block end>, but found .*|did not find expected (?:key|'-' indicator)", "yaml.indentation", "yaml.indentation_hint"),
    (r"found character (?:'.' )?that cannot start any token", "yaml.bad_start", "yaml.bad_start_hint"),
    (r"found undefined alias(?: '.*')?", "yaml.undefined_alias", "yaml.undefined_alias_hint"),
]


def _syntax_message(problem: str, context: str, rest: str) -> tuple[Message, Message]:
    """The message and hint of a YAML syntax error, from the parser's words and the text at the
    error (`rest`): in words of our own for the common ones, else the parser's (English) words
    inside ours."""
    if "block scalar" in context:  # `target: >= 85%`: an unquoted `>` or `|` starts a block of text
        return Message("yaml.block_scalar"), Message("yaml.bad_start_hint")
    for pattern, message, hint in _YAML_PROBLEMS:
        if re.fullmatch(pattern, problem):
            if message == "yaml.bad_start":
                return Message(message, found=rest[:1]), Message(hint)
            if message == "yaml.undefined_alias":
                name = re.match(r"\*?([^\s,\]\}]*)", rest)[1]
                return Message(message, found=name), Message(hint, found=name)
            return Message(message), Message(hint)
    detail = f"{problem} ({context})" if context else problem
    return Message("yaml.syntax", detail=detail), Message("yaml.syntax_hint")
