"""Template name + plain-dict context → rendered text, in a sandboxed Jinja environment.

The environment is an `ImmutableSandboxedEnvironment`: templates can read the plain data they are
given but cannot reach Python internals (`''.__class__`) or change lists and dicts. HTML templates
(`*.html.j2`) are autoescaped, Markdown templates are not (they use the `md` filter instead).
Undefined names fail loudly (`StrictUndefined`) instead of printing nothing.

Templates are looked up in the user's folder first (`--templates DIR`), then in the templates
folder of the domain that renders (`hfspec/<domain>/templates/`, given as `folders`), then in the
shared `hfspec/render/templates/` (the page frame and macros), so a user template overrides a
shipped one of the same name.

Every problem in a user's template becomes one diagnostic: HF801 (syntax error, undefined name,
missing template, a failing expression, a limit below) or HF802 (a forbidden operation), with the
template file and line. A failure with only the shipped templates in play is a bug and is raised
as such. jinja2 is imported inside the functions so that `hfspec --help` stays fast.

A template is a small program, and the sandbox alone lets one run for ever or fill the memory
(a recursive macro, `'x' * 10**10`, `9 ** (9 ** 9)`, loops inside loops). The environment bounds
each render (`_sandbox_class`): the depth of macro calls, the length of any text or list an
operator, a call, a filter or an attribute produces, the size of whole numbers, the items `range`
hands out, and the output itself; crossing one is HF801, never a hang.
"""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path
from typing import Any, Sequence

from hfspec.diagnostics import Diagnostic, HfspecError, Message, did_you_mean
from hfspec.words import format_number
from hfspec.source import SourceFile, display_path, point

#: The templates every domain shares: the HTML page frame and its macros.
SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Characters that start Markdown syntax inside running text or a table cell. `_` is handled
#: separately: inside a word (`egen_bolig`) it is literal in GitHub-flavoured Markdown.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~&])")
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_LINE_BREAKS = re.compile(r"[ \t\r\n\f\v]+")  # ASCII only: a no-break space stays (it keeps "80 %" together)
_MD_LINE_START = re.compile(r"^([-+=#])(?=\s|$)|^(\d+)([.)])(?=\s|$)")

#: Errors a user's own template can cause while it runs (as opposed to a syntax error). When they
#: come from a user template they are that template's problem; from a shipped one they are bugs.
_RUNTIME_ERRORS = (ArithmeticError, TypeError, ValueError, LookupError, AttributeError, RecursionError, MemoryError)

#: Longest output of one template, and longest text or list any step of it may make (characters
#: or items, HF801). The management report of a municipality is a few MB.
MAX_TEMPLATE_OUTPUT = 100_000_000
#: Deepest nesting of macro calls in one render (HF801): a recursive macro ends here instead of
#: in Python's recursion limit.
MAX_TEMPLATE_DEPTH = 50
#: Largest whole number an operator in a template may make, in bits (HF801): `9 ** (9 ** 9)`
#: would take hours. Money in øre fits in 64 bits.
MAX_TEMPLATE_INTEGER_BITS = 256
#: Most items `range()` may hand out in one render, over all its calls (HF801): loops inside
#: loops end here. Jinja's own sandbox bounds one range to 100,000.
MAX_TEMPLATE_LOOP_ITEMS = 1_000_000


def md_escape(value: Any) -> str:
    """Text made inert for Markdown: one line, Markdown characters backslash-escaped.

    Safe in a paragraph and in a GitHub table cell (newlines become spaces, `|` is escaped).

    >>> md_escape("a|b *c* <script> egen_bolig __x__")
    'a\\\\|b \\\\*c\\\\* \\\\<script\\\\> egen_bolig \\\\_\\\\_x\\\\_\\\\_'
    >>> md_escape("- not a list"), md_escape("1. not a list")
    ('\\\\- not a list', '1\\\\. not a list')
    """
    text = _LINE_BREAKS.sub(" ", str(value)).strip()
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    # a leading `-`, `+`, `#`, `=` or `1.` would start a list, heading or underline
    return _MD_LINE_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], text, count=1)


