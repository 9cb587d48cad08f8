# doeagenda — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-pyproject
export JUPYTER_PLATFORM_DIRS := 1

.DEFAULT_GOAL := help
.PHONY: help run test lab lesson data lint clean-venv

help: ## Show this help.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP) ## Main job: reports for all gemeenten of provincie Utrecht into outputs/.
	$(BIN)/doeagenda batch

test: $(STAMP) ## Run the whole test suite.
	$(BIN)/python -m pytest

lab: $(STAMP) ## Open JupyterLab on the notebooks.
	$(BIN)/jupyter lab notebooks/

lesson: $(STAMP) ## Serve the learning modules as a Voilà app on localhost.
	$(BIN)/voila notebooks/leren/ --no-browser

data: $(STAMP) ## Rebuild the tidy tables in doeagenda/data/tidy from the raw CBS files.
	$(BIN)/doeagenda data rebuild

lint: $(STAMP) ## ruff check and mypy (config in pyproject.toml).
	$(BIN)/ruff check doeagenda tests benchmarks
	$(BIN)/mypy

clean-venv: ## Remove the virtual environment.
	rm -rf $(VENV)
