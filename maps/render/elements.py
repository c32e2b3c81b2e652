"""folium elements that put rendered markup into the page without templating it twice.

branca compiles an ``Element``'s text as a Jinja template, and ``MacroElement.render`` wraps
each rendered macro in such an ``Element``. So rendered output is templated a second time: a
site named ``{{ 7*7 }}`` would reach the page as ``49``, and 15 MB of site data costs a second
of Jinja lexing. These classes render once and insert the result as it is.
"""

from branca.element import Element, Figure, MacroElement
from folium.template import Template


class RawHTML(Element):
    """Markup put into the page as it is."""

    _template = Template("{{ this.html }}")

    def __init__(self, html: str):
        super().__init__()
        self.html = html


class RenderOnceMacroElement(MacroElement):
    """A MacroElement whose header, html and script macros are rendered exactly once."""

    def render(self, **kwargs) -> str:
        """Put the macros' output into the figure; the element itself adds no text where it is."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("A map element can only be rendered inside a Figure")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(RawHTML(str(macro(self, kwargs))), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""
