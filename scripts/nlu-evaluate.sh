#!/usr/bin/env bash
# Hold back 20% of the NLU examples, train on the rest, and check intent F1 on the held-back part.
# The split, the model and the report are cached by a hash of their inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
floor="${NLU_F1_FLOOR:-0.90}"
hash=$(scripts/inputs-hash.sh config.yml data/nlu bot requirements/engine.txt)
dir="var/nlu-eval/${hash}"
if [ ! -f "$dir/results/intent_report.json" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  .venv-engine/bin/rasa data split nlu -u data/nlu --training-fraction 0.8 --random-seed 42 --out "$dir/split"
  .venv-engine/bin/rasa train nlu -c config.yml -u "$dir/split/training_data.yml" --out "$dir" --fixed-model-name nlu
  .venv-engine/bin/rasa test nlu -u "$dir/split/test_data.yml" -m "$dir/nlu.tar.gz" --out "$dir/results" --no-plot
fi
.venv-engine/bin/python scripts/nlu_f1.py "$dir/results/intent_report.json" "$floor"
