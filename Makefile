# Works from a fresh clone on a machine with only python3: everything goes into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newswire demo

# The report's browser test needs headless Chromium: say how to get it rather than skip it.
test: $(STAMP)
	@test "$$NEWSWIRE_SKIP_BROWSER_TEST" = 1 || test -n "$$NEWSWIRE_CHROMIUM" || \
	  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "make test needs Chromium for the report's browser test:" \
	         "apt-get install chromium (or NEWSWIRE_CHROMIUM=/path/to/chromium;" \
	         "NEWSWIRE_SKIP_BROWSER_TEST=1 skips it on purpose)" >&2; exit 2; }
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check flows transforms warehouse tests benchmarks

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .hypothesis
