# Sourced by build.sh and distill.sh: the training venv (created once, requirements installed) as $PY,
# the working folder $W, and the current directory models/training.
VENV="${TIDINGS_TRAINING_VENV:-$HOME/.cache/tidings/training-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
PY="$VENV/bin/python"
W="${TIDINGS_CACHE:-$HOME/.cache/tidings}/tweet-multitask"
cd "$HERE"
