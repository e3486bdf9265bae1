"""The GOV.UK markup of a question's radios, checkboxes, hint and error messages, written in Python.

crispy-forms-gds stays the layout layer (``Layout``, ``Fieldset``, ``ConditionalRadios``, ``Field.radios`` ...),
and still draws each field through its template, ``gds/field.html``; the templates it includes for radios,
checkboxes, a field's hint and errors, and a conditional radio (``templates/gds/layout/``) are one tag each,
here. Their markup is crispy-forms-gds' own, with this service's changes: a hint links the guidance
paragraphs it cites (``guidance_links``), radios and checkboxes are numbered from 1 (the error summary's link
lands on the first), and an option with nothing to reveal controls nothing. Drawn by Django's template
language, a radio cost some 20 variable look-ups and an include; a page of five yes-or-no questions took
7 ms (ADR 30).
"""

from __future__ import annotations

from crispy_forms_gds.templatetags.crispy_forms_gds import (
    CrispyGDSFieldNode,
    is_checkbox,
    is_checkboxes,
    is_multivalue,
    is_radios,
)
from django import template
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.templatetags.guidance import guidance_links

register = template.Library()


def _markup(html) -> SafeString:
    """HTML built here from escaped parts, or that crispy-forms-gds' templates draw unescaped: a field's label
    (``{{ field.label|safe }}``), a rendered widget, the radios and fields ConditionalRadios has drawn."""
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def _described_by(field) -> str:
    """The fieldset's ``aria-describedby``: the hint, then each error message."""
    if not (field.help_text or field.errors):
        return ""
    ids = f"{field.auto_id}_hint" if field.help_text else ""
    ids += "".join(f" {field.auto_id}_{number}_error" for number in range(1, len(field.errors) + 1))
    return format_html(' aria-describedby="{}"', ids)


def _legend(field, context) -> str:
    if not field.label:
        return ""
    size = context.get("legend_size")
    tag = context.get("legend_tag")
    label = _markup(field.label)  # As crispy-forms-gds: {{ field.label|safe }}.
    if tag:
        label = format_html('<{} class="govuk-fieldset__heading">{}</{}>', tag, label, tag)
    return format_html('<legend class="govuk-fieldset__legend{}">{}</legend>', f" {size}" if size else "", label)


def _fieldset(field, context, body) -> SafeString:
    """A field of several inputs in its fieldset: the legend, the hint and errors, then ``body``."""
    return format_html(
        '<fieldset class="govuk-fieldset"{}>\n{}\n{}\n{}\n</fieldset>',
        _described_by(field),
        _legend(field, context),
        hint_and_errors(field, context),
        body,
    )


def hint_and_errors(field, context) -> SafeString:
    """crispy-forms-gds' ``help_text_and_errors.html``: the hint (linking the paragraphs it cites), then each
    error message, numbered from 1."""
    parts = []
    help_inline = context.get("help_text_inline")
    if field.help_text and not (help_inline and context.get("error_text_inline")):
        element = "span" if help_inline else "div"
        parts.append(
            format_html(
                '<{} id="{}_hint" class="govuk-hint">{}</{}>',
                element,
                field.auto_id,
                guidance_links(field.help_text),
                element,
            )
        )
    if context.get("form_show_errors") and field.errors:
        parts.append(
            format_html_join(
                "\n",
                '<span id="{}_{}_error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>'
                " {}</span>",
                ((field.auto_id, number, error) for number, error in enumerate(field.errors, start=1)),
            )
        )
    return _markup("\n".join(parts))


def _hint_of(choice):
    """A choice's hint (``core.forms.paragraphs_as_hints``); a plain (value, label) pair has none."""
    return getattr(choice, "hint", None)


def _choice_item(kind: str, input_type: str, field, choice, position: int, *, checked: bool, controls: str = ""):
    """One radio or checkbox (``kind`` "radios" or "checkboxes"), numbered ``position`` from 1: its input, label
    and hint in its item's div, then the divider that follows it, if any. ``controls`` is the id of what a
    radio reveals."""
    name = field.html_name
    item_id = f"id_{name}_{position}"
    hint = _hint_of(choice)
    attributes = ' checked="checked"' if checked else ""
    if hint:
        attributes += f' aria-describedby="{conditional_escape(item_id)}_hint"'
    if controls:
        attributes += f' aria-controls="{conditional_escape(controls)}"'
    html = format_html(
        '<div class="govuk-{}__item">\n'
        '<input type="{}" name="{}" class="govuk-{}__input" id="{}" value="{}"{}>\n'
        '<label class="govuk-label govuk-{}__label" for="{}">{}</label>',
        kind,
        input_type,
        name,
        kind,
        item_id,
        unlocalize(choice[0]),
        _markup(attributes),
        kind,
        item_id,
        unlocalize(choice[1]),
    )
    if hint:
        html += format_html(
            '\n<span id="{}_hint" class="govuk-hint govuk-{}__hint">{}</span>', item_id, kind, guidance_links(hint)
        )
    html += _markup("\n</div>")
    divider = getattr(choice, "divider", None)
    if divider:
        html += format_html('\n<div class="govuk-{}__divider">{}</div>', kind, divider)
    return html


def radio_item(field, choice, position: int, conditional_content: str | None = None) -> SafeString:
    """One radio, numbered ``position`` from 1; ``conditional_content`` is what it reveals (ConditionalRadios:
    None for plain radios, "" for an option that reveals nothing, which then controls nothing)."""
    revealed = f"conditional_{field.html_name}_{position}" if conditional_content else ""
    checked = str(choice[0]) == str(field.value())
    html = _choice_item("radios", "radio", field, choice, position, checked=checked, controls=revealed)
    if conditional_content:
        html += format_html(
            '\n<div class="govuk-radios__conditional govuk-radios__conditional--hidden" id="{}">{}</div>',
            revealed,
            _markup(conditional_content),
        )
    return html


