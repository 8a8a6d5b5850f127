# Shared by scripts/demo and scripts/test: a project-local virtual environment with fupin installed.
# usage: . scripts/_venv.sh [extras]
set -euo pipefail
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=${1:-}
stamp=".venv/.installed${extras:+-$extras}"
# Reinstall only when the dependency list changed (a fresh clone always installs).
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}" 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -c "import fupin, django" 
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
