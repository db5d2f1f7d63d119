"""One counter page: the smallest stateful Reflex app. Its ``increment`` is the cheapest
event Reflex can answer (no database, a one-var delta), the floor that the real app's
events are compared with."""

import os

import reflex as rx


class CounterState(rx.State):
    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1


def index() -> rx.Component:
    if os.environ.get("BLANK_RADIX") == "1":  # with Radix Themes components (rxconfig.py)
        return rx.container(
            rx.vstack(
                rx.heading(CounterState.count, id="count"),
                rx.button("+1", on_click=CounterState.increment, id="increment"),
            )
        )
    return rx.el.main(
        rx.el.p(CounterState.count, id="count"),
        rx.el.button("+1", on_click=CounterState.increment, id="increment"),
    )


app = rx.App()
app.add_page(index, route="/")
