"""Working a page with the keyboard alone, as someone who cannot use a mouse does (WCAG 2.1.1): Tab to a control,
then type, Space or Enter; arrow keys within a group of radios. A control Tab never reaches fails the test."""

from playwright.sync_api import Locator, Page

# More Tab presses than any page of the service has controls.
MOST_TABS = 250


def _focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, locator: Locator) -> None:
    """Press Tab until ``locator`` has the focus (from wherever the focus is, round the page if need be)."""
    for _ in range(MOST_TABS):
        if _focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {locator}")


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def tick(page: Page, checkbox: Locator) -> None:
    tab_to(page, checkbox)
    page.keyboard.press("Space")


def choose(page: Page, radio: Locator) -> None:
    """Tab into the radio's group (Tab stops once in a group), then arrow down to it; Space selects it."""
    name = radio.get_attribute("name")
    in_group = "(element, name) => element.type === 'radio' && element.name === name"
    for _ in range(MOST_TABS):
        if page.evaluate(f"name => ({in_group})(document.activeElement, name)", name):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"Tab never reaches the radios of {name}")
    for _ in range(page.locator(f'input[type="radio"][name="{name}"]').count()):
        if _focused(radio):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"The arrow keys never reach {radio}")


def press(page: Page, control: Locator) -> None:
    """A button or a link, with Enter."""
    tab_to(page, control)
    page.keyboard.press("Enter")
