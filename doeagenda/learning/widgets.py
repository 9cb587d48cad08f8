"""Wiring of ipywidgets to the pure view functions of the modules.

There is no logic here beyond wiring: a control's value goes into a pure, tested view
function and the :class:`~doeagenda.learning.lesson.View` it returns is shown. Errors never
reach the participant as a traceback: they become a friendly Dutch message in the output.

In handout mode (:func:`doeagenda.learning.lesson.handout_mode`) every builder returns the
static view at the controls' default values instead of a widget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets as widgets
from IPython.display import HTML

from doeagenda.errors import DoeagendaError
from doeagenda.learning.lesson import (
    View,
    friendly,
    gemeente_problem,
    is_handout,
    message_view,
)

logger = logging.getLogger(__name__)

__all__ = ["Explorer", "explorer", "safe_view", "slider", "wide"]


def wide() -> dict:
    """Return the keyword arguments that give a slider a readable label and a long track."""
    return {
        "style": {"description_width": "210px"},
        "layout": widgets.Layout(width="470px"),
    }


def slider(
    description: str,
    value: float,
    low: float,
    high: float,
    step: float | None = None,
    **options: object,
) -> widgets.FloatSlider | widgets.IntSlider:
    """Return a wide slider that updates its view on release (the builders' one slider).

    Parameters
    ----------
    description : str
        Dutch label.
    value, low, high : float or int
        Default and range.
    step : float, optional
        Step of a ``FloatSlider``; without it the slider takes whole numbers (``IntSlider``).
    **options
        Further slider options (e.g. ``readout_format``); they override :func:`wide`.

    Returns
    -------
    ipywidgets.FloatSlider or ipywidgets.IntSlider
    """
    kwargs = {"value": value, "min": low, "max": high, "description": description}
    kwargs |= {"continuous_update": False} | wide() | options
    if step is None:
        return widgets.IntSlider(**kwargs)
    return widgets.FloatSlider(step=step, **kwargs)


def safe_view(view_fn: Callable[..., View], **kwargs: object) -> View:
    """Call a view function; turn any error into a view with a friendly Dutch message.

    Parameters
    ----------
    view_fn : callable
        A pure function returning a :class:`View`.
    **kwargs
        Its arguments.

    Returns
    -------
    View
    """
    try:
        return view_fn(**kwargs)
    except DoeagendaError as error:  # bad input: a friendly message is the whole answer
        logger.debug("view %s refused %s: %s", view_fn.__name__, kwargs, error)
        return message_view(friendly(error))
    except Exception as error:  # a workshop must never show a traceback
        # INFO, not WARNING: Python's last-resort handler would print WARNING to the notebook
        logger.info("view %s failed for %s", view_fn.__name__, kwargs, exc_info=True)
        return message_view(friendly(error))


def _show(output: widgets.Output, view: View) -> None:
    # replace the outputs in one assignment: works in a kernel and in plain Python (tests)
    output.outputs = ()
    output.append_display_data(HTML(view.html()))


class Explorer(widgets.VBox):
    """A box of controls above an output that shows a view function's result.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        The controls by the name of the view function's argument they set.
    output : ipywidgets.Output
    view : View
        The view now shown (updated on every change).
    """

    def __init__(
        self,
        view_fn: Callable[..., View],
        controls: dict[str, widgets.ValueWidget],
        fixed: dict[str, object],
    ) -> None:
        output = widgets.Output(layout=widgets.Layout(min_height="80px"))
        box = widgets.HBox(
            list(controls.values()),
            layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px 16px"),
        )
        super().__init__(children=[box, output])
        self.add_class("doeagenda-explorer")
        self.controls = controls
        self.output = output
        self._view_fn = view_fn
        self._fixed = dict(fixed)
        self.view = View()
        for control in controls.values():
            control.observe(self._changed, names="value")
        self.refresh()

    def values(self) -> dict[str, object]:
        """Return the current values of the controls."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> View:
        """Recompute the view from the current control values and show it."""
        self.view = safe_view(self._view_fn, **self._fixed, **self.values())
        _show(self.output, self.view)
        return self.view

    def _changed(self, _change: dict) -> None:
        self.refresh()


def explorer(
    view_fn: Callable[..., View],
    controls: dict[str, widgets.ValueWidget],
    **fixed: object,
) -> Explorer | View:
    """Wire controls to a view function (or, in handout mode, return the default view).

    Parameters
    ----------
    view_fn : callable
        Pure function returning a :class:`View`.
    controls : dict
        Argument name of ``view_fn`` -> the ipywidget that sets it (its value is the default).
    **fixed
        Arguments that do not change (e.g. ``gemeente``).

    Returns
    -------
    Explorer or View
        A friendly message view instead when ``gemeente`` is given and unknown, so
        builders need not check it themselves.
    """
    if "gemeente" in fixed:
        problem = gemeente_problem(fixed["gemeente"])
        if problem is not None:
            return problem
    if is_handout():
        values = {name: control.value for name, control in controls.items()}
        return safe_view(view_fn, **fixed, **values)
    return Explorer(view_fn, controls, fixed)
