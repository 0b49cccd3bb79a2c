"""In a real kernel: when a widget's first figure reaches the page, in JupyterLab and in Voila.

JupyterLab: the cell that makes a calculator must reply and go idle before its figure is drawn, so
the calculator shows at once and the kernel's reply is never held up by the figure (drawing it
inside the cell's run held the reply back in about one run in four). Voila keeps only the outputs
a cell makes before it goes idle, so there the figure must come first.
"""

from __future__ import annotations

import os
import queue

import pytest
from jupyter_client.manager import start_new_kernel

CELL = "from sarcoma_edu.widgets import StagingCalculator\nStagingCalculator(show_map=True)"
PLOTLY = "application/vnd.plotly.v1+json"


def _has_figure(content: dict) -> bool:
    """Is this widget state update an Output widget receiving a plotly figure?"""
    outputs = content.get("data", {}).get("state", {}).get("outputs", [])
    return any(PLOTLY in output.get("data", {}) for output in outputs)


def _messages_of_one_cell(env: dict[str, str]) -> list[str]:
    """Run CELL in a fresh kernel; return 'idle' and 'figure' in the order the kernel published them."""
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        msg_id = client.execute(CELL)
        events: list[str] = []
        reply = client.get_shell_msg(timeout=120)
        while reply["parent_header"].get("msg_id") != msg_id:  # a late kernel_info reply from the start is not ours
            reply = client.get_shell_msg(timeout=120)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok", reply["content"]
        while len(events) < 2:
            try:
                message = client.get_iopub_msg(timeout=60)
            except queue.Empty:
                pytest.fail(f"no figure within 60 s of the cell; saw {events}")
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            content = message["content"]
            if message["msg_type"] == "status" and content["execution_state"] == "idle":
                events.append("idle")
            elif message["msg_type"] == "comm_msg" and _has_figure(content):
                events.append("figure")
        return events
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "VOILA_BASE_URL"}
    return env | extra


def test_in_jupyterlab_the_cell_replies_and_goes_idle_before_its_figure_is_drawn():
    assert _messages_of_one_cell(_env()) == ["idle", "figure"]


def test_under_voila_the_figure_is_drawn_before_the_cell_goes_idle():
    assert _messages_of_one_cell(_env(VOILA_BASE_URL="/")) == ["figure", "idle"]
