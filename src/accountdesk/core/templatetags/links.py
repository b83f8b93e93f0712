"""The `{% url %}` tag, reversing through core.links (fast for links whose arguments are all ids).

Installed as a template builtin (settings.TEMPLATES), so it stands in for Django's tag everywhere
and templates keep the usual syntax. Our URL namespaces have one instance each, so the tag needs no
`current_app`."""

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode, url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from accountdesk.core.links import fast_reverse

register = template.Library()


class FastURLNode(URLNode):
    def render(self, context: Context) -> str | SafeString:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        try:
            link = fast_reverse(self.view_name.resolve(context), args, kwargs)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            link = ""
        if self.asvar:
            context[self.asvar] = link
            return ""
        return conditional_escape(link) if context.autoescape else link


@register.tag("url")
def fast_url(parser: Parser, token: Token) -> FastURLNode:
    node = url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