def md_code(value: Any) -> str:
    """An inline code span that survives any content, also inside a GitHub table cell.

    >>> md_code('a == "x"'), md_code("x `y`")
    ('`a == "x"`', '`` x `y` ``')
    """
    text = _LINE_BREAKS.sub(" ", str(value)).strip().replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith(" ") or text.endswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def dots(score: Any, scale: int = 5) -> str:
    """A score as filled and empty dots, for text output: `dots(4)` → '●●●●○'."""
    if not isinstance(score, int) or isinstance(score, bool):
        return ""
    filled = max(0, min(scale, score))
    return "●" * filled + "○" * (scale - filled)


def _sized(value: Any) -> int:
    """The length of a text, list or tuple (what a template could make too long), else 0."""
    return len(value) if isinstance(value, (str, list, tuple)) else 0


@functools.lru_cache(maxsize=1)
def _sandbox_class():
    """The sandboxed environment with the per-render limits (a class made on first use, so that
    jinja2 is imported only when a template is rendered)."""
    import math

    from jinja2.exceptions import TemplateRuntimeError
    from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

    class TemplateLimit(TemplateRuntimeError):
        """A template crossed one of the limits above (HF801); `said` is the message to show."""

        def __init__(self, said: Message) -> None:
            super().__init__(said.render("en"))
            self.said = said

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+", "//", "%"})

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.depth = 0
            self.loop_items = 0
            self.globals["range"] = self.counted_range
            self.filters = {name: self.guarded(name, f) for name, f in self.filters.items()}

        def guarded(self, name: str, fn: Any) -> Any:
            """A built-in filter whose whole-number arguments (widths, counts) stay below
            MAX_TEMPLATE_OUTPUT and whose result is `checked` (`'x'|center(10**9)`)."""
            @functools.wraps(fn)  # keeps Jinja's pass_context & co.
            def filter_(*args: Any, **kwargs: Any) -> Any:
                for arg in (*args[1:], *kwargs.values()):
                    if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_TEMPLATE_OUTPUT:
                        raise TemplateLimit(Message("render.limit_filter_arg", name=name, value=arg, max=MAX_TEMPLATE_OUTPUT))
                return self.checked(fn(*args, **kwargs), Message("render.what_filter_result", name=name))
            return filter_

        def counted_range(self, *args: int) -> range:
            numbers = safe_range(*args)
            self.loop_items += len(numbers)
            if self.loop_items > MAX_TEMPLATE_LOOP_ITEMS:
                raise TemplateLimit(Message("render.limit_loops", max=MAX_TEMPLATE_LOOP_ITEMS))
            return numbers

        def checked(self, value: Any, what: Message) -> Any:
            if _sized(value) > MAX_TEMPLATE_OUTPUT:
                raise TemplateLimit(Message("render.limit_long", what=what, max=MAX_TEMPLATE_OUTPUT))
            if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_TEMPLATE_INTEGER_BITS:
                raise TemplateLimit(Message("render.limit_bits", what=what, max=MAX_TEMPLATE_INTEGER_BITS))
            return value

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            # estimate before computing: the result itself would be the hang
            if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
                if right * math.log2(abs(left)) > MAX_TEMPLATE_INTEGER_BITS:
                    raise TemplateLimit(Message("render.limit_power", left=left, right=right, max=MAX_TEMPLATE_INTEGER_BITS))
            if operator == "*":
                count, sized = (right, left) if isinstance(right, int) else (left, right)
                if isinstance(count, int) and _sized(sized) * max(count, 0) > MAX_TEMPLATE_OUTPUT:
                    raise TemplateLimit(Message("render.limit_operator_long", operator="*", max=MAX_TEMPLATE_OUTPUT))
                if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_TEMPLATE_INTEGER_BITS + 1:
                    raise TemplateLimit(Message("render.limit_times_bits", max=MAX_TEMPLATE_INTEGER_BITS))
            if operator == "+" and _sized(left) + _sized(right) > MAX_TEMPLATE_OUTPUT:
                raise TemplateLimit(Message("render.limit_operator_long", operator="+", max=MAX_TEMPLATE_OUTPUT))
            if operator == "%" and isinstance(left, str) and any(int(w) > MAX_TEMPLATE_OUTPUT for w in re.findall(r"%[-+ #0]*([0-9]+)", left)):
                raise TemplateLimit(Message("render.limit_percent_long", max=MAX_TEMPLATE_OUTPUT))
            return self.checked(super().call_binop(context, operator, left, right), Message("render.what_operator", operator=operator))

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
            for arg in (*args, *kwargs.values()):
                __self.checked(arg, Message("render.what_argument"))
            __self.depth += 1
            try:
                if __self.depth > MAX_TEMPLATE_DEPTH:
                    raise TemplateLimit(Message("render.limit_depth", max=MAX_TEMPLATE_DEPTH))
                return __self.checked(super().call(__context, __obj, *args, **kwargs), Message("render.what_call"))
            finally:
                __self.depth -= 1

        def getattr(self, obj: Any, attribute: str) -> Any:
            return self.checked(super().getattr(obj, attribute), Message("render.what_attribute", name=attribute))

        def getitem(self, obj: Any, argument: Any) -> Any:
            return self.checked(super().getitem(obj, argument), Message("render.what_item"))

    return Sandbox


