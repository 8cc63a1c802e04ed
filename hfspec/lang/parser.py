"""Expression text → AST (`hfspec.lang.ast`). The only module that imports lark.

Syntax errors become diagnostics in plain words at the exact column ("expected an expression
after `and`, found end of text"); common mistakes get their own codes (`=` for `==`, `&&`,
a decimal comma, a missing `)`, `where` outside an aggregate). Safety limits are checked before
and after parsing so that no input can exhaust the stack or the clock.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Callable

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.lang import ast as A
from hfspec.messages import OneOf
from hfspec.source import SourceFile, Span

#: Longest expression text accepted (characters, HF441). The longest shipped measure is ~200.
MAX_EXPR_LENGTH = 10_000
#: Deepest nesting of the syntax tree (HF440). Keeps every recursive pass far from Python's
#: recursion limit; real measures nest fewer than 10 levels.
MAX_EXPR_DEPTH = 100
#: Longest text literal (characters, HF442).
MAX_STRING_LENGTH = 1_000
#: Most items in a list literal such as `x in [...]` (HF443).
MAX_LIST_ITEMS = 1_000
#: Largest whole number a literal or a catalogue parameter may be (HF444): the 64-bit range
#: DuckDB computes whole numbers in. A decimal number must be finite (a 400-digit one is not).
MAX_INTEGER = 2**63 - 1

Locate = Callable[[int, int], Span]

#: Clause keywords of aggregates, with an example for the message when one is misplaced.
#: The hint for a clause of an aggregate written outside its parentheses, by clause.
_CLAUSES = {"from": "lang.clause_from_hint", "by": "lang.clause_by_hint", "per": "lang.clause_per_hint"}

_EXPR_START = {"NAME", "NUMBER", "STRING", "LPAR", "LSQB", "MINUS", "NOT", "IF", "TRUE", "FALSE", "NULL"}


@functools.lru_cache(maxsize=1)
def _lark():
    from lark import Lark

    grammar = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    # the basic lexer reads keywords as keywords everywhere (`x + and` is a syntax error, not an
    # unknown column `and`); names that merely start with a keyword (`indskrivning`) stay names
    return Lark(grammar, parser="lalr", lexer="basic", propagate_positions=True, maybe_placeholders=False)


def number_problem(value) -> Message | None:
    """Why a number cannot be computed with (beyond MAX_INTEGER, or not finite), or None.

    >>> number_problem(2**63 - 1), number_problem(2**63).render("en"), number_problem(float("inf")).render("da")
    (None, 'beyond the 64-bit range', 'for stort til at regne med')
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Message("lang.beyond_64bit") if abs(value) > MAX_INTEGER else None
    if isinstance(value, float) and not math.isfinite(value):
        return Message("lang.not_finite")
    return None


