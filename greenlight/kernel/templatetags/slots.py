"""`{% slot "name" obj %}`: what upper apps add to this page (see `greenlight.kernel.slots`)."""

from django import template

from greenlight.kernel import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, obj):
    return slots.render(name, context["request"], obj)
