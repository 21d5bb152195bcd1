"""The server's warm-up: each step runs cleanly on its own (warm_up() hides failures, so test the steps)."""

import gc
import subprocess
import sys

import pytest

from components import warmup
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def unfrozen():
    """warm_up() freezes the heap; give the test process its collector back afterwards."""
    yield
    gc.unfreeze()


def test_map_warm_up_imports_folium_and_leaves_the_component_to_the_page():
    # In a fresh interpreter: streamlit-folium declares its component on import, and a component declared
    # outside a script run is never served (the map's iframe stays blank), so the warm-up must not import it.
    code = ("import sys; from components import warmup; warmup.warm_map(); "
            "print('folium' in sys.modules, 'streamlit_folium' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["True", "False"]


def test_warm_up_swallows_a_failing_step(monkeypatch):
    calls = []
    monkeypatch.setattr(warmup, "warm_map", lambda: (_ for _ in ()).throw(RuntimeError("no folium")))
    warmup.warm_up(extra=(lambda: calls.append("core"),))
    assert calls == ["core"]  # the core still warmed after the map failed


def test_extra_steps_run_after_the_components_own():
    calls = []
    warmup.warm_up(extra=(lambda: calls.append("core"),))
    assert calls == ["core"]


def test_the_core_warm_up_builds_the_grid_transformers():
    import app_data
    from cspdash.analysis import grid

    grid._transformer.cache_clear()
    app_data.warm_core()
    assert grid._transformer.cache_info().currsize == 2


def test_warm_up_ends_by_freezing_the_heap_and_later_garbage_is_still_collected():
    gc.unfreeze()
    warmup.warm_up()
    assert gc.get_freeze_count() > 0

    class Cycle:
        pass

    a, b = Cycle(), Cycle()
    a.other, b.other = b, a  # garbage only a collection can free
    gone = id(a)
    del a, b
    gc.collect()
    assert gone not in {id(o) for o in gc.get_objects() if isinstance(o, Cycle)}