@register.simple_tag(takes_context=True)
def govuk_radios(context, conditional: bool = False) -> SafeString:
    """crispy-forms-gds' ``radios.html`` (and ``_conditional_radios.html``, whose radios ConditionalQuestion
    has drawn already, as ``choices``)."""
    field = context["field"]
    if conditional:
        radios = format_html(
            '<div class="govuk-radios" data-module="govuk-radios">{}</div>', _markup(context["choices"])
        )
    else:
        items = "\n".join(radio_item(field, choice, position) for position, choice in enumerate(field.field.choices, 1))
        radios = format_html(
            '<div class="govuk-radios{}{}">\n{}\n</div>',
            "--inline" if context.get("radios_inline") else "",
            " govuk-radios--small" if context.get("radios_small") else "",
            _markup(items),
        )
    return _fieldset(field, context, radios)


@register.simple_tag(takes_context=True)
def govuk_radio_item(context) -> SafeString:
    """crispy-forms-gds' ``conditional_question.html``: one radio of ConditionalRadios and what it reveals,
    numbered from 1 like plain radios (ConditionalQuestion counts from 0)."""
    return radio_item(
        context["field"], context["choice"], context["position"] + 1, context.get("conditional_content") or ""
    )


def _checked(choice, value) -> bool:
    if value is None:
        return False
    try:
        return choice[0] in value or str(choice[0]) in value
    except TypeError:
        return False


@register.simple_tag(takes_context=True)
def govuk_checkboxes(context) -> SafeString:
    """crispy-forms-gds' ``checkboxes.html``, with each choice's hint linking the paragraphs it cites."""
    field = context["field"]
    value = field.value()
    items = "\n".join(
        _choice_item("checkboxes", "checkbox", field, choice, position, checked=_checked(choice, value))
        for position, choice in enumerate(field.field.choices, start=1)
    )
    checkboxes = format_html(
        '<div class="govuk-checkboxes{}{}">\n{}\n</div>',
        "--inline" if context.get("inline") else "",
        " govuk-checkboxes--small" if context.get("checkboxes_small") else "",
        _markup(items),
    )
    return _fieldset(field, context, checkboxes)


@register.simple_tag(takes_context=True)
def govuk_hint_and_errors(context) -> SafeString:
    return hint_and_errors(context["field"], context)


# crispy-forms-gds' widget, with its GOV.UK classes and aria-describedby: {% crispy_gds_field field %}.
_WIDGET = CrispyGDSFieldNode("field", {})


def _character_count_message(field, context) -> SafeString:
    if context.get("max_characters"):
        message = f"You can enter up to {context['max_characters']} characters"
    else:
        message = f"You can enter up to {context['max_words']} words"
    return format_html(
        '<span id="{}-info" class="govuk-hint govuk-character-count__message" aria-live="polite">{}</span>',
        field.id_for_label,
        message,
    )


def _field_body(field, context) -> SafeString:
    if is_checkboxes(field):
        return govuk_checkboxes(context)
    if is_radios(field):
        return govuk_radios(context)
    if is_multivalue(field):
        return _fieldset(field, context, _markup(_WIDGET.render(context)))
    show_labels = context.get("form_show_labels")
    checkbox = is_checkbox(field)
    html = _markup("")
    if field.label and not checkbox and show_labels:
        size = context.get("label_size")
        html = format_html(
            '<label for="{}" class="govuk-label{}">{}</label>',
            field.id_for_label,
            f" {size}" if size else "",
            _markup(field.label),
        )
        if context.get("label_tag"):
            html = format_html(
                '<{} class="govuk-label-wrapper">{}</{}>', context["label_tag"], html, context["label_tag"]
            )
    if checkbox and show_labels:
        return format_html(
            '{}{}\n<div class="govuk-checkboxes{}">\n<div class="govuk-checkboxes__item">\n{}\n'
            '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label>\n</div>\n</div>',
            html,
            hint_and_errors(field, context),
            " govuk-checkboxes--small" if context.get("checkboxes_small") else "",
            _markup(_WIDGET.render(context)),
            field.id_for_label,
            _markup(field.label),
        )
    html = format_html("{}\n{}\n{}", html, hint_and_errors(field, context), _markup(_WIDGET.render(context)))
    if context.get("max_characters") or context.get("max_words"):
        html += format_html("\n{}", _character_count_message(field, context))
    return html


@register.simple_tag(takes_context=True)
def govuk_field(context) -> SafeString:
    """crispy-forms-gds' ``field.html``: a field in its form group, with its label or legend, hint, error
    messages and widget (a character count's message too)."""
    field = context["field"]
    if field.is_hidden:
        return conditional_escape(field)
    tag = context.get("tag") or "div"
    classes = ""
    if context.get("form_show_errors") and field.errors:
        classes += " govuk-form-group--error"
    if context.get("wrapper_class"):
        classes += f" {context['wrapper_class']}"
    if field.css_classes():
        classes += f" {field.css_classes()}"
    html = format_html(
        '<{} id="div_{}" class="govuk-form-group{}">\n{}\n</{}>',
        tag,
        field.auto_id,
        classes,
        _field_body(field, context),
        tag,
    )
    max_characters, max_words = context.get("max_characters"), context.get("max_words")
    if max_characters or max_words:
        threshold = context.get("threshold")
        html = format_html(
            '<div class="govuk-character-count" data-module="govuk-character-count"{}{}>{}</div>',
            format_html(' data-maxlength="{}"', max_characters)
            if max_characters
            else format_html(' data-maxwords="{}"', max_words),
            format_html(' data-threshold="{}"', threshold) if threshold else "",
            html,
        )
    return html