def _shortened(text: str, width: int = 30) -> str | Message:
    return text if len(text) <= width else Message("lang.shortened_number", start=text[:12], end=text[-12:], n=len(text))


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _transformer(locate: Locate):
    from lark import v_args
    from lark.visitors import Transformer_NonRecursive

    def span(meta) -> Span:
        if getattr(meta, "empty", True):
            return locate(0, 1)
        return locate(meta.start_pos, meta.end_pos)

    def tok_span(tok) -> Span:
        return locate(tok.start_pos, tok.end_pos)

    def binary(op: A.BinOp):
        def build(self, meta, children):
            return A.Binary(op, children[0], children[1], span(meta))
        return build

    @v_args(meta=True)
    class ToAst(Transformer_NonRecursive):
        def number(self, meta, children):
            text = str(children[0]).replace("_", "")
            percent = text.endswith("%")
            text = text.rstrip("%")
            value: int | float = float(text) if "." in text else int(text)
            problem = number_problem(value)
            if problem:
                raise HfspecError([Diagnostic("HF444", Message("lang.number_problem", number=_shortened(str(children[0])), problem=problem), span(meta),
                                              hint=Message("lang.number_problem_hint", n=MAX_INTEGER))])
            return A.Number(value, percent, span(meta))

        def string(self, meta, children):
            raw = str(children[0])
            value = _unescape(raw[1:-1])
            if len(value) > MAX_STRING_LENGTH:
                raise HfspecError([Diagnostic("HF442", Message("lang.text_too_long", n=len(value), limit=MAX_STRING_LENGTH), span(meta))])
            return A.String(value, span(meta))

        def true(self, meta, children):
            return A.Bool(True, span(meta))

        def false(self, meta, children):
            return A.Bool(False, span(meta))

        def null(self, meta, children):
            return A.Null(span(meta))

        def name(self, meta, children):
            return A.Name(str(children[0]), span(meta))

        def list(self, meta, children):
            items = tuple(c for c in children if c is not None)
            if len(items) > MAX_LIST_ITEMS:
                raise HfspecError([Diagnostic("HF443", Message("lang.list_too_long", n=len(items), limit=MAX_LIST_ITEMS), span(meta))])
            return A.List(items, span(meta))

        def member(self, meta, children):
            return A.Member(children[0], str(children[1]), span(meta))

        def index(self, meta, children):
            return A.Index(children[0], tuple(children[1]), span(meta))

        def index_args(self, meta, children):
            return children

        def index_pos(self, meta, children):
            return A.IndexArg(None, children[0], span(meta))

        def index_named(self, meta, children):
            return A.IndexArg(str(children[0]), children[1], span(meta))

        def neg(self, meta, children):
            return A.Unary(A.UnOp.NEG, children[0], span(meta))

        def not_op(self, meta, children):
            return A.Unary(A.UnOp.NOT, children[0], span(meta))

        or_op = binary(A.BinOp.OR)
        and_op = binary(A.BinOp.AND)
        eq = binary(A.BinOp.EQ)
        ne = binary(A.BinOp.NE)
        lt = binary(A.BinOp.LT)
        le = binary(A.BinOp.LE)
        gt = binary(A.BinOp.GT)
        ge = binary(A.BinOp.GE)
        add = binary(A.BinOp.ADD)
        sub = binary(A.BinOp.SUB)
        mul = binary(A.BinOp.MUL)
        div = binary(A.BinOp.DIV)
        pow = binary(A.BinOp.POW)

        def in_op(self, meta, children):
            return A.In(children[0], children[1], False, span(meta))

        def not_in_op(self, meta, children):
            return A.In(children[0], children[1], True, span(meta))

        def is_null(self, meta, children):
            return A.IsNull(children[0], False, span(meta))

        def is_not_null(self, meta, children):
            return A.IsNull(children[0], True, span(meta))

        def between(self, meta, children):
            return A.Between(children[0], children[1], children[2], span(meta))

        def if_expr(self, meta, children):
            return A.If(children[0], children[1], children[2], span(meta))

        def call(self, meta, children):
            name_tok = children[0]
            body = children[1] if len(children) > 1 and children[1] is not None else {}
            source = body.get("from")
            return A.Call(str(name_tok), tuple(body.get("args", ())), body.get("distinct", False),
                          body.get("where"), tuple(body.get("over", ())), span(meta), tok_span(name_tok),
                          source=str(source) if source is not None else None, order=body.get("by"), per=body.get("per"),
                          source_span=tok_span(source) if source is not None else locate(0, 0))

        def call_args(self, meta, children):
            body: dict = {"args": []}
            for child in children:
                if getattr(child, "type", None) == "DISTINCT":
                    body["distinct"] = True
                elif isinstance(child, _Clause):
                    body[child.name] = child.value
                else:
                    body["args"].append(child)
            return body

        def call_clauses(self, meta, children):
            return {child.name: child.value for child in children}

        def from_clause(self, meta, children):
            return _Clause("from", children[0])

        def order(self, meta, children):
            return _Clause("by", children[0])

        def per(self, meta, children):
            return _Clause("per", children[0])

        def over(self, meta, children):
            return _Clause("over", [str(c) for c in children])

        def where(self, meta, children):
            return _Clause("where", children[0])

    return ToAst()