def build_environment(user_dir: Path | None = None, lang: str = "da", folders: Sequence[Path] = ()):
    """The sandboxed environment (`_sandbox_class`): user folder first, then the domain's `folders`, then
    the shared templates. Its limits count per environment: make one per render."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape

    loaders = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise HfspecError([Diagnostic("HF801", Message("render.no_template_folder", folder=user_dir), None,
                                          hint=Message("render.no_template_folder_hint"))])
        loaders.append(FileSystemLoader(str(user_dir)))
    loaders.extend(FileSystemLoader(str(folder)) for folder in (*folders, SHARED_TEMPLATES))
    env = _sandbox_class()(
        loader=ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        # shipped templates are called `x.html.j2`, so `.html.j2` must count as HTML too
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = lambda value, unit=None, decimals=None: format_number(value, unit, lang, decimals)
    env.filters["md"] = md_escape
    env.filters["md_code"] = md_code
    env.filters["dots"] = dots
    return env


def _bytecode_cache():
    """Jinja's compiled templates, kept in hfspec's private cache folder (spec/cache.py): compiling
    the management report's eleven templates takes about 0.35 s, loading them a few milliseconds. An
    entry is keyed by the template's name and the checksum of its source, so a changed template,
    shipped or your own, is compiled again."""
    from jinja2 import FileSystemBytecodeCache

    from hfspec.spec.cache import private_folder

    folder = private_folder("templates")
    return FileSystemBytecodeCache(str(folder)) if folder is not None else None


def render_template(name: str, context: dict[str, Any], user_dir: Path | None = None, lang: str = "da", folders: Sequence[Path] = ()) -> str:
    """Render template `name` with `context`; a problem in a user's template raises `HfspecError`.

    Without a user folder only shipped templates run, so any failure is a bug in hfspec and is
    raised as it is (the CLI shows it as one) rather than dressed up as the user's mistake.
    """
    from jinja2 import TemplateError

    env = build_environment(user_dir, lang, folders)
    try:
        parts, size = [], 0
        for part in env.get_template(name).generate(context):  # the output is bounded as it is made
            size += len(part)
            if size > MAX_TEMPLATE_OUTPUT:
                from jinja2.exceptions import TemplateRuntimeError

                too_long = TemplateRuntimeError(f"the output is longer than {MAX_TEMPLATE_OUTPUT:,} characters")
                too_long.said = Message("render.limit_output", max=MAX_TEMPLATE_OUTPUT)  # shown as the limits are (TemplateLimit)
                raise too_long
            parts.append(part)
        return "".join(parts)
    except (TemplateError, *_RUNTIME_ERRORS) as error:
        problem = _user_template_problem(error, name, context, user_dir, folders) if user_dir is not None else None
        if problem is None:
            raise
        raise problem from None


def _user_template_problem(error: Exception, name: str, context: dict[str, Any], user_dir: Path, folders: Sequence[Path] = ()) -> HfspecError | None:
    """The diagnostic for an error raised while user templates took part, or None for a bug."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    if isinstance(error, TemplateNotFound):
        known = sorted(p.name for d in (*folders, SHARED_TEMPLATES) for p in d.glob("*.j2"))
        return HfspecError([Diagnostic("HF801", Message("render.template_not_found", name=error.name or name), None,
                                       hint=Message("render.template_not_found_hint", names=known))])
    if isinstance(error, TemplateSyntaxError):
        return _diagnostic("HF801", Message("render.template_syntax", detail=error.message), error.filename or error.name, error.lineno, user_dir, folders)
    where = _template_frame(error)
    if isinstance(error, SecurityError):
        return _diagnostic("HF802", Message("render.template_unsafe", detail=str(error)), *(where or (None, 0)), user_dir, folders,
                           hint=Message("render.template_unsafe_hint"))
    if isinstance(error, TemplateError) and isinstance(getattr(error, "said", None), Message):  # a limit (TemplateLimit)
        return _diagnostic("HF801", Message("render.template_error", detail=error.said), *(where or (name, 0)), user_dir, folders)
    if isinstance(error, TemplateError):
        missing = re.search(r"has no attribute '(\w+)'|^'(\w+)' is undefined", str(error))
        hint = did_you_mean(missing.group(1) or missing.group(2), _known_names(context)) if missing else None
        return _diagnostic("HF801", Message("render.template_error", detail=str(error)), *(where or (name, 0)), user_dir, folders,
                           hint=hint or Message("render.template_error_hint"))
    if where is None or not _is_user_file(where[0], user_dir):
        return None  # a Python error outside the user's files: our bug
    return _diagnostic("HF801", Message("render.template_error", detail=f"{type(error).__name__}: {error}"), *where, user_dir, folders)


