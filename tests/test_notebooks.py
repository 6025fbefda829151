"""The notebooks run top to bottom (nbclient, kernel python3) without a cell error."""
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NEEDS_MODEL = {"01_quickstart.ipynb", "03_evaluate.ipynb"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_quickstart.ipynb", "02_train_custom_model.ipynb", "03_evaluate.ipynb"])
def test_notebooks_run_top_to_bottom(request, monkeypatch, tmp_path, name):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    if name in NEEDS_MODEL:
        # the kernel inherits the environment: point `immunoextract.load()` at the pipeline under test
        monkeypatch.setenv("IMMUNOEXTRACT_MODEL", str(request.getfixturevalue("shipped_model")))
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