class _Clause:
    """A clause of a call (`from D`, `by x`, `per u`, `over d`, `where c`) on its way into `A.Call`."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value) -> None:
        self.name = name
        self.value = value


def default_locator(text: str, name: str = "<expression>") -> Locate:
    source = SourceFile.from_text(name, text)
    return source.span


def parse(text: str, locate: Locate | None = None) -> A.Expr:
    """Parse one expression. Raises `HfspecError` with one located diagnostic on bad input.

    >>> parse("1 + 2 * 3") == A.Binary(A.BinOp.ADD, A.Number(1), A.Binary(A.BinOp.MUL, A.Number(2), A.Number(3)))
    True
    """
    locate = locate or default_locator(text)
    if len(text) > MAX_EXPR_LENGTH:
        raise HfspecError([Diagnostic("HF441", Message("lang.expression_too_long", n=len(text), limit=MAX_EXPR_LENGTH), locate(0, 1),
                                      hint=Message("lang.split_with_ref"))])
    _check_bracket_depth(text, locate)
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

    try:
        tree = _lark().parse(text)
    except UnexpectedCharacters as error:
        raise HfspecError([_unexpected_character(text, error.pos_in_stream, locate)]) from None
    except UnexpectedToken as error:
        raise HfspecError([_unexpected_token(text, error, locate)]) from None
    except UnexpectedInput as error:  # pragma: no cover - LALR raises the two above
        raise HfspecError([Diagnostic("HF402", Message("lang.unreadable"), locate(getattr(error, "pos_in_stream", 0) or 0, len(text)))]) from None
    try:
        expr = _transformer(locate).transform(tree)
    except VisitError as error:  # limits raised inside the transformer arrive wrapped
        if isinstance(error.orig_exc, HfspecError):
            raise error.orig_exc from None
        raise
    if A.depth(expr) > MAX_EXPR_DEPTH:
        raise HfspecError([Diagnostic("HF440", Message("lang.too_deep", limit=MAX_EXPR_DEPTH), locate(0, len(text)),
                                      hint=Message("lang.simplify_or_split"))])
    return expr


def _check_bracket_depth(text: str, locate: Locate) -> None:
    """Refuse deep bracket nests before the parser sees them (text literals and comments skipped)."""
    depth = 0
    quote: str | None = None
    comment = False
    escaped = False
    for i, ch in enumerate(text):
        if comment:
            comment = ch != "\n"
            continue
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote or ch == "\n":
                quote = None
            continue
        if ch in "\"'":
            quote = ch
            continue
        if ch == "#":
            comment = True
            continue
        if ch in "([":
            depth += 1
            if depth > MAX_EXPR_DEPTH:
                raise HfspecError([Diagnostic("HF440", Message("lang.brackets_too_deep", limit=MAX_EXPR_DEPTH), locate(i, i + 1),
                                              hint=Message("lang.simplify"))])
        elif ch in ")]":
            depth -= 1


def _tokens(text: str):
    """The tokens of `text` up to the first lexing error."""
    try:
        return list(_lark().lex(text))
    except Exception:  # lexing errors are reported by the parser itself
        return []


def _describe(tok) -> Message | None:
    if tok is None or tok.type == "$END":
        return None
    return Message("common.code", text=tok.value)


def _unclosed_bracket(text: str, upto: int) -> int | None:
    stack: list[int] = []
    for tok in _tokens(text[:upto]):
        if tok.value in ("(", "["):
            stack.append(tok.start_pos)
        elif tok.value in (")", "]") and stack:
            stack.pop()
    return stack[-1] if stack else None


def _expected_words(expected: set[str]) -> Message | OneOf:
    terminals = {t.name: t.pattern.value for t in _lark().terminals}
    words: list[Message] = []
    if len(expected) > 12:  # after a complete expression every operator may follow
        return Message("lang.expected_operator_or_end")
    if expected & _EXPR_START:
        words.append(Message("lang.expected_expression"))
    for name in ("RPAR", "RSQB", "THEN", "ELSE", "AND", "COMMA"):
        if name in expected and not (name == "AND" and len(expected) > 6):
            words.append(Message("common.code", text=terminals.get(name, name)))
    if not words:
        if len(expected) > 4:
            words.append(Message("lang.expected_operator"))
        else:
            words.extend(Message("common.code", text=terminals.get(n, n)) for n in sorted(expected) if n != "$END")
    return OneOf(words) if words else Message("lang.expected_something_else")


def _unexpected_character(text: str, pos: int, locate: Locate) -> Diagnostic:
    two = text[pos:pos + 2]
    if two in ("&&", "||"):
        word = "and" if two == "&&" else "or"
        return Diagnostic("HF404", Message("lang.not_an_operator", op=two), locate(pos, pos + 2), hint=Message("lang.write_instead", word=word),
                          label=Message("lang.use_instead", word=word))
    ch = text[pos]
    if ch == "!":
        return Diagnostic("HF404", Message("lang.not_an_operator", op="!"), locate(pos, pos + 1), hint=Message("lang.exclamation_hint"))
    if ch in "\"'":
        return Diagnostic("HF402", Message("lang.unclosed_text"), locate(pos, pos + 1), hint=Message("lang.unclosed_text_hint", quote=ch),
                          label=Message("lang.unclosed_text_label"))
    return Diagnostic("HF402", Message("lang.unexpected_character", ch=ch), locate(pos, pos + 1), hint=Message("lang.unexpected_character_hint"))


def _unexpected_token(text: str, error, locate: Locate) -> Diagnostic:
    tok = error.token
    at_end = tok.type == "$END"
    pos = len(text) if at_end else tok.start_pos
    before = [t for t in _tokens(text) if t.end_pos <= pos]
    prev = before[-1] if before else None
    after = prev.value if prev is not None else None
    expected = set(error.expected)
    if at_end:
        opened = _unclosed_bracket(text, len(text))
        if opened is not None and not (expected & _EXPR_START and prev is not None and prev.value not in "([,"):
            closer = ")" if text[opened] == "(" else "]"
            return Diagnostic("HF406", Message("lang.never_closed", bracket=text[opened]), locate(opened, opened + 1),
                              hint=Message("lang.never_closed_hint", closer=closer), label=Message("lang.opened_here"))
        span = locate(max(0, len(text) - 1), len(text)) if text.strip() else locate(0, 1)
        return Diagnostic("HF402", _expected_message(_expected_words(expected), after, None), span,
                          label=Message("lang.expression_ends_here"))
    span = locate(tok.start_pos, tok.end_pos)
    if tok.value == "=":
        return Diagnostic("HF403", Message("lang.single_equals"), span, hint=Message("lang.single_equals_hint"), label=Message("lang.use_instead", word="=="))
    if tok.value == "where":
        return Diagnostic("HF407", Message("lang.where_outside"), span, hint=Message("lang.where_outside_hint"))
    if tok.value in _CLAUSES:
        return Diagnostic("HF407", Message("lang.clause_outside", clause=tok.value), span, hint=Message(_CLAUSES[tok.value]))
    if tok.value == "," and prev is not None and prev.type == "NUMBER" and re.match(r",\s*\d", text[tok.start_pos:]):
        return Diagnostic("HF405", Message("lang.decimal_comma"), locate(prev.start_pos, tok.end_pos + 1),
                          hint=Message("lang.decimal_comma_hint", number=f"{prev.value}.{text[tok.end_pos:].lstrip()[:1]}…"))
    comparisons = {"==", "!=", "<", "<=", ">", ">="}
    if tok.value in comparisons and any(t.value in comparisons for t in before):
        return Diagnostic("HF402", Message("lang.chained_comparison"), span, hint=Message("lang.chained_comparison_hint"))
    if tok.value in (")", "]") and _unclosed_bracket(text, tok.start_pos) is None:
        return Diagnostic("HF402", Message("lang.closes_nothing", bracket=tok.value), span, hint=Message("lang.closes_nothing_hint"))
    return Diagnostic("HF402", _expected_message(_expected_words(expected), after, _describe(tok)), span)


def _expected_message(expected: Message | OneOf, after: str | None, found: Message | None) -> Message:
    """"expected an expression after `and`, found end of text" (`found` None: the end of the text)."""
    if found is None:
        return Message("lang.expected_end", expected=expected) if after is None else Message("lang.expected_after_end", expected=expected, after=after)
    if after is None:
        return Message("lang.expected", expected=expected, found=found)
    return Message("lang.expected_after", expected=expected, after=after, found=found)