def _known_names(value: Any, names: set[str] | None = None) -> set[str]:
    """Every key of the (nested) context, for "did you mean" hints on undefined names."""
    names = set() if names is None else names
    if isinstance(value, dict):
        for key, item in value.items():
            names.add(str(key))
            _known_names(item, names)
    elif isinstance(value, list) and value:
        _known_names(value[0], names)
    return names


def _template_frame(error: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame in the traceback (Jinja rewrites them)."""
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(".j2") and frame.lineno:
            found = (frame.filename, frame.lineno)
    return found


def _is_user_file(filename: str | None, user_dir: Path | None) -> bool:
    if not filename or user_dir is None:
        return False
    try:
        return Path(filename).resolve().is_relative_to(user_dir.resolve())
    except OSError:
        return False


def _diagnostic(code: str, message: Message, filename: str | None, line: int, user_dir: Path | None, folders: Sequence[Path] = (),
                hint: Message | None = None) -> HfspecError:
    """One diagnostic at a template line, with the line shown (the whole line is underlined)."""
    span = None
    if filename:
        path = Path(filename)
        if not path.is_absolute():
            path = next((d / filename for d in (user_dir, *folders, SHARED_TEMPLATES) if d is not None and (d / filename).is_file()), path)
        try:
            source = SourceFile.read(path, display_path(path))
        except OSError:
            source = SourceFile.from_text(filename, "")
        text = source.line(line)
        start = len(text) - len(text.lstrip()) + 1
        span = point(source, line, start, len(text.strip())) if line > 0 else point(source, 0, 0)
    return HfspecError([Diagnostic(code, message, span, hint)])
